/**
 * Guest threads as green threads (M:1), shared by the Linux and FreeBSD layers. Every guest thread
 * runs on the one host thread, because all process state (descriptor table, address-space map,
 * signal dispositions, translation caches) lives in JavaScript there. Each thread has its own CPU
 * state block (layout.ts STATE_BASE + slot * STATE_SIZE); switching makes proc.stateBase point at
 * another block and swaps the per-thread parts of the syscall state (signal mask, alternate stack,
 * clear-child-tid, robust list).
 *
 * The running thread changes only when it blocks in a syscall (the handler calls block(), which
 * throws ThreadSwitch out of the syscall), yields, ends, or when its time slice ends (preempt.ts
 * makes the engine return TrapKind.Yield). A blocked thread stays stopped at its syscall
 * instruction; it is resumed with a result (its syscall then completes as usual), with a function
 * computing one, or 'rerun' (the syscall runs again, now that its descriptors are ready). When no
 * thread can run, the process sleeps in one host ppoll over every waiting thread's descriptors,
 * until the nearest deadline or a host signal.
 *
 * Nothing here exists until the first thread is created: a single-threaded guest keeps the direct
 * host paths (futex, blocking reads) it always had.
 */
import { E } from '../../syscalls/linux/guest-access';
import { hostArena, hostSyscall } from '../../syscalls/linux/host';
import { syscallState } from '../../syscalls/linux/process-state';
import { MAX_THREADS, STATE_BASE, STATE_SIZE } from '../../memory/layout';
import type { GuestProcess } from '../process';
import { collectHostSignals } from '../signals/host-forward';
import { enqueue } from '../signals/pending';
import { sigBit } from '../signals/dispositions';
import type { SigInfo } from '../signals/siginfo';
import { pollTimers } from '../signals/timers';
import { forgetTicker, setTimeSlicing } from './preempt';
import { nextThreadId } from './thread-ids';

/** How a blocked thread goes on: its syscall's result (host -errno), a function computing it, or running the syscall again. */
export type Resume = number | (() => number) | 'rerun';

/** A host descriptor and the poll events a blocked call waits for. */
export interface HostPollFd {
  fd: number;
  events: number;
}

/** What a blocked thread waits for; whichever comes first ends the wait. A signal it does not block ends it with EINTR. */
export interface Wait {
  /** A futex word (guest address) and the FUTEX_WAIT_BITSET mask; futex wakes end the wait with 0. */
  readonly futex?: { addr: number; bitset: number; shared?: () => boolean };
  /** Monotonic deadline (ns) and how the thread goes on when it passes. */
  readonly deadline?: bigint;
  readonly onTimeout?: Resume;
  /** Descriptors: when one is ready, the thread goes on with onReady (default: its syscall runs again). */
  readonly fds?: readonly HostPollFd[];
  readonly onReady?: Resume;
  /** Checks readiness without blocking (kqueue, wait4): a result ends the wait with it. Checked every RECHECK_NS while all threads sleep. */
  readonly poll?: () => number | undefined;
  /** Signals (a guest sigset) the call takes itself (rt_sigtimedwait): one pending for the thread ends the wait with the call run again. */
  readonly signals?: bigint;
  /** How the thread goes on when a signal it does not block ends the wait (default: EINTR). */
  readonly onSignal?: Resume;
}

interface GreenThread {
  tid: number;
  readonly stateBase: number;
  /** Per-thread syscall state while the thread is not running (the running thread's is in syscallState). */
  sigmask: bigint;
  altStack: { sp: bigint; flags: number; size: bigint };
  clearChildTid: number;
  robustList: { head: number; length: number };
  suspendedMask: bigint | undefined;
  /** Signals sent to this thread (tgkill) not yet handed to the process queue for delivery. */
  readonly signals: SigInfo[];
  wait: Wait | undefined;
  resume: Resume | undefined;
}

interface Scheduler {
  readonly threads: GreenThread[];
  current: GreenThread;
  /** The last created thread's id (thread-ids.ts hands out the next). */
  lastTid: number | undefined;
}

/** Thrown out of a syscall handler when the running thread blocked, yielded or ended: the CPU loop switches threads. */
export class ThreadSwitch extends Error {
  constructor() {
    super('guest thread switch');
  }
}

