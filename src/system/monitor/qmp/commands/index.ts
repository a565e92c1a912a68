/**
 * The QMP command table. qmp_capabilities is listed here for query-commands; the session handles
 * it itself because it changes the session's mode.
 */
import { versionInfo } from '../../../version';
import type { QmpCommand } from '../command';
import { QmpError } from '../errors';
import { optional } from '../schema';
import { CHARDEV_COMMANDS } from './chardev';
import { FD_COMMANDS } from './fds';
import { HUMAN_MONITOR_COMMANDS } from './human-monitor';
import { MACHINE_COMMANDS } from './machine';
import { RUN_STATE_COMMANDS } from './run-state';

const CONTROL_COMMANDS: QmpCommand[] = [
  {
    name: 'qmp_capabilities',
    params: { enable: optional('any') },
    run: () => {
      throw new QmpError('CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
    },
  },
  { name: 'query-version', params: {}, run: () => versionInfo() },
  { name: 'query-commands', params: {}, run: () => QMP_COMMANDS.map((c) => ({ name: c.name })) },
];

export const QMP_COMMANDS: QmpCommand[] = [
  ...CONTROL_COMMANDS,
  ...RUN_STATE_COMMANDS,
  ...CHARDEV_COMMANDS,
  ...FD_COMMANDS,
  ...MACHINE_COMMANDS,
  ...HUMAN_MONITOR_COMMANDS,
];

export function findQmpCommand(name: string): QmpCommand | undefined {
  return QMP_COMMANDS.find((c) => c.name === name);
}
