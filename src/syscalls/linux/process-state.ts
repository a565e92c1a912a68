/**
 * What the syscall layer remembers per guest process (GuestProcess belongs to another layer, so
 * this lives beside it, keyed by the process): the guest's signal dispositions and mask, its
 * alternate signal stack, its robust futex list and clear-child-tid address, its thread name.
 */
import type { GuestProcess } from '../../user/process';

/** A guest signal disposition as rt_sigaction passed it (guest values, guest signal numbering in the mask). */
export interface GuestSigaction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  /** The handler's blocked-signal set, bit (n - 1) for signal n. */
  mask: bigint;
}

export interface SyscallState {
  /** Dispositions by guest signal number; absent means SIG_DFL with no flags. */
  readonly sigactions: Map<number, GuestSigaction>;
  /** Blocked signals, bit (n - 1) for guest signal n. */
  sigmask: bigint;
  /** Signals sent to the process while blocked, same bits. */
  pending: bigint;
  /**
   * The mask rt_sigsuspend replaced, to come back after the signal that ended it: the handler's
   * frame saves it (so sigreturn restores it), or it is restored at once when no handler runs.
   */
  suspendedMask: bigint | undefined;
  altStack: { sp: bigint; flags: number; size: bigint };
  robustList: { head: number; length: number };
  clearChildTid: number;
  /** PR_SET_NAME's name (at most 15 bytes). */
  name: Buffer;
}

/** The longest thread name (TASK_COMM_LEN without its NUL). */
export const COMM_LENGTH = 15;

/** The name an execve of `program` gives: its file name, cut to COMM_LENGTH bytes. */
export function programName(program: string): Buffer {
  return Buffer.from(program.slice(program.lastIndexOf('/') + 1)).subarray(0, COMM_LENGTH);
}

const states = new WeakMap<GuestProcess, SyscallState>();

export function syscallState(proc: GuestProcess): SyscallState {
  let s = states.get(proc);
  if (!s) {
    s = {
      sigactions: new Map(),
      sigmask: 0n,
      pending: 0n,
      suspendedMask: undefined,
      altStack: { sp: 0n, flags: 0, size: 0n },
      robustList: { head: 0, length: 0 },
      clearChildTid: 0,
      name: programName(proc.exePath),
    };
    states.set(proc, s);
  }
  return s;
}