const NS_PER_S = 1_000_000_000n;
/** How often polled waits (and shared futexes, which other processes may change) are looked at while every thread sleeps. */
const RECHECK_NS = 1_000_000n;
const POLLFD_SIZE = 8;

const schedulers = new WeakMap<GuestProcess, Scheduler>();

export const monotonicNs = (): bigint => process.hrtime.bigint();

function scheduler(proc: GuestProcess): Scheduler {
  let s = schedulers.get(proc);
  if (!s) {
    const state = syscallState(proc);
    const main: GreenThread = {
      tid: hostSyscall('gettid'),
      stateBase: proc.stateBase,
      sigmask: state.sigmask,
      altStack: { ...state.altStack },
      clearChildTid: state.clearChildTid,
      robustList: { ...state.robustList },
      suspendedMask: state.suspendedMask,
      signals: [],
      wait: undefined,
      resume: undefined,
    };
    s = { threads: [main], current: main, lastTid: undefined };
    schedulers.set(proc, s);
  }
  return s;
}

/** Whether other threads exist (then waits park the thread instead of blocking the host). */
export function multithreaded(proc: GuestProcess): boolean {
  return (schedulers.get(proc)?.threads.length ?? 1) > 1;
}

/** The running thread's id, or undefined while the process never made a thread (then it is the host's). */
export function currentThreadId(proc: GuestProcess): number | undefined {
  return schedulers.get(proc)?.current.tid;
}

/** The live threads and their CPU state blocks (for the debugger), in creation order; empty before the first clone. */
export function threadStates(proc: GuestProcess): { tid: number; stateBase: number }[] {
  return (schedulers.get(proc)?.threads ?? []).map((t) => ({ tid: t.tid, stateBase: t.stateBase }));
}

/** Every live thread's id and robust list head, the running thread's first (its own while the process never made a thread). */
export function robustLists(proc: GuestProcess): { tid: number; head: number }[] {
  const s = schedulers.get(proc);
  const running = { tid: s?.current.tid ?? hostSyscall('gettid'), head: syscallState(proc).robustList.head };
  const others = (s?.threads ?? []).filter((t) => t !== s?.current).map((t) => ({ tid: t.tid, head: t.robustList.head }));
  return [running, ...others];
}

/** Whether `tid` is a live thread of the process. */
export function threadExists(proc: GuestProcess, tid: number): boolean {
  return schedulers.get(proc)?.threads.some((t) => t.tid === tid) ?? false;
}

/**
 * Creates a runnable thread whose CPU state starts as a copy of the running thread's, changed by
 * `init`; it first goes on with `resume` (a clone child: its syscall returns 0). Returns its id,
 * or -EAGAIN when every state block or thread id is taken.
 */
export function spawnThread(proc: GuestProcess, init: (state: DataView, base: number) => void, resume: Resume | undefined): number {
  const s = scheduler(proc);
  const used = new Set(s.threads.map((t) => t.stateBase));
  let slot = 0;
  while (slot < MAX_THREADS && used.has(STATE_BASE + slot * STATE_SIZE)) slot++;
  const tid = nextThreadId(hostSyscall('getpid'), s.lastTid, new Set(s.threads.map((t) => t.tid)));
  if (slot === MAX_THREADS || tid === undefined) return -E.EAGAIN;
  s.lastTid = tid;
  const base = STATE_BASE + slot * STATE_SIZE;
  const u8 = proc.memory.u8;
  u8.copyWithin(base, proc.stateBase, proc.stateBase + STATE_SIZE);
  init(proc.memory.view, base);
  const t: GreenThread = {
    tid,
    stateBase: base,
    sigmask: syscallState(proc).sigmask,
    // A new thread has no alternate signal stack and no clear-child-tid or robust list of its own yet.
    altStack: { sp: 0n, flags: 0, size: 0n },
    clearChildTid: 0,
    robustList: { head: 0, length: 0 },
    suspendedMask: undefined,
    signals: [],
    wait: undefined,
    resume,
  };
  s.threads.push(t);
  setTimeSlicing(proc.memory, 'threads', true);
  return t.tid;
}

