/**
 * The process's pending signals with their siginfo. Standard signals do not queue (a second one
 * while one is pending is merged into it); real-time signals queue every instance, in order. The
 * syscall layer's pending bitmap (rt_sigpending) is kept equal to the set of queued signals, and
 * a watcher (signalfd's readiness) hears of every change.
 */
import { syscallState } from '../../syscalls/linux/process-state';
import type { GuestProcess } from '../process';
import { sigBit } from './dispositions';
import type { SigInfo } from './siginfo';

const queues = new WeakMap<GuestProcess, Map<number, SigInfo[]>>();
const watchers = new WeakMap<GuestProcess, () => void>();

/** Calls `watcher` after every change of the process's pending set. */
export function watchPending(proc: GuestProcess, watcher: () => void): void {
  watchers.set(proc, watcher);
}

function changed(proc: GuestProcess): void {
  watchers.get(proc)?.();
}

function queueOf(proc: GuestProcess): Map<number, SigInfo[]> {
  let q = queues.get(proc);
  if (!q) {
    q = new Map();
    queues.set(proc, q);
  }
  return q;
}

export function enqueue(proc: GuestProcess, info: SigInfo): void {
  const q = queueOf(proc);
  const list = q.get(info.signo) ?? [];
  if (list.length > 0 && info.signo < proc.abi.sigRtMin) return;
  list.push(info);
  q.set(info.signo, list);
  syscallState(proc).pending |= sigBit(info.signo);
  changed(proc);
}

/** Removes and returns the oldest pending instance of the lowest-numbered signal not in `blocked`. */
export function dequeue(proc: GuestProcess, blocked: bigint): SigInfo | undefined {
  const state = syscallState(proc);
  const ready = state.pending & ~blocked;
  if (ready === 0n) return undefined;
  let sig = 1;
  while (!(ready & sigBit(sig))) sig++;
  const list = queueOf(proc).get(sig);
  // A bit set without a queued siginfo was raised before this module knew about it: a plain SI_USER.
  const info = list?.shift() ?? { signo: sig, code: 0 };
  if (!list || list.length === 0) {
    queueOf(proc).delete(sig);
    state.pending &= ~sigBit(sig);
    changed(proc);
  }
  return info;
}

/** Drops every pending signal (a forked child starts with none, as fork(2) says). */
export function discardAll(proc: GuestProcess): void {
  queues.delete(proc);
  syscallState(proc).pending = 0n;
  changed(proc);
}

/** Drops every pending instance of `sig` (its disposition became "ignore", or its default action is taken); returns them. */
export function discard(proc: GuestProcess, sig: number): SigInfo[] {
  const state = syscallState(proc);
  const list = queueOf(proc).get(sig) ?? (state.pending & sigBit(sig) ? [{ signo: sig, code: 0 }] : []);
  queueOf(proc).delete(sig);
  state.pending &= ~sigBit(sig);
  changed(proc);
  return list;
}

/** Whether this very siginfo is still queued for the process (a POSIX timer's signal not yet delivered). */
export function isQueued(proc: GuestProcess, info: SigInfo): boolean {
  return queueOf(proc).get(info.signo)?.includes(info) ?? false;
}
