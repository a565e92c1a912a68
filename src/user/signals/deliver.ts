/**
 * Generic signal delivery (kernel/signal.c's rules, target-independent): signals the guest sends
 * itself are queued; default actions happen at once (a terminating signal ends the guest as that
 * signal would); signals with a guest handler are delivered by the CPU loop when the guest is
 * about to run again (after the syscall, after a trap; expired timers are noticed then too): the target's frame is pushed on the current
 * or alternate stack, the mask gains sa_mask and the signal, and rt_sigreturn undoes it all.
 * Synchronous faults (SIGSEGV, SIGILL, SIGBUS, SIGTRAP) are forced: blocked or ignored, they kill.
 */
import { collectHostSignals } from './host-forward';
import { GuestExit } from '../../syscalls/types';
import { hostSyscall, HOST } from '../../syscalls/linux/host';
import { syscallState } from '../../syscalls/linux/process-state';
import { exitAllRobustLists } from '../../syscalls/linux/robust-list';
import type { GuestProcess } from '../process';
import type { UserTarget } from '../target';
import {
  SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SA_RESTORER, SA_SIGINFO, SS_DISABLE, SS_ONSTACK,
  dispositionOf, sigBit, signalToHost, unblockable,
} from './dispositions';
import type { AltStack } from './frame-target';
import { dequeue, discard, enqueue } from './pending';
import type { SigInfo } from './siginfo';
import { traceTakenSignal } from './strace';
import { signalFrameTarget } from './targets';
import { restartsAfterHandler } from './restart';
import { pollTimers } from './timers';
import { trampolineAddress } from './trampoline';

/** A syscall that failed with EINTR: its name, and how to rewind the guest to run it again. */
export interface InterruptedSyscall {
  name: string | undefined;
  restart: () => void;
}

/** The process ends by `sig`: as the kernel's do_exit, every thread's robust futexes are released first. */
function die(proc: GuestProcess, sig: number): never {
  exitAllRobustLists(proc);
  throw new GuestExit(0, signalToHost(proc.abi, sig));
}

/** Carries out a default action (or ignoring); returns what kill would return. */
function actByDefault(proc: GuestProcess, sig: number, action: 'terminate' | 'ignore' | 'stop'): number {
  if (action === 'terminate') die(proc, sig);
  if (action === 'stop') return hostSyscall('kill', process.pid, HOST.signals.SIGSTOP);
  return 0;
}

/**
 * Acts on the pending unblocked signals whose disposition is not a guest handler (ignore, stop,
 * terminate); handler signals stay queued for deliverPending. Returns the last stop's result.
 */
export function settleDefaults(proc: GuestProcess): number {
  const state = syscallState(proc);
  let result = 0;
  for (let sig = 1; sig <= proc.abi.nsig; sig++) {
    if (!(state.pending & sigBit(sig)) || state.sigmask & sigBit(sig)) continue;
    const disposition = dispositionOf(proc.abi, sig, state.sigactions.get(sig));
    if (disposition === 'handler') continue;
    for (const info of discard(proc, sig)) traceTakenSignal(proc, info);
    result = actByDefault(proc, sig, disposition);
  }
  return result;
}

/** kill/tgkill/rt_sigqueueinfo aimed at the guest itself. */
export function sendToSelf(proc: GuestProcess, info: SigInfo): number {
  const state = syscallState(proc);
  const blocked = (state.sigmask & sigBit(info.signo)) !== 0n && !(unblockable(proc.abi) & sigBit(info.signo));
  // Linux drops an ignored signal at once, unless it is blocked (the disposition may change before it is unblocked).
  if (!blocked && dispositionOf(proc.abi, info.signo, state.sigactions.get(info.signo)) === 'ignore') return 0;
  enqueue(proc, info);
  return settleDefaults(proc);
}

/** The guest's sp is inside the alternate stack (Linux's on_sig_stack). */
function onAltStack(alt: AltStack, sp: number): boolean {
  return alt.size !== 0n && BigInt(sp) > alt.sp && BigInt(sp) - alt.sp <= alt.size;
}