/** CLONE_CHILD_CLEARTID for a thread just created (not running): the word cleared and woken when it ends. */
export function setClearChildTid(proc: GuestProcess, tid: number, addr: number): void {
  const t = schedulers.get(proc)?.threads.find((x) => x.tid === tid);
  if (t) t.clearChildTid = addr;
}

/** Parks the running thread on `wait`; never returns (the CPU loop runs another thread). */
export function block(proc: GuestProcess, wait: Wait): never {
  scheduler(proc).current.wait = wait;
  throw new ThreadSwitch();
}

/** sched_yield: the other runnable threads run first; the caller's syscall returns 0. */
export function yieldThread(proc: GuestProcess): never {
  scheduler(proc).current.resume = 0;
  throw new ThreadSwitch();
}

/** Ends the running thread's call with `result` without waiting; the other runnable threads run first. */
export function finishCall(proc: GuestProcess, result: Resume): never {
  scheduler(proc).current.resume = result;
  throw new ThreadSwitch();
}

/** Ends the running thread (one of several); never returns. */
export function exitThread(proc: GuestProcess): never {
  const s = scheduler(proc);
  s.threads.splice(s.threads.indexOf(s.current), 1);
  throw new ThreadSwitch();
}

/**
 * A waiting thread became runnable while another runs: time slices are armed again, since the last
 * switch may have stopped them (every other thread was waiting then), and the running thread may now
 * spin until the woken one acts (Go's runtime does: its scheduler wakes an M, then runs a goroutine
 * that loops without syscalls until a stop-the-world preempts it).
 */
function runnableAgain(proc: GuestProcess): void {
  setTimeSlicing(proc.memory, 'threads', true);
}

/** Wakes up to `count` threads waiting on the futex word at `addr` whose bitset meets `bitset`; returns how many. */
export function wakeFutex(proc: GuestProcess, addr: number, count: number, bitset = 0xffffffff): number {
  const s = schedulers.get(proc);
  let woken = 0;
  for (const t of s?.threads ?? []) {
    if (woken >= count) break;
    const f = t.wait?.futex;
    if (!f || f.addr !== addr || (f.bitset & bitset) === 0) continue;
    t.wait = undefined;
    t.resume = 0;
    woken++;
  }
  if (woken > 0) runnableAgain(proc);
  return woken;
}

/** FUTEX_REQUEUE: wakes up to `wake` waiters on `from` and moves up to `move` others to wait on `to`; returns both counts. */
export function requeueFutex(proc: GuestProcess, from: number, to: number, wake: number, move: number): { woken: number; moved: number } {
  const woken = wakeFutex(proc, from, wake);
  let moved = 0;
  for (const t of schedulers.get(proc)?.threads ?? []) {
    if (moved >= move) break;
    const f = t.wait?.futex;
    if (!f || f.addr !== from) continue;
    t.wait = { ...t.wait, futex: { ...f, addr: to } };
    moved++;
  }
  return { woken, moved };
}

/**
 * tgkill/tkill (or a SIGEV_THREAD_ID timer) to thread `tid` of this process: the running thread
 * gets it through the process queue at once unless it blocks it; otherwise the thread keeps it
 * until it runs with the signal unblocked or waits for it (a wait it is in ends with EINTR unless it
 * blocks the signal), as no other thread may take it. False when there is no such thread.
 */
export function signalThread(proc: GuestProcess, tid: number, info: SigInfo, sendToRunning: (info: SigInfo) => number): boolean {
  const s = schedulers.get(proc);
  const t = s?.threads.find((x) => x.tid === tid);
  if (!s || !t) return false;
  const bit = sigBit(info.signo);
  // The running thread takes it now; the one that just blocked (a switch is under way) like any other waiting thread.
  // Blocked, it stays the thread's: in the process queue another thread would take it (glibc's
  // timer helper thread blocks SIGTIMER and sigwaits for it, the threads it starts unblock it).
  if (t === s.current && !t.wait && !(syscallState(proc).sigmask & bit)) sendToRunning(info);
  else {
    t.signals.push(info);
    // A wait that takes the signal itself (rt_sigtimedwait) runs again to take it, whatever the mask.
    if (t.wait?.signals !== undefined && t.wait.signals & bit) {
      t.wait = undefined;
      t.resume = 'rerun';
      runnableAgain(proc);
    } else if (t.wait && !(t.sigmask & bit)) {
      interrupt(t);
      runnableAgain(proc);
    }
  }
  return true;
}

