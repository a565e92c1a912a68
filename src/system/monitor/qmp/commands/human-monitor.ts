/**
 * human-monitor-command: runs an HMP command line and returns its output as a string. As in QEMU,
 * each command runs in a monitor of its own, whose current CPU is `cpu-index` (default 0), and its
 * lines end in CRLF, as that monitor writes them. The reply waits for a turn of the main loop, as
 * QEMU's dispatcher yields to it before replying: what the command asked of the main loop (reset,
 * powerdown, quit) is done, its event sent, before the reply.
 */
import { runHmpLine } from '../../hmp/commands';
import type { QmpCommand } from '../command';
import { QmpError } from '../errors';
import { optional, required } from '../schema';

export const HUMAN_MONITOR_COMMANDS: QmpCommand[] = [
  {
    name: 'human-monitor-command',
    params: { 'command-line': required('str'), 'cpu-index': optional('int') },
    returns: 'str',
    run: async (ctx, args) => {
      const given = args['cpu-index'] as number | undefined;
      // Only a CPU asked for must exist: on a machine without CPUs (-M none) commands still run.
      if (given !== undefined && (given < 0 || given >= ctx.emulator.machine.cpus().length))
        throw QmpError.generic("Parameter 'cpu-index' expects a CPU number");
      const cpu = given ?? 0;
      const output = await runHmpLine({ ...ctx, cpu }, args['command-line'] as string);
      await new Promise((resolve) => setImmediate(resolve));
      return output.replace(/\r?\n/g, '\r\n');
    },
  },
];
