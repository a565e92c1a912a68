/**
 * Options management applications (libvirt) always pass that set host-side or firmware policy
 * tsemu has nothing to do for, checked with QEMU's keys and messages and then satisfied as they
 * are: `-overcommit mem-lock=off,cpu-pm=off` (tsemu never locks memory), `-rtc base=utc` (the RTC
 * reads the host's UTC clock), `-boot ...` (no firmware boot menu or boot order: -kernel or -bios
 * boots), `-msg timestamp=on|off` and `-audiodev` with the `none` driver (there is no sound device).
 * Any value that would ask for something tsemu does not do is refused.
 */
import { parseJsonOption } from './json-option';
import { checkKeys, fromOption, OptsError, parseBool, parseQemuOpts } from './qemu-opts';

/** A key's allowed values: booleans, a list, or anything. */
type Values = 'bool' | readonly string[] | 'any';

interface CheckedOption {
  implied?: string;
  keys: Record<string, Values>;
  /** What tsemu provides, by key: other values are refused with the reason. */
  provided?: Record<string, { accepts: (value: string) => boolean; reason: string }>;
}

const off = (value: string): boolean => !parseBool('', value);

const CHECKED: Record<string, CheckedOption> = {
  overcommit: {
    keys: { 'mem-lock': 'bool', 'cpu-pm': 'bool' },
    provided: {
      'mem-lock': { accepts: off, reason: 'tsemu does not lock guest memory' },
      'cpu-pm': { accepts: off, reason: 'tsemu does not pass CPU power management to the guest' },
    },
  },
  rtc: {
    keys: { base: 'any', clock: ['host', 'rt', 'vm'], driftfix: ['none', 'slew'] },
    // The RTC starts from the host's clock in UTC, QEMU's default.
    provided: { base: { accepts: (value) => value === 'utc', reason: "the RTC follows the host's UTC clock only" } },
  },
  boot: {
    implied: 'order',
    keys: { order: 'any', once: 'any', menu: 'bool', splash: 'any', 'splash-time': 'any', 'reboot-timeout': 'any', strict: 'bool' },
  },
  msg: { keys: { timestamp: 'bool', 'guest-name': 'bool' } },
};

function checkValue(option: string, key: string, value: string, values: Values): void {
  if (values === 'bool') parseBool(key, value);
  else if (values !== 'any' && !values.includes(value)) throw new OptsError(`Parameter '${key}' does not accept value '${value}'`);
  const provided = CHECKED[option]!.provided?.[key];
  if (provided && !provided.accepts(value)) throw new OptsError(`${key}=${value}: ${provided.reason}`);
}

/** Checks each occurrence of the host-policy options (`option` without its dash, e.g. `rtc`). */
export function checkHostOption(option: string, text: string): void {
  const spec = CHECKED[option]!;
  fromOption(`-${option} ${text}`, () => {
    const opts = parseQemuOpts(text, spec.implied);
    checkKeys(opts, Object.keys(spec.keys));
    for (const [key, value] of opts) checkValue(option, key, value, spec.keys[key]!);
  });
}

export const HOST_OPTIONS = Object.keys(CHECKED);

/** -audiodev: JSON (`{"id":"audio1","driver":"none"}`) or QemuOpts; only the `none` driver exists (no sound device to feed). */
export function checkAudiodev(text: string): void {
  fromOption(`-audiodev ${text}`, () => {
    let driver: unknown;
    let id: unknown;
    if (text.startsWith('{')) {
      ({ driver, id } = parseJsonOption(text) as Record<string, unknown>);
    } else {
      const opts = parseQemuOpts(text, 'driver');
      driver = opts.get('driver');
      id = opts.get('id');
    }
    if (id === undefined) throw new OptsError(`Parameter 'id' is missing`);
    if (driver === undefined) throw new OptsError(`Parameter 'driver' is missing`);
    if (driver !== 'none') throw new OptsError(`Parameter 'driver' does not accept value '${String(driver)}'`);
  });
}
