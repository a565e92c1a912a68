/**
 * Signal bookkeeping: rt_sigaction keeps the guest's dispositions in a per-process table (in guest
 * numbering and guest layout), rt_sigprocmask keeps the guest's mask, sigaltstack its alternate
 * stack; none of them touch the host's own signal handling, which belongs to Node. kill, tkill,
 * tgkill and rt_sigqueueinfo aimed at the process itself go to the guest's signal queue
 * (src/user/signals/): default actions happen at once, guest handlers run when the CPU loop
 * resumes the guest; other targets get the host signal. The itimers (setitimer, getitimer, alarm)
 * raise the guest's SIGALRM, SIGVTALRM and SIGPROF. With guest threads, the mask and alternate stack are the running
 * thread's, and tgkill/tkill reach one thread (src/user/threads/).
 */
import { collectHostSignals, followGuestDisposition, followGuestMask } from '../../user/signals/host-forward';
import type { GuestProcess } from '../../user/process';
import type { LinuxAbi } from '../abi';
import { SIG_DFL, SS_DISABLE, SS_ONSTACK, dispositionOf, signalToHost, unblockable } from '../../user/signals/dispositions';
import { sendToSelf, settleDefaults } from '../../user/signals/deliver';
import { discard } from '../../user/signals/pending';
import { ITIMER_COUNT, itimer, pollTimers, setItimer, type TimerValue } from '../../user/signals/timers';
import { SIGINFO_SIZE, SI_TKILL, SI_USER, type SigInfo } from '../../user/signals/siginfo';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, guestStruct } from './guest-access';
import { signalNumber, sigprocmaskHow } from './strace-names';
import { HOST, hostArena, hostSyscall } from './host';
import { syscallState, type GuestSigaction } from './process-state';
import {
  block,
  currentThreadId,
  multithreaded,
  signalThread,
  threadExists,
  threadPendingSet,
} from '../../user/threads/scheduler';
import { enterWaitMask } from './wait-mask';

export { signalToHost };

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
const NS_PER_S = 1_000_000_000n;
/** Every host signal but the synchronous faults (V8's wasm trap handler relies on SIGSEGV). */
export const HOST_BLOCKABLE = (['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP'] as const).reduce(
  (set, name) => set & ~(1n << BigInt(HOST.signals[name] - 1)),
  (1n << 64n) - 1n,
);

function validSignal(abi: LinuxAbi, sig: number): boolean {
  return sig >= 1 && sig <= abi.nsig;
}

export function readSigset(proc: GuestProcess, addr: number): bigint | undefined {
  if (!proc.memory.accessible(addr, proc.abi.nsig / 8, false)) return undefined;
  return proc.memory.view.getBigUint64(addr, proc.memory.littleEndian);
}

function writeSigset(proc: GuestProcess, addr: number, set: bigint): boolean {
  if (!proc.memory.accessible(addr, proc.abi.nsig / 8, true)) return false;
  proc.memory.view.setBigUint64(addr, set, proc.memory.littleEndian);
  return true;
}

