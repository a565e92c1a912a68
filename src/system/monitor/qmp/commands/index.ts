/**
 * The QMP command table. qmp_capabilities is listed here for query-commands; the session handles
 * it itself because it changes the session's mode.
 */
import { versionInfo } from '../../../version';
import type { QmpCommand } from '../command';
import { QmpError } from '../errors';
import { QMP_EVENTS } from '../events';
import { schemaInfo, SCHEMA_INFO } from '../introspection';
import { EMPTY, obj, optional, required } from '../schema';
import { ABSENT_DEVICE_COMMANDS } from './absent-devices';
import { BLOCK_COMMANDS } from './block';
import { CHARDEV_COMMANDS } from './chardev';
import { COMMAND_LINE_COMMANDS } from './command-line';
import { FD_COMMANDS } from './fds';
import { HUMAN_MONITOR_COMMANDS } from './human-monitor';
import { IDENTITY_COMMANDS } from './identity';
import { MACHINE_COMMANDS } from './machine';
import { MEMORY_SAVE_COMMANDS } from './memory-save';
import { MIGRATION_COMMANDS } from './migration';
import { QOM_COMMANDS } from './qom';
import { RUN_STATE_COMMANDS } from './run-state';

const CONTROL_COMMANDS: QmpCommand[] = [
  {
    name: 'qmp_capabilities',
    params: { enable: optional({ array: { enum: ['oob'] } }) },
    returns: EMPTY,
    run: () => {
      throw new QmpError('CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
    },
  },
  {
    name: 'query-version',
    params: {},
    returns: obj({
      qemu: required(obj({ major: required('int'), minor: required('int'), micro: required('int') })),
      package: required('str'),
    }),
    run: () => versionInfo(),
  },
  {
    name: 'query-commands',
    params: {},
    returns: { array: obj({ name: required('str') }) },
    run: () => QMP_COMMANDS.map((c) => ({ name: c.name })),
  },
  {
    name: 'query-qmp-schema',
    params: {},
    returns: { array: SCHEMA_INFO },
    run: () => schemaInfo(QMP_COMMANDS, QMP_EVENTS),
  },
];

export const QMP_COMMANDS: QmpCommand[] = [
  ...CONTROL_COMMANDS,
  ...RUN_STATE_COMMANDS,
  ...CHARDEV_COMMANDS,
  ...FD_COMMANDS,
  ...MACHINE_COMMANDS,
  ...IDENTITY_COMMANDS,
  ...QOM_COMMANDS,
  ...COMMAND_LINE_COMMANDS,
  ...MIGRATION_COMMANDS,
  ...BLOCK_COMMANDS,
  ...HUMAN_MONITOR_COMMANDS,
  ...ABSENT_DEVICE_COMMANDS,
  ...MEMORY_SAVE_COMMANDS,
];

export function findQmpCommand(name: string): QmpCommand | undefined {
  return QMP_COMMANDS.find((c) => c.name === name);
}