/**
 * The signals pending for the running thread alone (tgkill, a thread's timer), which sigpending
 * reports with the process's.
 */
export function threadPendingSet(proc: GuestProcess): bigint {
  const signals = schedulers.get(proc)?.current.signals ?? [];
  return signals.reduce((set, info) => set | sigBit(info.signo), 0n);
}

/** Takes the running thread's own pending signal (tgkill) in `set` of the lowest number, for rt_sigtimedwait; undefined when none. */
export function takeThreadSignal(proc: GuestProcess, set: bigint): SigInfo | undefined {
  const signals = schedulers.get(proc)?.current.signals ?? [];
  let best = -1;
  signals.forEach((info, i) => {
    if (set & sigBit(info.signo) && (best < 0 || info.signo < signals[best]!.signo)) best = i;
  });
  return best < 0 ? undefined : signals.splice(best, 1)[0];
}

/** Hands the running thread's own pending signals that it does not block to the process queue, so they are delivered to it now. */
export function claimThreadSignals(proc: GuestProcess): void {
  const s = schedulers.get(proc);
  if (!s || s.current.signals.length === 0) return;
  const mask = syscallState(proc).sigmask;
  const kept = s.current.signals.filter((info) => mask & sigBit(info.signo));
  for (const info of s.current.signals) if (!(mask & sigBit(info.signo))) enqueue(proc, info);
  s.current.signals.splice(0, s.current.signals.length, ...kept);
}

function interrupt(t: GreenThread): void {
  t.resume = t.wait?.onSignal ?? -E.EINTR;
  t.wait = undefined;
}

function saveRunning(proc: GuestProcess, t: GreenThread): void {
  const state = syscallState(proc);
  t.sigmask = state.sigmask;
  t.altStack = { ...state.altStack };
  t.clearChildTid = state.clearChildTid;
  t.robustList = { ...state.robustList };
  t.suspendedMask = state.suspendedMask;
}

function load(proc: GuestProcess, s: Scheduler, t: GreenThread): void {
  const state = syscallState(proc);
  state.sigmask = t.sigmask;
  state.altStack = { ...t.altStack };
  state.clearChildTid = t.clearChildTid;
  state.robustList = { ...t.robustList };
  state.suspendedMask = t.suspendedMask;
  proc.stateBase = t.stateBase;
  s.current = t;
}

/**
 * Ends the waits that are over: futex words another process changed, ready descriptors and polls,
 * deadlines, signals. A signal sent to the process ends one wait, unless `runner` (the thread that
 * was running and can run on) takes it.
 */
function settleWaits(proc: GuestProcess, s: Scheduler, runner: GreenThread | undefined): void {
  collectHostSignals(proc);
  pollTimers(proc);
  const pending = syscallState(proc).pending;
  const now = monotonicNs();
  const fdWaiters = s.threads.filter((t) => t.wait?.fds?.length);
  const ready = fdWaiters.length ? hostReady(fdWaiters.flatMap((t) => t.wait!.fds!), 0n) : undefined;
  let offset = 0;
  let processSignalTaken = runner !== undefined && (pending & ~runner.sigmask) !== 0n;
  for (const t of s.threads) {
    const w = t.wait;
    if (!w) continue;
    const privateBits = t.signals.reduce((bits, info) => bits | sigBit(info.signo), 0n);
    const mask = t.sigmask;
    if (w.signals !== undefined && ((privateBits | pending) & w.signals) !== 0n) {
      t.wait = undefined;
      t.resume = 'rerun';
      continue;
    }
    if ((privateBits & ~mask) !== 0n || (!processSignalTaken && (pending & ~mask) !== 0n)) {
      processSignalTaken ||= (pending & ~mask) !== 0n;
      interrupt(t);
      continue;
    }
    if (w.fds?.length) {
      const any = ready!.slice(offset, offset + w.fds.length).some((r) => r);
      offset += w.fds.length;
      if (any) {
        t.wait = undefined;
        t.resume = w.onReady ?? 'rerun';
        continue;
      }
    }
    const polled = w.poll?.();
    if (polled !== undefined || w.futex?.shared?.()) {
      t.wait = undefined;
      t.resume = polled ?? 0;
    } else if (w.deadline !== undefined && now >= w.deadline) {
      t.wait = undefined;
      t.resume = w.onTimeout ?? 'rerun';
    }
  }
}

