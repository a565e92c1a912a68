/**
 * query-command-line-options: the options in QemuOpts syntax that tsemu-system takes and their
 * keys (the lists the option parsers check against), with QEMU's parameter types. -device,
 * -object and -accel are listed without parameters, as QEMU lists them (their keys depend on the
 * type).
 */
import { CHARDEV_FLAG_KEYS, CHARDEV_KEYS } from '../../../chardev/from-opts';
import { MACHINE_KEYS, MON_KEYS } from '../../../cli/config';
import { DRIVE_KEYS } from '../../../cli/devices';
import { NAME_KEYS } from '../../../cli/identity';
import { SMP_KEYS } from '../../../cli/smp';
import type { QmpCommand } from '../command';
import { QmpError } from '../errors';
import { obj, optional, required } from '../schema';

type ParamType = 'string' | 'boolean' | 'number' | 'size';

const BOOLEAN_KEYS = new Set([...CHARDEV_FLAG_KEYS, 'nodelay', 'pretty', 'debug-threads', 'read-only', 'snapshot']);
/**
 * Keys QEMU rewrites before checking them against its option table, so it does not list them:
 * `id` names the option group itself (QemuOpts' id), -drive's `readonly` becomes `read-only` and
 * its `cache` the cache.writeback/direct/no-flush flags (which tsemu does not take one by one).
 */
const UNLISTED_KEYS = new Set(['id', 'readonly', 'cache']);
const NUMBER_KEYS = new Set<string>([...SMP_KEYS, 'reconnect', 'unit', 'bus']);

const typeOf = (key: string): ParamType => (BOOLEAN_KEYS.has(key) ? 'boolean' : NUMBER_KEYS.has(key) ? 'number' : 'string');

const OPTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  // Board properties (virt's gic-version...) are not listed, as in QEMU: they are the board's QOM properties.
  ['machine', MACHINE_KEYS],
  ['name', NAME_KEYS],
  ['smp-opts', SMP_KEYS],
  ['mon', MON_KEYS],
  ['device', []],
  ['object', []],
  ['accel', []],
  ['chardev', CHARDEV_KEYS],
  ['drive', DRIVE_KEYS],
]);

const optionInfo = (option: string, keys: readonly string[]): { option: string; parameters: { name: string; type: ParamType }[] } => ({
  option,
  parameters: keys.filter((name) => !UNLISTED_KEYS.has(name)).map((name) => ({ name, type: typeOf(name) })),
});

export const COMMAND_LINE_COMMANDS: QmpCommand[] = [
  {
    name: 'query-command-line-options',
    params: { option: optional('str') },
    returns: {
      array: obj({
        option: required('str'),
        parameters: required({
          array: obj({
            name: required('str'),
            type: required({ enum: ['string', 'boolean', 'number', 'size'] }),
            help: optional('str'),
            default: optional('str'),
          }),
        }),
      }),
    },
    run: (_ctx, args) => {
      const option = args['option'] as string | undefined;
      if (option === undefined) return [...OPTIONS].map(([name, keys]) => optionInfo(name, keys));
      const keys = OPTIONS.get(option);
      if (keys === undefined) throw QmpError.generic(`invalid option name: ${option}`);
      return [optionInfo(option, keys)];
    },
  },
];
