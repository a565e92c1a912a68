/** The shape of an HMP command: a name, its argument synopsis, help text, and a runner returning output text. */
import type { CommandContext } from '../qmp/command';
import type { HmpArgs } from './arguments';

export interface HmpCommand {
  /** Names, the first being the main one (`cont|c`). */
  names: string[];
  /** QEMU's args_type: how the rest of the line is parsed (arguments.ts). */
  argsType: string;
  /** The synopsis `help` prints (QEMU's params). */
  args: string;
  help: string;
  /** Throws for errors (printed as "Error: ..."). */
  run(ctx: CommandContext, args: HmpArgs): string | Promise<string>;
}