/** Which of `fds` are ready (one host ppoll, waiting at most `timeoutNs`; undefined waits until one is or a signal comes). */
export function hostReady(fds: readonly HostPollFd[], timeoutNs: bigint | undefined = 0n): boolean[] {
  const array = hostArena.alloc(POLLFD_SIZE * Math.max(fds.length, 1));
  fds.forEach((p, i) => {
    hostArena.view.setInt32(array + i * POLLFD_SIZE, p.fd, true);
    hostArena.view.setInt16(array + i * POLLFD_SIZE + 4, p.events, true);
    hostArena.view.setInt16(array + i * POLLFD_SIZE + 6, 0, true);
  });
  let ts = 0;
  if (timeoutNs !== undefined) {
    const t = timeoutNs > 0n ? timeoutNs : 0n;
    ts = hostArena.alloc(16);
    hostArena.view.setBigInt64(ts, t / NS_PER_S, true);
    hostArena.view.setBigInt64(ts + 8, t % NS_PER_S, true);
  }
  const r = hostSyscall('ppoll', hostArena.address(array), fds.length, ts ? hostArena.address(ts) : 0, 0, 8);
  return fds.map((_, i) => r > 0 && hostArena.view.getInt16(array + i * POLLFD_SIZE + 6, true) !== 0);
}

/** Sleeps until some wait may be over: a descriptor ready, the nearest deadline, a recheck, or a host signal. */
function sleepUntilSomethingHappens(s: Scheduler): void {
  const now = monotonicNs();
  let until: bigint | undefined;
  for (const t of s.threads) {
    const w = t.wait!;
    const at = w.poll || w.futex?.shared ? now + RECHECK_NS : w.deadline;
    if (at !== undefined && (until === undefined || at < until)) until = at;
  }
  hostReady(s.threads.flatMap((t) => t.wait!.fds ?? []), until === undefined ? undefined : until - now);
}

/** Arms time slices while some other thread could run or has a wait to look at. */
function updateTimeSlicing(proc: GuestProcess, s: Scheduler): void {
  const useful = s.threads.some((t) => t !== s.current && (!t.wait || t.wait.deadline !== undefined || t.wait.fds || t.wait.poll));
  setTimeSlicing(proc.memory, 'threads', useful);
}

/**
 * Runs the next runnable thread after the running one (round robin; the running one last, if it
 * can still run), sleeping on the host while none can. Returns how the thread switched to goes
 * on (undefined: it simply continues).
 */
export function switchThread(proc: GuestProcess): Resume | undefined {
  const s = scheduler(proc);
  const running = s.current;
  const alive = s.threads.includes(running);
  if (alive) saveRunning(proc, running);
  const from = alive ? s.threads.indexOf(running) : -1;
  for (;;) {
    hostArena.reset();
    settleWaits(proc, s, alive && !running.wait ? running : undefined);
    const order = [...s.threads.slice(from + 1), ...s.threads.slice(0, from + 1)];
    const next = order.find((t) => t.wait === undefined);
    if (next) {
      load(proc, s, next);
      updateTimeSlicing(proc, s);
      const resume = next.resume;
      next.resume = undefined;
      return resume;
    }
    sleepUntilSomethingHappens(s);
  }
}

/** The time slice ended: another runnable thread runs (the preempted one goes on later from where it is). */
export function preempt(proc: GuestProcess): Resume | undefined {
  return schedulers.has(proc) ? switchThread(proc) : undefined;
}

/** fork in a threaded process: the child has only the thread that forked, whose id is the child's pid. */
export function keepOnlyRunningThread(proc: GuestProcess): void {
  const s = schedulers.get(proc);
  forgetTicker(proc.memory);
  if (!s) return;
  s.threads.splice(0, s.threads.length, s.current);
  s.current.tid = hostSyscall('getpid');
}
