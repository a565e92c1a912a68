/**
 * The POSIX timers of timer_create: per-process ids from 0 up, each timer on its clock (read from
 * the host's clock of the same id), notifying by a signal to the process or to one of its threads
 * (SIGEV_THREAD_ID), or not at all (SIGEV_NONE). As in the kernel, a timer's signal is queued once:
 * expiries while it is still pending count as overruns (si_overrun, timer_getoverrun), and so do the
 * periods missed before the CPU loop noticed an expiry. A forked child has no timers and exec
 * deletes them (timer_create(2)).
 */
import type { GuestProcess } from '../process';
import { signalThread } from '../threads/scheduler';
import { enqueue, isQueued } from './pending';
import { SI_TIMER, type SigInfo } from './siginfo';
import { armTimer, timerValue, type GuestTimer, type TimerValue } from './timers';

/** How the guest is told of an expiry (struct sigevent's notify, signo, value and thread id). */
export interface TimerNotify {
  kind: 'signal' | 'none' | 'thread';
  signo: number;
  value: bigint;
  tid: number;
}

interface PosixTimer extends GuestTimer {
  /** The signal last queued, while it may still be pending. */
  queued?: SigInfo;
  /** The overrun of the last signal delivered (timer_getoverrun). */
  overrun: number;
}

interface TimerTable {
  next: number;
  timers: Map<number, PosixTimer>;
}

const tables = new WeakMap<GuestProcess, TimerTable>();
/** The kernel caps a timer's overrun count at INT_MAX. */
const OVERRUN_MAX = 0x7fffffff;

function tableOf(proc: GuestProcess): TimerTable {
  let t = tables.get(proc);
  if (!t) {
    t = { next: 0, timers: new Map() };
    tables.set(proc, t);
  }
  return t;
}

/** The overrun a signal that is no longer pending was delivered with. */
function settle(proc: GuestProcess, timer: PosixTimer): void {
  if (timer.queued && !isQueued(proc, timer.queued)) {
    timer.overrun = timer.queued.timer!.overrun;
    timer.queued = undefined;
  }
}

function expire(proc: GuestProcess, id: number, timer: PosixTimer, notify: TimerNotify, missed: bigint): void {
  if (notify.kind === 'none') return;
  settle(proc, timer);
  const pending = timer.queued?.timer;
  if (pending) {
    pending.overrun = Math.min(OVERRUN_MAX, pending.overrun + 1 + Number(missed));
    return;
  }
  const info: SigInfo = { signo: notify.signo, code: SI_TIMER, timer: { id, overrun: Math.min(OVERRUN_MAX, Number(missed)), value: notify.value } };
  timer.queued = info;
  if (notify.kind === 'thread' && signalThread(proc, notify.tid, info, (i) => (enqueue(proc, i), 0))) return;
  enqueue(proc, info);
}

/** A new disarmed timer; returns its id. */
export function createTimer(proc: GuestProcess, clock: () => bigint, notify: (id: number) => TimerNotify): number {
  const table = tableOf(proc);
  const id = table.next++;
  const how = notify(id);
  const timer: PosixTimer = { clock, intervalNs: 0n, overrun: 0, expire: (missed) => expire(proc, id, timer, how, missed) };
  table.timers.set(id, timer);
  return id;
}

export function timerExists(proc: GuestProcess, id: number): boolean {
  return tables.get(proc)?.timers.has(id) ?? false;
}

/** The time left (a due timer whose signal is not yet delivered reports 1 ns, as Linux does) and the interval. */
export function getTimer(proc: GuestProcess, id: number): TimerValue {
  const timer = tableOf(proc).timers.get(id)!;
  const { valueNs, intervalNs } = timerValue(timer);
  return { valueNs: timer.deadline === undefined || valueNs > 0n ? valueNs : 1n, intervalNs };
}

/** Arms (a zero value disarms) timer `id`, `next.valueNs` from now or, `absolute`, at that time of its clock; returns the old setting. */
export function setTimer(proc: GuestProcess, id: number, next: TimerValue, absolute: boolean): TimerValue {
  const old = getTimer(proc, id);
  const timer = tableOf(proc).timers.get(id)!;
  const deadline = next.valueNs === 0n ? undefined : absolute ? next.valueNs : timer.clock() + next.valueNs;
  armTimer(proc, timer, deadline, deadline === undefined ? 0n : next.intervalNs);
  return old;
}

export function timerOverrun(proc: GuestProcess, id: number): number {
  const timer = tableOf(proc).timers.get(id)!;
  settle(proc, timer);
  return timer.overrun;
}

export function deleteTimer(proc: GuestProcess, id: number): void {
  const table = tableOf(proc);
  const timer = table.timers.get(id);
  if (!timer) return;
  armTimer(proc, timer, undefined, 0n);
  table.timers.delete(id);
}

/** exec deletes the POSIX timers; a forked child starts with none (the host alarm is timers.ts's). */
export function deleteAllTimers(proc: GuestProcess): void {
  for (const id of [...(tables.get(proc)?.timers.keys() ?? [])]) deleteTimer(proc, id);
  tables.delete(proc);
}