/** The signal's action (SIG_DFL when none was set). */
export function currentSigaction(proc: GuestProcess, sig: number): GuestSigaction {
  return syscallState(proc).sigactions.get(sig) ?? { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
}

/** Gives `sig` the action `next`, as every form of sigaction does once its arguments are read. */
export function setSigaction(proc: GuestProcess, sig: number, next: GuestSigaction): void {
  syscallState(proc).sigactions.set(sig, next);
  followGuestDisposition(proc, sig, next, syscallState(proc).sigmask);
  // Setting a disposition that ignores the signal discards its pending instances (kernel/signal.c).
  if (dispositionOf(proc.abi, sig, next) === 'ignore') discard(proc, sig);
}

/** Whether a signal's action may be changed (it is a signal, and neither SIGKILL nor SIGSTOP). */
export function settableSignal(proc: GuestProcess, sig: number): boolean {
  return validSignal(proc.abi, sig) && sig !== proc.abi.signals.SIGKILL && sig !== proc.abi.signals.SIGSTOP;
}

function rtSigaction(proc: GuestProcess, [sigArg, act, oldact, sigsetsize]: SyscallArgs): number {
  const sig = int(sigArg);
  if (sigsetsize !== proc.abi.nsig / 8 || !validSignal(proc.abi, sig)) return -E.EINVAL;
  let next: GuestSigaction | undefined;
  if (act !== 0) {
    const v = guestStruct(proc, 'sigaction', act!, false);
    if (!v) return -E.EFAULT;
    if (!settableSignal(proc, sig)) return -E.EINVAL;
    const mask = v.bytes('mask');
    next = { handler: v.get('handler'), flags: v.get('flags'), restorer: v.get('restorer'), mask: new DataView(mask.buffer, mask.byteOffset, 8).getBigUint64(0, proc.memory.littleEndian) };
  }
  if (oldact !== 0) {
    const o = guestStruct(proc, 'sigaction', oldact!, true);
    if (!o) return -E.EFAULT;
    const cur = currentSigaction(proc, sig);
    o.clear();
    o.set('handler', cur.handler);
    o.set('flags', cur.flags);
    o.set('restorer', cur.restorer);
    const mask = o.bytes('mask');
    new DataView(mask.buffer, mask.byteOffset, 8).setBigUint64(0, cur.mask, proc.memory.littleEndian);
  }
  if (next) setSigaction(proc, sig, next);
  return 0;
}

/**
 * rt_sigsuspend: the given mask until a signal it lets through is pending, then EINTR. The wait is
 * the host's sigsuspend, which any host signal the guest handles (host-forward.ts) or the host
 * alarm ends; the CPU loop then delivers with the guest's mask put back (suspendedMask).
 */
function rtSigsuspend(proc: GuestProcess, [set, sigsetsize]: SyscallArgs): number {
  if (sigsetsize !== proc.abi.nsig / 8) return -E.EINVAL;
  const mask = readSigset(proc, set!);
  return mask === undefined ? -E.EFAULT : suspendWithMask(proc, mask);
}

/** Waits with blocked-signal set `mask` until a signal it lets through is pending, then EINTR. */
export function suspendWithMask(proc: GuestProcess, mask: bigint): number {
  const pendingAlready = enterWaitMask(proc, mask);
  // With other threads, this one waits in the scheduler, which ends the wait when a signal it lets through comes.
  if (multithreaded(proc)) return pendingAlready ? -E.EINTR : block(proc, {});
  const state = syscallState(proc);
  return hostSleepUntil(proc, () => (state.pending & ~state.sigmask ? -E.EINTR : undefined), undefined)!;
}

/**
 * Sleeps on the host until `check` gives a result, looking after every host signal (and guest
 * timer), or until the monotonic `deadline` passes (the result is then undefined). Host signals
 * stay blocked between a look and the wait, so one arriving in between ends the wait.
 */
export function hostSleepUntil(proc: GuestProcess, check: () => number | undefined, deadline: bigint | undefined): number | undefined {
  const blocked = hostArena.alloc(8);
  const previous = hostArena.alloc(8);
  const timeout = hostArena.alloc(16);
  hostArena.view.setBigUint64(blocked, HOST_BLOCKABLE, true);
  hostSyscall('rt_sigprocmask', SIG_BLOCK, hostArena.address(blocked), hostArena.address(previous), 8);
  try {
    for (;;) {
      collectHostSignals(proc);
      pollTimers(proc);
      const result = check();
      if (result !== undefined) return result;
      if (deadline === undefined) {
        hostSyscall('rt_sigsuspend', hostArena.address(previous), 8);
        continue;
      }
      const left = deadline - process.hrtime.bigint();
      if (left <= 0n) return undefined;
      hostArena.view.setBigInt64(timeout, left / NS_PER_S, true);
      hostArena.view.setBigInt64(timeout + 8, left % NS_PER_S, true);
      hostSyscall('ppoll', 0, 0, hostArena.address(timeout), hostArena.address(previous), 8);
    }
  } finally {
    hostSyscall('rt_sigprocmask', SIG_SETMASK, hostArena.address(previous), 0, 8);
  }
}

function rtSigprocmask(proc: GuestProcess, [how, set, oldset, sigsetsize]: SyscallArgs): number {
  if (sigsetsize !== proc.abi.nsig / 8) return -E.EINVAL;
  const state = syscallState(proc);
  let next = state.sigmask;
  if (set !== 0) {
    const s = readSigset(proc, set!);
    if (s === undefined) return -E.EFAULT;
    const changed = maskAfter(state.sigmask, int(how), s, ~0n);
    if (changed === undefined) return -E.EINVAL;
    next = changed;
  }
  if (oldset !== 0 && !writeSigset(proc, oldset!, state.sigmask)) return -E.EFAULT;
  setSigmask(proc, next);
  return 0;
}

/**
 * The blocked set after sigprocmask's `how` with `set`, of which SIG_SETMASK replaces only the
 * bits in `replaced` (the old calls' one word); undefined for an unknown `how`.
 */
export function maskAfter(mask: bigint, how: number, set: bigint, replaced: bigint): bigint | undefined {
  switch (how) {
    case SIG_BLOCK:
      return mask | set;
    case SIG_UNBLOCK:
      return mask & ~set;
    case SIG_SETMASK:
      return (mask & ~replaced) | (set & replaced);
    default:
      return undefined;
  }
}

/** Makes `next` the blocked set (SIGKILL and SIGSTOP never blocked), then delivers what it unblocked. */
export function setSigmask(proc: GuestProcess, next: bigint): void {
  const state = syscallState(proc);
  const before = state.sigmask;
  state.sigmask = next & ~unblockable(proc.abi);
  followGuestMask(proc, state.sigactions, before, state.sigmask);
  settleDefaults(proc);
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

/** What a signal from kill (SI_USER) or tkill/tgkill (SI_TKILL) tells its handler about the sender. */
function fromSelf(signo: number, code: number): SigInfo {
  return { signo, code, pid: process.pid, uid: process.getuid?.() ?? 0 };
}

function rtSigpending(proc: GuestProcess, [set, sigsetsize]: SyscallArgs): number {
  if (sigsetsize! > proc.abi.nsig / 8) return -E.EINVAL;
  return writeSigset(proc, set!, syscallState(proc).pending | threadPendingSet(proc)) ? 0 : -E.EFAULT;
}

function kill(proc: GuestProcess, [pidArg, sigArg]: SyscallArgs): number {
  const pid = int(pidArg);
  const sig = int(sigArg);
  if (sig < 0 || sig > proc.abi.nsig) return -E.EINVAL;
  if (pid === process.pid) return sig === 0 ? 0 : sendToSelf(proc, fromSelf(sig, SI_USER));
  return hostSyscall('kill', pid, sig === 0 ? 0 : signalToHost(proc.abi, sig));
}

function tgkill(proc: GuestProcess, [tgid, tid, sigArg]: SyscallArgs): number {
  const sig = int(sigArg);
  if (sig < 0 || sig > proc.abi.nsig) return -E.EINVAL;
  if (int(tgid) === process.pid && int(tid) === (currentThreadId(proc) ?? hostSyscall('gettid'))) {
    if (sig === 0) return 0;
    // One thread of several keeps a signal it blocks (signalThread); otherwise it is delivered now.
    let result = 0;
    const send = (info: SigInfo): number => (result = sendToSelf(proc, info));
    if (signalThread(proc, int(tid), fromSelf(sig, SI_TKILL), send)) return result;
    return sendToSelf(proc, fromSelf(sig, SI_TKILL));
  }
  // Another guest thread of this process (they are not host threads).
  if (int(tgid) === process.pid && currentThreadId(proc) !== undefined) {
    if (!threadExists(proc, int(tid))) return -E.ESRCH;
    if (sig !== 0) signalThread(proc, int(tid), fromSelf(sig, SI_TKILL), (info) => sendToSelf(proc, info));
    return 0;
  }
  return hostSyscall('tgkill', int(tgid), int(tid), sig === 0 ? 0 : signalToHost(proc.abi, sig));
}

function tkill(proc: GuestProcess, [tid, sig]: SyscallArgs): number {
  return tgkill(proc, [process.pid, tid!, sig!]);
}

const ITIMER_REAL = 0;
const NS_PER_US = 1000n;
const US_PER_S = 1_000_000n;

/** Reads an itimerval (two timevals) as nanoseconds; undefined for EFAULT, 'invalid' for an out-of-range usec. */
function readItimerval(proc: GuestProcess, addr: number): TimerValue | undefined | 'invalid' {
  const interval = guestStruct(proc, 'timeval', addr, false, 0);
  const value = guestStruct(proc, 'timeval', addr, false, 1);
  if (!interval || !value) return undefined;
  const ns = (tv: typeof value): bigint | undefined => {
    const usec = tv.get('usec');
    if (tv.get('sec') < 0n || usec < 0n || usec >= US_PER_S) return undefined;
    return (tv.get('sec') * US_PER_S + usec) * NS_PER_US;
  };
  const valueNs = ns(value);
  const intervalNs = ns(interval);
  return valueNs === undefined || intervalNs === undefined ? 'invalid' : { valueNs, intervalNs };
}

/** Writes an itimerval, rounding nanoseconds up to whole microseconds as the kernel does. */
function writeItimerval(proc: GuestProcess, addr: number, timer: TimerValue): boolean {
  const fields = [timer.intervalNs, timer.valueNs];
  for (let i = 0; i < 2; i++) {
    const tv = guestStruct(proc, 'timeval', addr, true, i);
    if (!tv) return false;
    const us = (fields[i]! + NS_PER_US - 1n) / NS_PER_US;
    tv.set('sec', us / US_PER_S);
    tv.set('usec', us % US_PER_S);
  }
  return true;
}

function setitimer(proc: GuestProcess, [which, newValue, oldValue]: SyscallArgs): number {
  if (int(which) < 0 || int(which) >= ITIMER_COUNT) return -E.EINVAL;
  const next = newValue === 0 ? { valueNs: 0n, intervalNs: 0n } : readItimerval(proc, newValue!);
  if (next === undefined) return -E.EFAULT;
  if (next === 'invalid') return -E.EINVAL;
  const old = setItimer(proc, int(which), next);
  if (oldValue !== 0 && !writeItimerval(proc, oldValue!, old)) return -E.EFAULT;
  return 0;
}

function getitimer(proc: GuestProcess, [which, value]: SyscallArgs): number {
  if (int(which) < 0 || int(which) >= ITIMER_COUNT) return -E.EINVAL;
  return writeItimerval(proc, value!, itimer(proc, int(which))) ? 0 : -E.EFAULT;
}

/** alarm: whole seconds; the old time left rounds to the nearest second, and is at least 1 if any was left. */
function alarm(proc: GuestProcess, [seconds]: SyscallArgs): number {
  const old = setItimer(proc, ITIMER_REAL, { valueNs: BigInt(seconds! >>> 0) * US_PER_S * NS_PER_US, intervalNs: 0n });
  if (old.valueNs === 0n) return 0;
  const us = (old.valueNs + NS_PER_US - 1n) / NS_PER_US;
  const secs = us / US_PER_S + (us % US_PER_S >= US_PER_S / 2n ? 1n : 0n);
  return Number(secs > 0n ? secs : 1n);
}

/**
 * rt_sigqueueinfo: to itself, the caller's siginfo is delivered as it is (the kernel only fixes
 * si_signo); to another process it goes through the host when the guest's siginfo is laid out as
 * the host's (64-bit little-endian), and is refused otherwise.
 */
function rtSigqueueinfo(proc: GuestProcess, [tgid, sigArg, uinfo]: SyscallArgs): number {
  const sig = int(sigArg);
  if (!validSignal(proc.abi, sig)) return -E.EINVAL;
  if (!proc.memory.accessible(uinfo!, SIGINFO_SIZE, false)) return -E.EFAULT;
  const raw = proc.memory.readBytes(uinfo!, SIGINFO_SIZE).slice();
  const view = new DataView(raw.buffer);
  const le = proc.memory.littleEndian;
  if (int(tgid) !== process.pid) {
    if (proc.abi.wordSize !== 8 || !le) return -E.EPERM;
    view.setInt32(0, signalToHost(proc.abi, sig), true);
    return hostSyscall('rt_sigqueueinfo', int(tgid), signalToHost(proc.abi, sig), hostArena.cString(raw));
  }
  return sendToSelf(proc, { signo: sig, code: view.getInt32(8, le), errno: view.getInt32(4, le), raw });
}

export const SIGNAL_SYSCALLS: SyscallGroup = {
  // QEMU prints neither call's sigsetsize.
  rt_sigaction: syscall([signalNumber, 'x', 'x'], rtSigaction),
  rt_sigprocmask: syscall([sigprocmaskHow, 'x', 'x'], rtSigprocmask),
  rt_sigsuspend: syscall('xd', rtSigsuspend),
  rt_sigpending: syscall('xd', rtSigpending),
  sigaltstack: syscall('xx', sigaltstack),
  kill: syscall(['d', signalNumber], kill),
  tkill: syscall(['d', signalNumber], tkill),
  tgkill: syscall(['d', 'd', signalNumber], tgkill),
  rt_sigqueueinfo: syscall(['d', signalNumber, 'x'], rtSigqueueinfo),
  setitimer: syscall('dxx', setitimer),
  getitimer: syscall('dx', getitimer),
  alarm: syscall('d', alarm),
};
