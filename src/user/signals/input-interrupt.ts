/**
 * A read of a descriptor without input (a pipe, a socket, a terminal) that would block the host
 * while a host signal the guest lets through has come since the CPU loop last looked: the call ends
 * with EINTR at once, as Linux ends such a sleep when the signal comes (the guest's handler then
 * runs, and SA_RESTART runs the call again). Before, the host call slept through the signal, which
 * had come before it began (noted by tsemu's host handler, not yet the guest's): for ever, for a
 * pipe nobody writes (test/guest/common/external_alarm.c, about 1 run in 40 with the machine busy).
 * Taking the signal as come just after the call began is a timing the guest cannot tell from the
 * one it had. A descriptor with input, or non-blocking, is read as usual, as Linux would. (The
 * waits of guest-interrupt.ts, pause among them, look before they begin in the same way.)
 */
import type { SyscallArgs } from '../../syscalls/types';
import type { GuestProcess } from '../process';
import { isInputWait, waitsForInput } from '../threads/blocking';
import { guestInterrupted } from './guest-interrupt';

/** Whether syscall `name` with `args` must end with EINTR before it starts (see above). */
export function interruptsInputWait(
  proc: GuestProcess,
  name: string | undefined,
  args: SyscallArgs,
): boolean {
  return isInputWait(name) && guestInterrupted(proc) && waitsForInput(proc, name, args);
}
