/**
 * rt_sigtimedwait (sigwait, sigwaitinfo, sigtimedwait): takes a pending signal of the given set
 * instead of delivering it, the calling thread's own (tgkill) before the process's, lowest number
 * first, and writes its siginfo; with none pending it waits for one until the timeout (EAGAIN), or
 * until a signal outside the set that the caller lets through comes (EINTR, its handler then
 * runs). With guest threads the wait parks the thread in the scheduler; without, it sleeps on the
 * host like rt_sigsuspend. On 32-bit ABIs rt_sigtimedwait takes the old 32-bit struct timespec and
 * rt_sigtimedwait_time64 the 64-bit one.
 */
import type { GuestProcess } from '../../user/process';
import { unblockable } from '../../user/signals/dispositions';
import { dequeue } from '../../user/signals/pending';
import { SIGINFO_SIZE, writeSigInfo, type SigInfo } from '../../user/signals/siginfo';
import { block, monotonicNs, multithreaded, takeThreadSignal } from '../../user/threads/scheduler';
import type { SyscallArgs } from '../types';
import { syscall, type SyscallGroup } from './define';
import { E, guestTimespec } from './guest-access';
import { syscallState } from './process-state';
import { hostSleepUntil, readSigset } from './signals';

const NS_PER_S = 1_000_000_000n;

/** Takes a pending signal of `set` as the kernel's dequeue_signal does: the calling thread's own (tgkill) before the process's, lowest number first. */
export function takeSignal(proc: GuestProcess, set: bigint): SigInfo | undefined {
  return takeThreadSignal(proc, set) ?? dequeue(proc, ~set);
}

/** Takes a pending signal of `set` and writes its siginfo at `info` (0: none wanted); undefined when none is pending. */
function take(proc: GuestProcess, set: bigint, info: number): number | undefined {
  const taken = takeSignal(proc, set);
  if (!taken) return undefined;
  if (info !== 0) {
    if (!proc.memory.accessible(info, SIGINFO_SIZE, true)) return -E.EFAULT;
    writeSigInfo(proc.memory, info, taken, proc.abi.wordSize);
  }
  return taken.signo;
}

function rtSigtimedwait(
  proc: GuestProcess,
  [setAddr, info, timeout, sigsetsize]: SyscallArgs,
  time32: boolean,
): number {
  if (sigsetsize !== proc.abi.nsig / 8) return -E.EINVAL;
  const requested = readSigset(proc, setAddr!);
  if (requested === undefined) return -E.EFAULT;
  const set = requested & ~unblockable(proc.abi);
  let wait: bigint | undefined;
  if (timeout !== 0) {
    const ts = guestTimespec(proc, timeout!, time32);
    if (!ts) return -E.EFAULT;
    if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= NS_PER_S) return -E.EINVAL;
    wait = ts.sec * NS_PER_S + ts.nsec;
  }
  const now = take(proc, set, info!);
  if (now !== undefined) return now;
  if (wait === 0n) return -E.EAGAIN;
  return (
    waitForSignal(proc, set, wait === undefined ? undefined : monotonicNs() + wait, () =>
      take(proc, set, info!),
    ) ?? -E.EAGAIN
  );
}

/**
 * Waits for a signal of `set` to come (`take` takes it and returns its result): -EINTR when a
 * signal outside the set that the caller lets through comes first, undefined at the deadline.
 * With guest threads the wait parks the thread in the scheduler; without, it sleeps on the host
 * like rt_sigsuspend.
 */
export function waitForSignal(
  proc: GuestProcess,
  set: bigint,
  deadline: bigint | undefined,
  take: () => number | undefined,
): number | undefined {
  const state = syscallState(proc);
  const interrupted = (): boolean => (state.pending & ~state.sigmask & ~set) !== 0n;
  if (interrupted()) return -E.EINTR;
  if (multithreaded(proc))
    block(proc, { signals: set, ...(deadline !== undefined ? { deadline, onTimeout: -E.EAGAIN } : {}) });
  return hostSleepUntil(proc, () => (interrupted() ? -E.EINTR : take()), deadline);
}

export const SIGWAIT_SYSCALLS: SyscallGroup = {
  rt_sigtimedwait: syscall('xxxd', (p, args) => rtSigtimedwait(p, args, false)),
};

/** rt_sigtimedwait of 32-bit ABIs that also have rt_sigtimedwait_time64: its timeout is the old 32-bit struct timespec. */
export const SIGTIMEDWAIT_TIME32 = syscall('xxxd', (p, args) => rtSigtimedwait(p, args, true));
