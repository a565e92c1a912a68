/**
 * human-monitor-command: runs an HMP command line and returns its output as a string. As in QEMU,
 * each command runs in a monitor of its own, whose current CPU is `cpu-index` (default 0).
 */
import { runHmpLine } from '../../hmp/commands';
import type { QmpCommand } from '../command';
import { QmpError } from '../errors';
import { optional, required } from '../schema';

export const HUMAN_MONITOR_COMMANDS: QmpCommand[] = [
  {
    name: 'human-monitor-command',
    params: { 'command-line': required('str'), 'cpu-index': optional('int') },
    run: (ctx, args) => {
      const cpu = (args['cpu-index'] as number | undefined) ?? 0;
      if (cpu < 0 || cpu >= ctx.emulator.machine.cpus().length)
        throw QmpError.generic("Parameter 'cpu-index' expects a CPU number");
      return runHmpLine({ ...ctx, cpu }, args['command-line'] as string);
    },
  },
];
