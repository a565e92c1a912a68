/**
 * Signal bookkeeping: rt_sigaction keeps the guest's dispositions in a per-process table (in guest
 * numbering and guest layout), rt_sigprocmask keeps the guest's mask, sigaltstack its alternate
 * stack; none of them touch the host's own signal handling, which belongs to Node. kill, tkill and
 * tgkill aimed at the process itself act on the guest dispositions: a blocked signal stays pending
 * (rt_sigpending) until unblocked, a default-action-terminate signal ends the guest as that signal
 * would; other targets get the host signal. Delivering signals to guest handlers is not done yet:
 * such a signal is accepted and dropped.
 */
import type { GuestProcess } from '../../user/process';
import type { LinuxAbi, SignalName } from '../abi';
import { GuestExit, type SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { translateValue } from './flags';
import { E, guestStruct } from './guest-access';
import { HOST, hostSyscall } from './host';
import { syscallState, type GuestSigaction } from './process-state';

const SIG_DFL = 0n;
const SIG_IGN = 1n;
const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
const SS_ONSTACK = 1;
const SS_DISABLE = 2;

/** Signals whose default action is to do nothing (the rest terminate, dump core or stop). */
const DEFAULT_IGNORED: ReadonlySet<SignalName> = new Set(['SIGCHLD', 'SIGURG', 'SIGWINCH', 'SIGCONT']);
const DEFAULT_STOP: ReadonlySet<SignalName> = new Set(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

function signalName(abi: LinuxAbi, sig: number): SignalName | undefined {
  return (Object.keys(abi.signals) as SignalName[]).find((n) => abi.signals[n] === sig);
}

/** A guest signal number in host numbering (real-time signals keep their offset from SIGRTMIN). */
export function signalToHost(abi: LinuxAbi, sig: number): number {
  if (sig >= abi.sigRtMin) return sig - abi.sigRtMin + HOST.sigRtMin;
  return translateValue(sig, abi.signals, HOST.signals) ?? sig;
}

function validSignal(abi: LinuxAbi, sig: number): boolean {
  return sig >= 1 && sig <= abi.nsig;
}

const unblockable = (abi: LinuxAbi): bigint => (1n << BigInt(abi.signals.SIGKILL - 1)) | (1n << BigInt(abi.signals.SIGSTOP - 1));

function readSigset(proc: GuestProcess, addr: number): bigint | undefined {
  if (!proc.memory.accessible(addr, proc.abi.nsig / 8, false)) return undefined;
  return proc.memory.view.getBigUint64(addr, proc.memory.littleEndian);
}

function writeSigset(proc: GuestProcess, addr: number, set: bigint): boolean {
  if (!proc.memory.accessible(addr, proc.abi.nsig / 8, true)) return false;
  proc.memory.view.setBigUint64(addr, set, proc.memory.littleEndian);
  return true;
}

function rtSigaction(proc: GuestProcess, [sigArg, act, oldact, sigsetsize]: SyscallArgs): number {
  const sig = int(sigArg);
  if (sigsetsize !== proc.abi.nsig / 8 || !validSignal(proc.abi, sig)) return -E.EINVAL;
  const state = syscallState(proc).sigactions;
  let next: GuestSigaction | undefined;
  if (act !== 0) {
    const v = guestStruct(proc, 'sigaction', act!, false);
    if (!v) return -E.EFAULT;
    if (sig === proc.abi.signals.SIGKILL || sig === proc.abi.signals.SIGSTOP) return -E.EINVAL;
    const mask = v.bytes('mask');
    next = { handler: v.get('handler'), flags: v.get('flags'), restorer: v.get('restorer'), mask: new DataView(mask.buffer, mask.byteOffset, 8).getBigUint64(0, proc.memory.littleEndian) };
  }
  if (oldact !== 0) {
    const o = guestStruct(proc, 'sigaction', oldact!, true);
    if (!o) return -E.EFAULT;
    const cur = state.get(sig) ?? { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
    o.clear();
    o.set('handler', cur.handler);
    o.set('flags', cur.flags);
    o.set('restorer', cur.restorer);
    const mask = o.bytes('mask');
    new DataView(mask.buffer, mask.byteOffset, 8).setBigUint64(0, cur.mask, proc.memory.littleEndian);
  }
  if (next) state.set(sig, next);
  return 0;
}

function rtSigprocmask(proc: GuestProcess, [how, set, oldset, sigsetsize]: SyscallArgs): number {
  if (sigsetsize !== proc.abi.nsig / 8) return -E.EINVAL;
  const state = syscallState(proc);
  let next = state.sigmask;
  if (set !== 0) {
    const s = readSigset(proc, set!);
    if (s === undefined) return -E.EFAULT;
    switch (int(how)) {
      case SIG_BLOCK:
        next = state.sigmask | s;
        break;
      case SIG_UNBLOCK:
        next = state.sigmask & ~s;
        break;
      case SIG_SETMASK:
        next = s;
        break;
      default:
        return -E.EINVAL;
    }
  }
  if (oldset !== 0 && !writeSigset(proc, oldset!, state.sigmask)) return -E.EFAULT;
  state.sigmask = next & ~unblockable(proc.abi);
  deliverUnblocked(proc);
  return 0;
}

function sigaltstack(proc: GuestProcess, [ss, oldss]: SyscallArgs): number {
  const state = syscallState(proc);
  let next = state.altStack;
  if (ss !== 0) {
    const v = guestStruct(proc, 'stack', ss!, false);
    if (!v) return -E.EFAULT;
    const flags = v.num('flags');
    if (flags & ~(SS_DISABLE | SS_ONSTACK)) return -E.EINVAL;
    if (flags & SS_DISABLE) next = { sp: 0n, flags: SS_DISABLE, size: 0n };
    else if (v.get('size') < BigInt(proc.abi.minSigStackSize)) return -E.ENOMEM;
    else next = { sp: v.get('sp'), flags: 0, size: v.get('size') };
  }
  if (oldss !== 0) {
    const o = guestStruct(proc, 'stack', oldss!, true);
    if (!o) return -E.EFAULT;
    const cur = state.altStack;
    o.clear();
    o.set('sp', cur.sp);
    o.set('flags', cur.size === 0n ? SS_DISABLE : cur.flags);
    o.set('size', cur.size);
  }
  state.altStack = next;
  return 0;
}

/** A signal sent to the process itself, with the guest's mask and disposition deciding what happens. */
function signalSelf(proc: GuestProcess, sig: number): number {
  if (sig === 0) return 0;
  const state = syscallState(proc);
  const bit = 1n << BigInt(sig - 1);
  if (sig !== proc.abi.signals.SIGKILL && state.sigmask & bit) {
    state.pending |= bit;
    return 0;
  }
  return deliver(proc, sig);
}

/** Acts on an unblocked signal: terminate, stop, ignore, or (not yet) run the guest handler. */
function deliver(proc: GuestProcess, sig: number): number {
  const name = signalName(proc.abi, sig);
  const action = syscallState(proc).sigactions.get(sig);
  if (sig !== proc.abi.signals.SIGKILL && action && action.handler !== SIG_DFL) {
    if (action.handler !== SIG_IGN && proc.options.logItems.has('unimp')) {
      proc.options.log(`signal ${sig} to a guest handler is not delivered yet`);
    }
    return 0;
  }
  if (name && DEFAULT_IGNORED.has(name)) return 0;
  if (name && DEFAULT_STOP.has(name)) return hostSyscall('kill', process.pid, HOST.signals.SIGSTOP);
  throw new GuestExit(0, signalToHost(proc.abi, sig));
}

/** Delivers the pending signals the mask no longer blocks, lowest number first (as Linux does). */
function deliverUnblocked(proc: GuestProcess): void {
  const state = syscallState(proc);
  for (let sig = 1; sig <= proc.abi.nsig; sig++) {
    const bit = 1n << BigInt(sig - 1);
    if (state.pending & bit && !(state.sigmask & bit)) {
      state.pending &= ~bit;
      deliver(proc, sig);
    }
  }
}

function rtSigpending(proc: GuestProcess, [set, sigsetsize]: SyscallArgs): number {
  if (sigsetsize! > proc.abi.nsig / 8) return -E.EINVAL;
  return writeSigset(proc, set!, syscallState(proc).pending) ? 0 : -E.EFAULT;
}

function kill(proc: GuestProcess, [pidArg, sigArg]: SyscallArgs): number {
  const pid = int(pidArg);
  const sig = int(sigArg);
  if (sig < 0 || sig > proc.abi.nsig) return -E.EINVAL;
  if (pid === process.pid) return signalSelf(proc, sig);
  return hostSyscall('kill', pid, sig === 0 ? 0 : signalToHost(proc.abi, sig));
}

function tgkill(proc: GuestProcess, [tgid, tid, sigArg]: SyscallArgs): number {
  const sig = int(sigArg);
  if (sig < 0 || sig > proc.abi.nsig) return -E.EINVAL;
  if (int(tgid) === process.pid && int(tid) === hostSyscall('gettid')) return signalSelf(proc, sig);
  return hostSyscall('tgkill', int(tgid), int(tid), sig === 0 ? 0 : signalToHost(proc.abi, sig));
}

function tkill(proc: GuestProcess, [tid, sig]: SyscallArgs): number {
  return tgkill(proc, [process.pid, tid!, sig!]);
}

export const SIGNAL_SYSCALLS: SyscallGroup = {
  rt_sigaction: syscall('dxxd', rtSigaction),
  rt_sigprocmask: syscall('dxxd', rtSigprocmask),
  rt_sigpending: syscall('xd', rtSigpending),
  sigaltstack: syscall('xx', sigaltstack),
  kill: syscall('dd', kill),
  tkill: syscall('dd', tkill),
  tgkill: syscall('ddd', tgkill),
};
