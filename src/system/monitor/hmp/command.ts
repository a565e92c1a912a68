/** The shape of an HMP command: a name, its argument synopsis, help text, and a runner returning output text. */
import type { CommandContext } from '../qmp/command';

export interface HmpCommand {
  /** Names, the first being the main one (`cont|c`). */
  names: string[];
  args: string;
  help: string;
  /** `arg` is the rest of the line, trimmed. Throws for errors (printed as "Error: ..."). */
  run(ctx: CommandContext, arg: string): string | Promise<string>;
}
