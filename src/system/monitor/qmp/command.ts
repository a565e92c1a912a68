/** The shape of a QMP command and what it may use while running. */
import type { Emulator } from '../../emulator';
import type { FdStore } from '../fd-store';
import type { Member, Schema } from './schema';

export interface CommandContext {
  emulator: Emulator;
  /** The named descriptors of the monitor the command came through. */
  fds: FdStore;
  /** The next descriptor the client sent with SCM_RIGHTS and nobody took yet. */
  takeReceivedFd(): number | undefined;
  /** The monitor's current CPU (HMP `cpu N`), which `info registers`, `x` and `info cpus` use; 0 if unset. */
  cpu?: number;
}

export interface QmpCommand {
  name: string;
  params: Record<string, Member>;
  /** The arguments as one type (QAPI's boxed commands: blockdev-add takes a flat union); `params` is then `{}`. */
  boxed?: Schema;
  /** The type of the `return` value (query-qmp-schema's ret-type). */
  returns: Schema;
  /** Returns the `return` value (JSON); throws QmpError (or any Error, reported as GenericError). */
  run(ctx: CommandContext, args: Record<string, unknown>): unknown;
}