/** Pushes the frame of `info`'s handler and switches the mask; a frame that cannot be written kills by SIGSEGV. */
function enterHandler(proc: GuestProcess, target: UserTarget, info: SigInfo): void {
  const state = syscallState(proc);
  const action = state.sigactions.get(info.signo)!;
  const frame = signalFrameTarget(target.name);
  if (!frame) {
    if (proc.options.logItems.has('unimp')) proc.options.log(`signal ${info.signo}: no ${target.name} signal frame, not delivered`);
    return;
  }
  const alt = state.altStack;
  const sp = frame.stackPointer(proc);
  const onAlt = onAltStack(alt, sp);
  const useAlt = (action.flags & SA_ONSTACK) !== 0n && alt.size !== 0n && !onAlt;
  const written = frame.setupFrame(proc, {
    info,
    handler: Number(action.handler),
    siginfo: (action.flags & SA_SIGINFO) !== 0n,
    returnAddress: action.flags & SA_RESTORER ? Number(action.restorer) : trampolineAddress(proc, frame),
    stackTop: useAlt ? Number(alt.sp + alt.size) : sp,
    savedMask: state.suspendedMask ?? state.sigmask,
    altStack: { sp: alt.sp, size: alt.size, flags: alt.size === 0n ? SS_DISABLE : onAlt ? SS_ONSTACK : 0 },
  });
  if (!written) die(proc, proc.abi.signals.SIGSEGV);
  state.suspendedMask = undefined;
  const self = action.flags & SA_NODEFER ? 0n : sigBit(info.signo);
  state.sigmask = (state.sigmask | action.mask | self) & ~unblockable(proc.abi);
  if (action.flags & SA_RESETHAND) state.sigactions.delete(info.signo);
}

/**
 * Delivers every deliverable pending signal (expired timers included) before the guest runs on;
 * each handler nests in the previous one's frame. `interrupted` is given when the syscall just done
 * failed with EINTR: it runs again (restart.ts decides) or the guest sees EINTR.
 */
export function deliverPending(proc: GuestProcess, target: UserTarget, interrupted?: InterruptedSyscall): void {
  const state = syscallState(proc);
  collectHostSignals(proc);
  pollTimers(proc);
  settleDefaults(proc);
  let restart = interrupted?.restart;
  for (let info = dequeue(proc, state.sigmask); info; info = dequeue(proc, state.sigmask)) {
    traceTakenSignal(proc, info);
    const action = state.sigactions.get(info.signo);
    const disposition = dispositionOf(proc.abi, info.signo, action);
    if (disposition !== 'handler') {
      actByDefault(proc, info.signo, disposition);
      continue;
    }
    if (restart && restartsAfterHandler(interrupted!.name, (action!.flags & SA_RESTART) !== 0n)) restart();
    restart = undefined;
    enterHandler(proc, target, info);
  }
  if (state.suspendedMask !== undefined) {
    state.sigmask = state.suspendedMask;
    state.suspendedMask = undefined;
  }
  restart?.();
}

/** A synchronous fault: forced on the guest (a blocked or ignored one reverts to the default action, which kills). */
export function deliverFault(proc: GuestProcess, target: UserTarget, info: SigInfo): void {
  const state = syscallState(proc);
  const bit = sigBit(info.signo);
  const disposition = dispositionOf(proc.abi, info.signo, state.sigactions.get(info.signo));
  traceTakenSignal(proc, info);
  if (disposition !== 'handler' || state.sigmask & bit || !signalFrameTarget(target.name)) die(proc, info.signo);
  enterHandler(proc, target, info);
}

/** rt_sigreturn: restores registers, mask and alternate stack from the frame at sp; a bad frame kills by SIGSEGV. */
export function sigreturn(proc: GuestProcess, target: UserTarget): void {
  const frame = signalFrameTarget(target.name);
  const restored = frame?.restoreFrame(proc);
  if (!frame || !restored) die(proc, proc.abi.signals.SIGSEGV);
  const state = syscallState(proc);
  state.sigmask = restored.mask & ~unblockable(proc.abi);
  // As Linux's restore_altstack: errors (on the alternate stack now, too small) leave it unchanged.
  const alt = restored.altStack;
  if (onAltStack(state.altStack, frame.stackPointer(proc))) return;
  if (alt.flags & SS_DISABLE) state.altStack = { sp: 0n, flags: SS_DISABLE, size: 0n };
  else if (alt.size >= BigInt(proc.abi.minSigStackSize)) state.altStack = { sp: alt.sp, flags: 0, size: alt.size };
}
