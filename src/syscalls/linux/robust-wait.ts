/**
 * A robust mutex whose owner process was killed by SIGKILL. Linux walks a dying task's robust list
 * (robust-list.ts does that for the ways a tsemu process ends by itself), but SIGKILL ends the host
 * process before tsemu runs again, and the host kernel knows nothing of the guest's list: the word
 * keeps the dead owner's tid and the next locker would wait forever.
 *
 * So the waiter side notices instead. A futex wait is a robust lock wait when the waiting thread's
 * own robust list says so: glibc points list_op_pending at the mutex's list entry before it waits,
 * and that entry plus the list's futex_offset is the waited word. While such a wait lasts, the
 * owner's tid (the word's FUTEX_TID_MASK bits, a host task id when it is a process's first thread)
 * is looked up on the host: a process's first thread is a host task of that id, a created thread's
 * id names its host process (src/user/threads/thread-ids.ts), which a SIGKILL ends with all its
 * threads. Once no such task lives (or only its zombie), the word gets what handle_futex_death
 * would have given it (FUTEX_OWNER_DIED, FUTEX_WAITERS kept) and the wait ends as if woken, so
 * glibc returns EOWNERDEAD.
 */
import fs from 'node:fs';
import type { GuestProcess } from '../../user/process';
import { E, asStored } from './guest-access';
import { hostSyscall } from './host';
import { syscallState } from './process-state';
import { hostProcessOf } from '../../user/threads/thread-ids';

const FUTEX_WAITERS = 0x80000000;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;

/**
 * The owner tid whose death a wait on `addr` expecting `expected` should watch for, or undefined
 * when it is no robust lock wait.
 */
export function robustOwnerToWatch(proc: GuestProcess, addr: number, expected: number): number | undefined {
  const head = syscallState(proc).robustList.head;
  const size = proc.abi.wordSize;
  if (head === 0 || !proc.memory.accessible(head, 3 * size, false)) return undefined;
  const view = proc.memory.view;
  const le = proc.memory.littleEndian;
  const offset = size === 8 ? Number(view.getBigInt64(head + size, le)) : view.getInt32(head + size, le);
  const pending = size === 8 ? Number(view.getBigUint64(head + 2 * size, le)) : view.getUint32(head + 2 * size, le);
  // Bit 0 marks a PI entry; the addresses exceed 2^31, so no 32-bit bitwise arithmetic.
  if (pending === 0 || pending - (pending % 2) + offset !== addr) return undefined;
  const owner = expected & FUTEX_TID_MASK;
  return owner !== 0 && (expected & FUTEX_OWNER_DIED) === 0 ? owner : undefined;
}

/** Whether the host task `tid` names has ended (gone, or a zombie whose robust futexes Linux has released). */
function taskEnded(owner: number): boolean {
  const tid = hostProcessOf(owner);
  if (hostSyscall('kill', tid, 0) === -E.ESRCH) return true;
  try {
    // The state follows the command name, which is in parentheses and may hold any character.
    const stat = fs.readFileSync(`/proc/${tid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

/**
 * When `owner` has ended and the word at `addr` still holds `expected`, marks it as Linux's
 * handle_futex_death does and returns true (the wait ends as woken).
 */
export function releaseIfOwnerDied(proc: GuestProcess, addr: number, expected: number, owner: number): boolean {
  if (!taskEnded(owner)) return false;
  // Atomically, as other waiters (in other processes too) may do the same or take the lock now.
  const words = new Int32Array(proc.memory.u8.buffer, addr, 1);
  Atomics.compareExchange(words, 0, asStored(proc, expected), asStored(proc, (expected & FUTEX_WAITERS) | FUTEX_OWNER_DIED));
  return true;
}
