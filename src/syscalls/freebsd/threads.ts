/**
 * FreeBSD threads (thr_new) as green threads: every guest thread runs on the one host thread,
 * and the running one changes only inside a syscall that blocks (an _umtx_op wait, nanosleep,
 * sched_yield, thr_exit), as a uniprocessor kernel switches. Switching saves the running
 * thread's CPU state block, signal mask and alternate stack and loads another's; the syscall
 * being serviced then completes for the thread switched to (its own pending call: the result it
 * was woken with). A new thread is set up as if suspended in a syscall returning its argument to
 * start_func. With one thread, nothing here is used and waits go to the host's futex.
 *
 * Limits: a thread that spins without making a syscall keeps the others from running; a thread
 * blocked in a host call (read on a pipe) blocks them all. tsemu's native thread support (worker
 * threads) will replace this.
 */
import { hostArena, hostSyscall } from '../linux/host';
import { syscallState } from '../linux/process-state';
import { SP, STATE_SIZE_AARCH64, TPIDR_EL0, xreg } from '../../translate/aarch64/state';
import { STATE_PC } from '../../translate/frontend';
import { sendToSelf } from '../../user/signals/deliver';
import { SS_DISABLE } from '../../user/signals/dispositions';
import { SI_TKILL } from '../../user/signals/siginfo';
import type { GuestProcess } from '../../user/process';

/** What a blocked thread waits for: a wake-up on a word, a deadline (monotonic ns), or both. */
export interface Wait {
  readonly addr?: number;
  readonly deadline?: bigint;
  /** The result its syscall returns when the deadline passes first. */
  readonly timeoutResult: number;
  /** For a wait on descriptors (kevent): checks readiness without blocking; a result ends the wait. */
  readonly poll?: () => number | undefined;
}

interface GreenThread {
  readonly id: number;
  /** CPU state while it is not running. */
  readonly saved: Uint8Array;
  sigmask: bigint;
  altStack: { sp: bigint; flags: number; size: bigint };
  wait: Wait | undefined;
  /** The result of the syscall it is suspended in, returned when it runs again. */
  result: number;
  /** Signals thr_kill sent it while it was not running. */
  readonly signals: number[];
}

interface Scheduler {
  readonly threads: GreenThread[];
  current: GreenThread;
  nextId: number;
}

/** Thread ids of created threads (FreeBSD numbers threads above its process ids too). */
const FIRST_THREAD_ID = 1_000_000_000;
const NS_PER_S = 1_000_000_000n;
/** How often threads waiting in kevent look at their descriptors again while all threads wait. */
const POLL_INTERVAL_NS = 1_000_000n;

const schedulers = new WeakMap<GuestProcess, Scheduler>();

export const monotonicNs = (): bigint => process.hrtime.bigint();

function newThread(id: number, proc: GuestProcess): GreenThread {
  const state = syscallState(proc);
  return {
    id,
    saved: new Uint8Array(STATE_SIZE_AARCH64),
    sigmask: state.sigmask,
    altStack: { ...state.altStack },
    wait: undefined,
    result: 0,
    signals: [],
  };
}

function scheduler(proc: GuestProcess): Scheduler {
  let s = schedulers.get(proc);
  if (!s) {
    const main = newThread(hostSyscall('gettid'), proc);
    s = { threads: [main], current: main, nextId: FIRST_THREAD_ID };
    schedulers.set(proc, s);
  }
  return s;
}

/** The running thread's id (thr_self). */
export function currentThreadId(proc: GuestProcess): number {
  return scheduler(proc).current.id;
}

/** Whether other threads exist (then waits must switch rather than sleep on the host). */
export function multithreaded(proc: GuestProcess): boolean {
  return scheduler(proc).threads.length > 1;
}

export interface ThreadStart {
  entry: number;
  arg: number;
  stackTop: number;
  tls: number;
}

/** Creates a runnable thread that will enter `entry(arg)` on its own stack with its TLS pointer; returns its id. */
export function spawnThread(proc: GuestProcess, start: ThreadStart): number {
  const s = scheduler(proc);
  const t = newThread(s.nextId++, proc);
  // A new thread inherits the signal mask but has no alternate signal stack of its own yet.
  t.altStack = { sp: 0n, flags: SS_DISABLE, size: 0n };
  t.saved.set(proc.memory.u8.subarray(proc.stateBase, proc.stateBase + STATE_SIZE_AARCH64));
  const saved = new DataView(t.saved.buffer);
  for (let i = 0; i <= 30; i++) saved.setBigUint64(xreg(i), 0n, true);
  saved.setBigUint64(SP, BigInt(start.stackTop - (start.stackTop % 16)), true);
  saved.setBigUint64(TPIDR_EL0, BigInt(start.tls), true);
  // Suspended "in a syscall" one instruction before entry: completing it steps to entry with x0 = arg.
  saved.setBigUint64(STATE_PC, BigInt(start.entry - 4), true);
  t.result = start.arg;
  s.threads.push(t);
  return t.id;
}

