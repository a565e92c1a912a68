/**
 * The signal mask rt_sigsuspend, pselect6, ppoll and epoll_pwait install for their wait (GNU make
 * blocks SIGCHLD except inside pselect, so a child's exit can only interrupt the wait). The call's
 * mask replaces the guest's for the wait, the guest's being kept in suspendedMask: a signal
 * the call's mask lets through that is pending already ends the call with EINTR at once; one that
 * comes during the wait ends it with EINTR (the host call is interrupted by the host signal the
 * guest handles, see user/signals/host-forward.ts) and is delivered with the call's mask in force,
 * the handler's frame saving the guest's mask for sigreturn (user/signals/deliver.ts). Any other
 * result puts the guest's mask back at once, as Linux's restore_saved_sigmask_unless does.
 *
 * Host signals stay blocked from the look at the pending set until the host call, which unblocks
 * them for its wait only (its own sigmask argument), so a child that exits in between still ends
 * the wait.
 */
import type { GuestProcess } from '../../user/process';
import { unblockable } from '../../user/signals/dispositions';
import { collectHostSignals } from '../../user/signals/host-forward';
import type { SyscallArgs } from '../types';
import { E } from './guest-access';
import { hostArena, hostSyscall } from './host';
import { syscallState } from './process-state';
import { HOST_BLOCKABLE, readSigset } from './signals';

const SIG_BLOCK = 0;
const SIG_SETMASK = 2;
const HOST_SIGSET_SIZE = 8;

/**
 * Where a call keeps its mask: a sigset pointer and its size among the arguments (ppoll,
 * epoll_pwait), or a pointer to a { sigset pointer, size } pair of guest words (pselect6).
 */
export type WaitMaskArg = { readonly sigset: number; readonly size: number } | { readonly pair: number };

export const PPOLL_MASK: WaitMaskArg = { sigset: 3, size: 4 };
export const PSELECT6_MASK: WaitMaskArg = { pair: 5 };
export const EPOLL_PWAIT_MASK: WaitMaskArg = { sigset: 4, size: 5 };

/** The call's mask: undefined when it gives none, a negative host errno when it cannot be read. */
export function waitMask(
  proc: GuestProcess,
  args: SyscallArgs,
  at: WaitMaskArg,
): bigint | number | undefined {
  let sigset: number;
  let size: number;
  if ('pair' in at) {
    const pair = args[at.pair]!;
    if (pair === 0) return undefined;
    const word = proc.abi.wordSize;
    if (!proc.memory.accessible(pair, 2 * word, false)) return -E.EFAULT;
    const { view, littleEndian } = proc.memory;
    const read = (addr: number) =>
      word === 8 ? Number(view.getBigUint64(addr, littleEndian)) : view.getUint32(addr, littleEndian);
    sigset = read(pair);
    size = read(pair + word);
  } else {
    sigset = args[at.sigset]!;
    size = args[at.size]!;
  }
  if (sigset === 0) return undefined;
  if (size !== proc.abi.nsig / 8) return -E.EINVAL;
  return readSigset(proc, sigset) ?? -E.EFAULT;
}

/**
 * Puts the call's mask in force for its wait; true when a signal it lets through is pending
 * already (the call then ends with EINTR without waiting).
 */
export function enterWaitMask(proc: GuestProcess, mask: bigint): boolean {
  const state = syscallState(proc);
  // A call run again after its parked wait ended (descriptor ready, deadline) has the mask in force already.
  state.suspendedMask ??= state.sigmask;
  state.sigmask = mask & ~unblockable(proc.abi);
  collectHostSignals(proc);
  return (state.pending & ~state.sigmask) !== 0n;
}

/** The guest's mask back after the call ended with `result`, unless a signal interrupted it (delivery puts it back). */
function leaveWaitMask(proc: GuestProcess, result: number): void {
  const state = syscallState(proc);
  if (result === -E.EINTR) return;
  state.sigmask = state.suspendedMask ?? state.sigmask;
  state.suspendedMask = undefined;
}

/**
 * Runs the host wait `call` with the call's mask (at `at` among `args`; none for select) in force;
 * `call` gets the host address of the host signal set to wait with (0 when the call gives no mask).
 */
export function withWaitMask(
  proc: GuestProcess,
  args: SyscallArgs,
  at: WaitMaskArg | undefined,
  call: (hostSigset: number) => number,
): number {
  const mask = at === undefined ? undefined : waitMask(proc, args, at);
  if (mask === undefined) return call(0);
  if (typeof mask === 'number') return mask;
  const blocked = hostArena.alloc(HOST_SIGSET_SIZE);
  const previous = hostArena.alloc(HOST_SIGSET_SIZE);
  hostArena.view.setBigUint64(blocked, HOST_BLOCKABLE, true);
  const previousAddress = hostArena.address(previous);
  hostSyscall('rt_sigprocmask', SIG_BLOCK, hostArena.address(blocked), previousAddress, HOST_SIGSET_SIZE);
  let result = -E.EINTR;
  try {
    if (!enterWaitMask(proc, mask)) result = call(previousAddress);
  } finally {
    hostSyscall('rt_sigprocmask', SIG_SETMASK, previousAddress, 0, HOST_SIGSET_SIZE);
  }
  leaveWaitMask(proc, result);
  return result;
}

/** A host pselect6's sixth argument: the address of a { sigset pointer, size } pair (0 for no mask). */
export function hostPselectMask(hostSigset: number): number {
  if (hostSigset === 0) return 0;
  const pair = hostArena.alloc(16);
  hostArena.view.setBigUint64(pair, BigInt(hostSigset), true);
  hostArena.view.setBigUint64(pair + 8, BigInt(HOST_SIGSET_SIZE), true);
  return hostArena.address(pair);
}
