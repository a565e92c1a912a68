/**
 * The guest's timers: the itimers of setitimer (ITIMER_REAL, and ITIMER_VIRTUAL and ITIMER_PROF on
 * the process's CPU time) and alarm, and the POSIX timers of timer_create (posix-timers.ts), each
 * on its own clock. When one expires, its action runs (an itimer queues SIGALRM, SIGVTALRM or
 * SIGPROF with SI_KERNEL, as the kernel sends them); the CPU loop checks after every syscall and
 * trap (pollTimers), the host alarm (host-alarm.ts) makes a blocking syscall return EINTR at the
 * earliest expiry so the check comes in time, and while a timer is armed, time slices
 * (src/user/threads/preempt.ts) bring a loop without syscalls back to the check.
 */
import { native } from '../../native';
import type { SignalName } from '../../syscalls/abi';
import { hostSyscall } from '../../syscalls/linux/host';
import type { GuestProcess } from '../process';
import { armHostAlarm, forgetHostAlarm } from './host-alarm';
import { setTimeSlicing } from '../threads/preempt';
import { enqueue } from './pending';
import { SI_KERNEL } from './siginfo';

/** A timer value as itimerval and itimerspec carry it, in nanoseconds (0 value = disarmed). */
export interface TimerValue {
  valueNs: bigint;
  intervalNs: bigint;
}

/** One guest timer. */
export interface GuestTimer {
  /** Reads the timer's clock, in nanoseconds. */
  readonly clock: () => bigint;
  /** Expiry time on `clock`, or undefined when disarmed. */
  deadline?: bigint;
  intervalNs: bigint;
  /** Runs when the CPU loop notices an expiry; `missed` counts the further periods that passed meanwhile. */
  readonly expire: (missed: bigint) => void;
}

/** Each process's armed timers, and its itimers by `which`. */
const armed = new WeakMap<GuestProcess, Set<GuestTimer>>();
const itimers = new WeakMap<GuestProcess, Map<number, GuestTimer>>();
/** How often the host alarm fires again after a one-shot expiry the CPU loop has not noticed yet. */
const UNNOTICED_REPEAT_NS = 10_000_000n;
/**
 * The host alarm repeats no faster than this: a guest timer of a microsecond's period (stress-ng's
 * timer stressor) would otherwise keep the host busy with SIGALRMs. The CPU loop still counts every
 * period that passed (the missed ones become overruns).
 */
const MIN_HOST_REPEAT_NS = 1_000_000n;

const NS_PER_S = 1_000_000_000n;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME_ID = 2;

/**
 * The host timespec clock_gettime fills when timers read their clocks: its own buffer, since
 * pollTimers also runs between syscalls, where nothing resets the host arena. Made at first use
 * (a buffer made at module load would go into the start-up snapshot).
 */
let clockBuffer: { view: DataView; address: number } | undefined;

/** A reader of the host clock `clockId` in nanoseconds, or undefined when the host has no such clock. */
export function hostClock(clockId: number): (() => bigint) | undefined {
  if (clockId === CLOCK_MONOTONIC) return () => process.hrtime.bigint();
  const read = (): bigint | undefined => {
    if (!clockBuffer) {
      // An ArrayBuffer made as such has its bytes off the JS heap: they never move.
      const bytes = new Uint8Array(new ArrayBuffer(16));
      clockBuffer = { view: new DataView(bytes.buffer), address: native().bufferAddress(bytes) };
    }
    if (hostSyscall('clock_gettime', clockId, clockBuffer.address) < 0) return undefined;
    return clockBuffer.view.getBigInt64(0, true) * NS_PER_S + clockBuffer.view.getBigInt64(8, true);
  };
  return read() === undefined ? undefined : () => read()!;
}

/** setitimer's timers by `which`: the clock each counts and the signal it sends. */
const ITIMERS: readonly { clock: () => () => bigint; signal: SignalName }[] = [
  // ITIMER_REAL: real time.
  { clock: () => hostClock(CLOCK_MONOTONIC)!, signal: 'SIGALRM' },
  // ITIMER_VIRTUAL: the process's user CPU time.
  { clock: () => () => BigInt(process.cpuUsage().user) * 1000n, signal: 'SIGVTALRM' },
  // ITIMER_PROF: the process's user and system CPU time.
  { clock: () => hostClock(CLOCK_PROCESS_CPUTIME_ID)!, signal: 'SIGPROF' },
];
export const ITIMER_COUNT = ITIMERS.length;

