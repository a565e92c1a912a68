/**
 * The guest's timers: ITIMER_REAL (setitimer, getitimer, alarm) and the POSIX timers of
 * timer_create (posix-timers.ts), each on its own clock. When one expires, its action runs (ITIMER_REAL
 * queues SIGALRM with SI_KERNEL, as the kernel's it_real_fn sends it); the CPU loop checks after
 * every syscall and trap (pollTimers), the host alarm (host-alarm.ts) makes a blocking syscall
 * return EINTR at the earliest expiry so the check comes in time, and while a timer is armed, time
 * slices (src/user/threads/preempt.ts) bring a loop without syscalls back to the check.
 */
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

/** Each process's armed timers, and its ITIMER_REAL. */
const armed = new WeakMap<GuestProcess, Set<GuestTimer>>();
const realTimers = new WeakMap<GuestProcess, GuestTimer>();
/** How often the host alarm fires again after a one-shot expiry the CPU loop has not noticed yet. */
const UNNOTICED_REPEAT_NS = 10_000_000n;
/**
 * The host alarm repeats no faster than this: a guest timer of a microsecond's period (stress-ng's
 * timer stressor) would otherwise keep the host busy with SIGALRMs. The CPU loop still counts every
 * period that passed (the missed ones become overruns).
 */
const MIN_HOST_REPEAT_NS = 1_000_000n;

const monotonicNow = (): bigint => process.hrtime.bigint();

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

function realTimerOf(proc: GuestProcess): GuestTimer {
  let t = realTimers.get(proc);
  if (!t) {
    t = {
      clock: monotonicNow,
      intervalNs: 0n,
      // Missed periods are not queued (one SIGALRM per expiry noticed), as a standard signal would merge them.
      expire: () => enqueue(proc, { signo: proc.abi.signals.SIGALRM, code: SI_KERNEL }),
    };
    realTimers.set(proc, t);
  }
  return t;
}

/** ITIMER_REAL's time left and interval (getitimer). */
export function realTimer(proc: GuestProcess): TimerValue {
  const t = realTimerOf(proc);
  const { valueNs, intervalNs } = timerValue(t);
  // A timer that is due but not yet noticed reports the smallest non-zero time, as Linux reports 1 us.
  return { valueNs: t.deadline === undefined || valueNs > 0n ? valueNs : 1000n, intervalNs };
}

/** Arms (or, with a zero value, disarms) ITIMER_REAL; returns the previous setting. */
export function setRealTimer(proc: GuestProcess, next: TimerValue): TimerValue {
  const old = realTimer(proc);
  const t = realTimerOf(proc);
  armTimer(proc, t, next.valueNs > 0n ? t.clock() + next.valueNs : undefined, next.intervalNs);
  return old;
}

/** Forgets the timers: a forked child does not inherit them (fork(2)), neither the guest's nor the host alarm. */
export function forgetTimersInChild(proc: GuestProcess): void {
  armed.delete(proc);
  realTimers.delete(proc);
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
