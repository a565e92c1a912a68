/** human-monitor-command: runs an HMP command line and returns its output as a string. */
import { runHmpLine } from '../../hmp/commands';
import type { QmpCommand } from '../command';
import { optional, required } from '../schema';

export const HUMAN_MONITOR_COMMANDS: QmpCommand[] = [
  {
    name: 'human-monitor-command',
    params: { 'command-line': required('str'), 'cpu-index': optional('int') },
    run: (ctx, args) => runHmpLine(ctx, args['command-line'] as string),
  },
];
