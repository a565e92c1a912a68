/**
 * The guest's ITIMER_REAL (setitimer, getitimer, alarm), kept on the host's monotonic clock. When
 * it expires, SIGALRM (SI_KERNEL, as the kernel's it_real_fn sends it) is queued; the CPU loop
 * checks after every syscall and trap (pollTimers), the host alarm (host-alarm.ts) makes a
 * blocking syscall return EINTR at the expiry so the check comes in time, and while a timer is
 * armed, time slices (src/user/threads/preempt.ts) bring a loop without syscalls back to the check.
 */
import type { GuestProcess } from '../process';
import { armHostAlarm, forgetHostAlarm } from './host-alarm';
import { setTimeSlicing } from '../threads/preempt';
import { enqueue } from './pending';
import { SI_KERNEL } from './siginfo';

/** A timer value as itimerval carries it, in nanoseconds (0 value = disarmed). */
export interface TimerValue {
  valueNs: bigint;
  intervalNs: bigint;
}

interface RealTimer {
  /** Monotonic expiry time, or undefined when disarmed. */
  deadline?: bigint;
  intervalNs: bigint;
}

const timers = new WeakMap<GuestProcess, RealTimer>();
/** How often the host alarm fires again after a one-shot expiry the CPU loop has not noticed yet. */
const UNNOTICED_REPEAT_NS = 10_000_000n;

function timerOf(proc: GuestProcess): RealTimer {
  let t = timers.get(proc);
  if (!t) {
    t = { intervalNs: 0n };
    timers.set(proc, t);
  }
  return t;
}

const now = (): bigint => process.hrtime.bigint();

/** The time left and the interval (getitimer). */
export function realTimer(proc: GuestProcess): TimerValue {
  const t = timerOf(proc);
  if (t.deadline === undefined) return { valueNs: 0n, intervalNs: t.intervalNs };
  const left = t.deadline - now();
  // A timer that is due but not yet noticed reports the smallest non-zero time, as Linux reports 1 us.
  return { valueNs: left > 0n ? left : 1000n, intervalNs: t.intervalNs };
}

/** Arms (or, with a zero value, disarms) ITIMER_REAL; returns the previous setting. */
export function setRealTimer(proc: GuestProcess, next: TimerValue): TimerValue {
  const old = realTimer(proc);
  const t = timerOf(proc);
  t.intervalNs = next.intervalNs;
  t.deadline = next.valueNs > 0n ? now() + next.valueNs : undefined;
  armHostAlarm(next.valueNs, next.intervalNs > 0n ? next.intervalNs : UNNOTICED_REPEAT_NS);
  setTimeSlicing(proc.memory, 'timer', t.deadline !== undefined);
  return old;
}

/** Forgets the timers: a forked child does not inherit them (fork(2)), neither the guest's nor the host alarm. */
export function forgetTimersInChild(proc: GuestProcess): void {
  timers.delete(proc);
  forgetHostAlarm();
}

/** Queues SIGALRM if ITIMER_REAL has expired, and re-arms a periodic timer. */
export function pollTimers(proc: GuestProcess): void {
  const t = timers.get(proc);
  if (t?.deadline === undefined) return;
  const current = now();
  if (current < t.deadline) return;
  enqueue(proc, { signo: proc.abi.signals.SIGALRM, code: SI_KERNEL });
  if (t.intervalNs > 0n) {
    // Missed periods are not queued (one SIGALRM per expiry noticed), as a standard signal would merge them.
    while (t.deadline <= current) t.deadline += t.intervalNs;
    armHostAlarm(t.deadline - current, t.intervalNs);
  } else {
    t.deadline = undefined;
    armHostAlarm(0n, 0n);
    setTimeSlicing(proc.memory, 'timer', false);
  }
}