/**
 * The pc of the thread that entered the syscall during which the running thread changed, by
 * state block. The CPU loop steps "past the syscall" from the pc it read on entry, which belonged
 * to that thread; the target's syscallLength turns this into the step that lands the thread now
 * running after its own syscall instead.
 */
const switchOrigins = new Map<number, bigint>();

/** The entering thread's pc if the running thread changed during this syscall (and forgets it). */
export function takeSwitchOrigin(stateBase: number): bigint | undefined {
  const origin = switchOrigins.get(stateBase);
  switchOrigins.delete(stateBase);
  return origin;
}

function swapTo(proc: GuestProcess, s: Scheduler, next: GreenThread, saveCurrent: boolean): void {
  const state = syscallState(proc);
  const block = proc.memory.u8.subarray(proc.stateBase, proc.stateBase + STATE_SIZE_AARCH64);
  if (next === s.current) return;
  if (!switchOrigins.has(proc.stateBase))
    switchOrigins.set(proc.stateBase, proc.memory.view.getBigUint64(proc.stateBase + STATE_PC, true));
  if (saveCurrent) {
    s.current.saved.set(block);
    s.current.sigmask = state.sigmask;
    s.current.altStack = { ...state.altStack };
  }
  block.set(next.saved);
  state.sigmask = next.sigmask;
  state.altStack = { ...next.altStack };
  s.current = next;
}

/** Runs the next runnable thread (round robin after the current one); returns its pending result. */
function reschedule(proc: GuestProcess, s: Scheduler, saveCurrent: boolean): number {
  for (;;) {
    // Nothing of the blocking call's own host scratch space is needed any more; each round's polls start afresh.
    hostArena.reset();
    const now = monotonicNs();
    for (const t of s.threads) {
      const ready = t.wait?.poll?.();
      if (ready !== undefined) {
        t.result = ready;
        t.wait = undefined;
      } else if (t.wait?.deadline !== undefined && now >= t.wait.deadline) {
        t.result = t.wait.timeoutResult;
        t.wait = undefined;
      }
    }
    const from = s.threads.indexOf(s.current);
    const order = [...s.threads.slice(from + 1), ...s.threads.slice(0, from + 1)];
    const next = order.find((t) => t.wait === undefined);
    if (next) {
      swapTo(proc, s, next, saveCurrent);
      const result = next.result;
      for (const sig of next.signals.splice(0))
        sendToSelf(proc, { signo: sig, code: SI_TKILL, pid: process.pid, uid: process.getuid?.() ?? 0 });
      return result;
    }
    const deadlines = s.threads.flatMap((t) => (t.wait?.deadline === undefined ? [] : [t.wait.deadline]));
    // Descriptor waits are polled again after a short sleep.
    if (s.threads.some((t) => t.wait?.poll)) deadlines.push(now + POLL_INTERVAL_NS);
    // Every thread waits for a wake-up no running thread can give: FreeBSD would hang too.
    const until = deadlines.length ? deadlines.reduce((a, b) => (a < b ? a : b)) - now : NS_PER_S;
    hostSleep(until);
  }
}

function hostSleep(ns: bigint): void {
  const at = hostArena.alloc(16);
  hostArena.view.setBigInt64(at, ns / NS_PER_S, true);
  hostArena.view.setBigInt64(at + 8, ns % NS_PER_S, true);
  hostSyscall('nanosleep', hostArena.address(at), 0);
}

/** Blocks the running thread on `wait` and runs another; returns the result for the thread now running. */
export function blockCurrent(proc: GuestProcess, wait: Wait): number {
  const s = scheduler(proc);
  s.current.wait = wait;
  return reschedule(proc, s, true);
}

/** sched_yield: lets the other runnable threads run first. */
export function yieldCurrent(proc: GuestProcess): number {
  const s = scheduler(proc);
  s.current.result = 0;
  return reschedule(proc, s, true);
}

/** Wakes up to `count` threads waiting on `addr`; returns how many. */
export function wakeWaiters(proc: GuestProcess, addr: number, count: number): number {
  let woken = 0;
  for (const t of scheduler(proc).threads) {
    if (woken >= count) break;
    if (t.wait?.addr !== addr) continue;
    t.wait = undefined;
    t.result = 0;
    woken++;
  }
  return woken;
}

/** thr_exit of one of several threads: it is gone, another runs. */
export function exitCurrent(proc: GuestProcess): number {
  const s = scheduler(proc);
  s.threads.splice(s.threads.indexOf(s.current), 1);
  // The exiting thread's state is dropped, not saved: the next thread's replaces it.
  return reschedule(proc, s, false);
}

/** thr_kill: a thread not running gets the signal when it next runs; signal 0 only checks it exists. False when no such thread. */
export function signalThread(proc: GuestProcess, id: number, sig: number): boolean {
  const t = scheduler(proc).threads.find((x) => x.id === id);
  if (!t) return false;
  if (sig === 0) return true;
  if (t === scheduler(proc).current)
    sendToSelf(proc, { signo: sig, code: SI_TKILL, pid: process.pid, uid: process.getuid?.() ?? 0 });
  else t.signals.push(sig);
  return true;
}