function armedOf(proc: GuestProcess): Set<GuestTimer> {
  let set = armed.get(proc);
  if (!set) {
    set = new Set();
    armed.set(proc, set);
  }
  return set;
}

/** Points the host alarm at the earliest armed timer (or disarms it) and keeps time slicing on while any is armed. */
function rearmHost(proc: GuestProcess): void {
  let earliest: GuestTimer | undefined;
  let delay = 0n;
  for (const t of armedOf(proc)) {
    const left = t.deadline! - t.clock();
    const due = left > 0n ? left : 1n;
    if (!earliest || due < delay) [earliest, delay] = [t, due];
  }
  const repeat = earliest && earliest.intervalNs > 0n ? earliest.intervalNs : UNNOTICED_REPEAT_NS;
  armHostAlarm(delay, repeat > MIN_HOST_REPEAT_NS ? repeat : MIN_HOST_REPEAT_NS);
  setTimeSlicing(proc.memory, 'timer', earliest !== undefined);
}

/** The time left (at most 0 when due but not yet noticed) and the interval. */
export function timerValue(timer: GuestTimer): TimerValue {
  if (timer.deadline === undefined) return { valueNs: 0n, intervalNs: timer.intervalNs };
  return { valueNs: timer.deadline - timer.clock(), intervalNs: timer.intervalNs };
}

/** Arms `timer` to expire at `deadline` on its clock (undefined disarms), then every `intervalNs`. */
export function armTimer(proc: GuestProcess, timer: GuestTimer, deadline: bigint | undefined, intervalNs: bigint): void {
  timer.deadline = deadline;
  timer.intervalNs = intervalNs;
  if (deadline === undefined) armedOf(proc).delete(timer);
  else armedOf(proc).add(timer);
  rearmHost(proc);
}

function itimerOf(proc: GuestProcess, which: number): GuestTimer {
  let table = itimers.get(proc);
  if (!table) {
    table = new Map();
    itimers.set(proc, table);
  }
  let t = table.get(which);
  if (!t) {
    const { clock, signal } = ITIMERS[which]!;
    t = {
      clock: clock(),
      intervalNs: 0n,
      // Missed periods are not queued (one signal per expiry noticed), as a standard signal would merge them.
      expire: () => enqueue(proc, { signo: proc.abi.signals[signal], code: SI_KERNEL }),
    };
    table.set(which, t);
  }
  return t;
}

/** An itimer's time left and interval (getitimer; `which` is below ITIMER_COUNT). */
export function itimer(proc: GuestProcess, which: number): TimerValue {
  const t = itimerOf(proc, which);
  const { valueNs, intervalNs } = timerValue(t);
  // A timer that is due but not yet noticed reports the smallest non-zero time, as Linux reports 1 us.
  return { valueNs: t.deadline === undefined || valueNs > 0n ? valueNs : 1000n, intervalNs };
}

/** Arms (or, with a zero value, disarms) an itimer; returns the previous setting. */
export function setItimer(proc: GuestProcess, which: number, next: TimerValue): TimerValue {
  const old = itimer(proc, which);
  const t = itimerOf(proc, which);
  armTimer(proc, t, next.valueNs > 0n ? t.clock() + next.valueNs : undefined, next.intervalNs);
  return old;
}

/** Forgets the timers: a forked child does not inherit them (fork(2)), neither the guest's nor the host alarm. */
export function forgetTimersInChild(proc: GuestProcess): void {
  armed.delete(proc);
  itimers.delete(proc);
  forgetHostAlarm();
}

/** Runs the actions of the timers that have expired, and re-arms the periodic ones. */
export function pollTimers(proc: GuestProcess): void {
  const set = armed.get(proc);
  if (!set || set.size === 0) return;
  let fired = false;
  for (const t of set) {
    const current = t.clock();
    if (current < t.deadline!) continue;
    fired = true;
    let missed = 0n;
    if (t.intervalNs > 0n) {
      missed = (current - t.deadline!) / t.intervalNs;
      t.deadline! += (missed + 1n) * t.intervalNs;
    } else {
      t.deadline = undefined;
      set.delete(t);
    }
    t.expire(missed);
  }
  if (fired) rearmHost(proc);
}
