/**
 * Whether a blocking call's EINTR is the guest's. A host call also ends with EINTR for tsemu's own
 * reasons: the host alarm (host-alarm.ts) of a guest timer whose signal the guest blocks or
 * ignores, repeated at the timer's period, or a host signal forwarded to a guest that blocks it.
 * Linux would not have interrupted the guest's call for either, and a timed call run again from the
 * start (the restart of deliver.ts) would wait its whole time again at every such alarm: with a
 * 1 ms periodic timer, a 30 ms sleep would never end. So a timed call goes on with its time left
 * until a signal the guest takes now is pending.
 */
import { E } from '../../syscalls/linux/guest-access';
import { syscallState } from '../../syscalls/linux/process-state';
import type { GuestProcess } from '../process';
import { dispositionOf, sigBit } from './dispositions';
import { collectHostSignals } from './host-forward';
import { pollTimers } from './timers';

/** A signal is pending that the running thread takes now: one it lets through whose disposition does something. */
export function guestInterrupted(proc: GuestProcess): boolean {
  collectHostSignals(proc);
  pollTimers(proc);
  const state = syscallState(proc);
  const open = state.pending & ~state.sigmask;
  for (let sig = 1; open >> BigInt(sig - 1) !== 0n; sig++) {
    if (open & sigBit(sig) && dispositionOf(proc.abi, sig, state.sigactions.get(sig)) !== 'ignore')
      return true;
  }
  return false;
}

/**
 * Runs the blocking host call `call` again after each EINTR the guest would not have seen; `call`
 * must go on where the last one stopped (an absolute deadline, or the time left in place of the
 * timeout, as the host's ppoll and pselect6 leave it).
 */
export function untilGuestInterrupted(proc: GuestProcess, call: () => number): number {
  // A signal from another process noted since the CPU loop last looked would interrupt nothing:
  // the call would wait for the next one (pause: for ever). Linux would have taken it before the call.
  if (guestInterrupted(proc)) return -E.EINTR;
  for (;;) {
    const result = call();
    if (result !== -E.EINTR || guestInterrupted(proc)) return result;
  }
}
