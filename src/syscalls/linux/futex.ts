/**
 * futex on guest memory. Guest memory is host memory, so the host's futex waits and wakes on the
 * guest word's host address: private futexes work within this process, shared ones between
 * processes that share the mapping. A big-endian guest's word reads byte-swapped to the host, so
 * the values the kernel compares with it (FUTEX_WAIT's val, FUTEX_CMP_REQUEUE's val3) are swapped
 * too; the operations that interpret the word itself (FUTEX_WAKE_OP's arithmetic, the PI family's
 * owner TIDs) are refused with ENOSYS for big-endian guests.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, guestRange, withHostStruct } from './guest-access';
import { hostSyscall } from './host';

const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CLOCK_REALTIME = 256;
const FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_LOCK_PI = 6;
const FUTEX_UNLOCK_PI = 7;
const FUTEX_TRYLOCK_PI = 8;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_WAIT_REQUEUE_PI = 11;
const FUTEX_CMP_REQUEUE_PI = 12;
const FUTEX_LOCK_PI2 = 13;

/** Commands whose fourth argument is a timeout pointer (the others take an integer there). */
const TIMED: ReadonlySet<number> = new Set([FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_WAIT_REQUEUE_PI]);
/** Commands with a second futex word. */
const TWO_WORDS: ReadonlySet<number> = new Set([FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP, FUTEX_WAIT_REQUEUE_PI, FUTEX_CMP_REQUEUE_PI]);
/** Commands that read the word's meaning, not just compare it. */
const INTERPRETING: ReadonlySet<number> = new Set([
  FUTEX_WAKE_OP,
  FUTEX_LOCK_PI,
  FUTEX_UNLOCK_PI,
  FUTEX_TRYLOCK_PI,
  FUTEX_WAIT_REQUEUE_PI,
  FUTEX_CMP_REQUEUE_PI,
  FUTEX_LOCK_PI2,
]);
const KNOWN: ReadonlySet<number> = new Set([...TIMED, ...TWO_WORDS, ...INTERPRETING, FUTEX_WAKE, FUTEX_WAKE_BITSET]);

/** A 32-bit value as the host reads the guest word holding it. */
function asStored(proc: GuestProcess, value: number): number {
  if (proc.memory.littleEndian) return value;
  const v = value >>> 0;
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) | 0;
}

function futex(proc: GuestProcess, [uaddr, opArg, val, timeoutOrVal2, uaddr2, val3]: SyscallArgs): number {
  const op = int(opArg);
  const cmd = op & FUTEX_CMD_MASK;
  if (!KNOWN.has(cmd)) return -E.ENOSYS;
  if (!proc.memory.littleEndian && INTERPRETING.has(cmd)) return -E.ENOSYS;
  const word = guestRange(proc, uaddr!, 4, false);
  if (word === undefined || uaddr! % 4 !== 0) return -E.EFAULT;
  let word2 = 0;
  if (TWO_WORDS.has(cmd)) {
    const host = guestRange(proc, uaddr2!, 4, false);
    if (host === undefined) return -E.EFAULT;
    word2 = host;
  }
  const compared = cmd === FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET || cmd === FUTEX_WAIT_REQUEUE_PI ? asStored(proc, int(val)) : int(val);
  const third = cmd === FUTEX_CMP_REQUEUE ? asStored(proc, int(val3)) : int(val3);
  if (!TIMED.has(cmd)) return hostSyscall('futex', word, op, compared, int(timeoutOrVal2), word2, third);
  return withHostStruct(proc, 'timespec', timeoutOrVal2!, 'in', (timeout) => hostSyscall('futex', word, op, compared, timeout, word2, third));
}

export const FUTEX_SYSCALLS: SyscallGroup = {
  futex: syscall('xhdxxd', futex),
};
