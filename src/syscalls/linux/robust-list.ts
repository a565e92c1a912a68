/**
 * Robust futex lists (set_robust_list). When a thread ends (exit, and for every thread of the
 * process exit_group, a signal's default action that ends the process, and execve) the kernel walks the list of locks it still holds, read from guest memory:
 * struct robust_list_head { next; long futex_offset; list_op_pending }, each entry a `next`
 * pointer whose bit 0 marks a PI futex, the futex word at entry + futex_offset. A word the thread
 * owns (its tid in FUTEX_TID_MASK) becomes FUTEX_OWNER_DIED, keeping FUTEX_WAITERS, and one waiter
 * is woken, so the next locker gets EOWNERDEAD; the entry being locked or unlocked at the time
 * (list_op_pending) is handled last, and woken even when unowned (kernel/futex/core.c,
 * exit_robust_list and handle_futex_death). The wake reaches this process's parked threads and,
 * as a shared wake, host waiters in other processes (a process-shared mutex).
 */
import type { GuestProcess } from '../../user/process';
import { robustLists, wakeFutex } from '../../user/threads/scheduler';
import { guestRange } from './guest-access';
import { hostSyscall } from './host';

const FUTEX_WAKE = 1;
const FUTEX_WAITERS = 0x80000000;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;
/** The kernel's ROBUST_LIST_LIMIT: a list longer than this (or circular) is not walked further. */
const LIST_LIMIT = 2048;

/** Walks the robust list at `head` of the ending thread `tid` (see the module comment). */
export function exitRobustList(proc: GuestProcess, head: number, tid: number): void {
  if (head === 0) return;
  const size = proc.abi.wordSize;
  const word = (addr: number, signed = false): bigint | undefined => {
    if (!proc.memory.accessible(addr, size, false)) return undefined;
    const v = proc.memory.view;
    const le = proc.memory.littleEndian;
    if (size === 8) return signed ? v.getBigInt64(addr, le) : v.getBigUint64(addr, le);
    return BigInt(signed ? v.getInt32(addr, le) : v.getUint32(addr, le));
  };
  const first = word(head);
  const offset = word(head + size, true);
  const pending = word(head + 2 * size);
  if (first === undefined || offset === undefined || pending === undefined) return;
  const pendingEntry = Number(pending & ~1n);
  let entry = first;
  for (let limit = LIST_LIMIT; Number(entry & ~1n) !== head && limit > 0; limit--) {
    const at = Number(entry & ~1n);
    const next = word(at);
    if (next === undefined) return;
    if (at !== pendingEntry) futexDeath(proc, Number(BigInt(at) + offset), tid, (entry & 1n) !== 0n, false);
    entry = next;
  }
  if (pendingEntry !== 0) futexDeath(proc, Number(BigInt(pendingEntry) + offset), tid, (pending & 1n) !== 0n, true);
}

/** Walks every thread's robust list: the whole process ends, or execve replaces it. */
export function exitAllRobustLists(proc: GuestProcess): void {
  for (const { tid, head } of robustLists(proc)) exitRobustList(proc, head, tid);
}

/** handle_futex_death: marks the word at `addr` if `tid` owns it and wakes one waiter. */
function futexDeath(proc: GuestProcess, addr: number, tid: number, pi: boolean, pendingOp: boolean): void {
  if (addr % 4 !== 0 || addr < 0 || !proc.memory.accessible(addr, 4, true)) return;
  const view = proc.memory.view;
  const le = proc.memory.littleEndian;
  const value = view.getUint32(addr, le);
  if (pendingOp && !pi && value === 0) {
    wakeOne(proc, addr);
    return;
  }
  if ((value & FUTEX_TID_MASK) !== tid) return;
  view.setUint32(addr, ((value & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0, le);
  if (!pi && value & FUTEX_WAITERS) wakeOne(proc, addr);
}

/** Wakes one waiter on the word: a parked thread of this process, else a host waiter (another process). */
function wakeOne(proc: GuestProcess, addr: number): void {
  if (wakeFutex(proc, addr, 1) > 0) return;
  hostSyscall('futex', guestRange(proc, addr, 4, false)!, FUTEX_WAKE, 1, 0, 0, 0);
}
