/**
 * The contract between a target's CPU loop, the generic Linux syscall layer and the per-ABI tables.
 */
import type { GuestProcess } from '../user/process';

/**
 * Syscall arguments as JS numbers: each register's 64-bit value read as a signed integer (exact
 * within +-2^53). Pointers are guest addresses; one outside the guest window is simply invalid (-EFAULT).
 */
export type SyscallArgs = readonly number[];

/** A syscall implementation: returns the result, or -errno (guest errno numbering is the ABI's business). */
export type SyscallHandler = (proc: GuestProcess, args: SyscallArgs) => number;

/** Thrown by exit/exit_group and fatal signals to end the guest. */
export class GuestExit extends Error {
  constructor(
    /** Exit status (0..255) when `signal` is 0. */
    readonly status: number,
    /** Host signal number the process dies with, or 0. */
    readonly signal = 0,
  ) {
    super(signal ? `guest killed by signal ${signal}` : `guest exited with ${status}`);
  }
}
