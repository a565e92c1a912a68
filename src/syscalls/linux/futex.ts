/**
 * futex on guest memory. Guest memory is host memory, so the host's futex waits and wakes on the
 * guest word's host address: private futexes work within this process, shared ones between
 * processes that share the mapping. A big-endian guest's word reads byte-swapped to the host, so
 * the values the kernel compares with it (FUTEX_WAIT's val, FUTEX_CMP_REQUEUE's val3) are swapped
 * too; the operations that interpret the word itself (FUTEX_WAKE_OP's arithmetic, the PI family's
 * owner TIDs) are refused with ENOSYS for big-endian guests.
 *
 * Once the process has several guest threads (src/user/threads/), they all run on one host
 * thread, so a wait must not sleep on the host: waits park the calling thread in the scheduler on
 * the guest address, and wakes, requeues and FUTEX_WAKE_OP act on the parked threads (words are
 * read in the guest's byte order, so every operation works for big-endian guests too). A wake on a
 * shared futex also wakes host waiters (other processes), and a parked shared wait notices a
 * change made by another process. The priority-inheritance family is not served then (ENOSYS).
 *
 * A robust lock wait on a shared word also watches for the owner's death by SIGKILL (robust-wait.ts).
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, asStored, guestRange, guestTimespec } from './guest-access';
import { hostStructArray, hostSyscall } from './host';
import { block, monotonicNs, multithreaded, requeueFutex, wakeFutex } from '../../user/threads/scheduler';
import { releaseIfOwnerDied, robustOwnerToWatch } from './robust-wait';
import { futexOp } from './strace-names';
import { untilGuestInterrupted } from '../../user/signals/guest-interrupt';

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
const FUTEX_BITSET_MATCH_ANY = 0xffffffff;
const INT_MAX = 0x7fffffff;
const NS_PER_S = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;

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

function futex(proc: GuestProcess, [uaddr, opArg, val, timeoutOrVal2, uaddr2, val3]: SyscallArgs, time32: boolean): number {
  const op = int(opArg);
  const cmd = op & FUTEX_CMD_MASK;
  if (!KNOWN.has(cmd)) return -E.ENOSYS;
  if (!proc.memory.littleEndian && INTERPRETING.has(cmd) && !multithreaded(proc)) return -E.ENOSYS;
  const word = guestRange(proc, uaddr!, 4, false);
  if (word === undefined || uaddr! % 4 !== 0) return -E.EFAULT;
  let word2 = 0;
  if (TWO_WORDS.has(cmd)) {
    const host = guestRange(proc, uaddr2!, 4, false);
    if (host === undefined) return -E.EFAULT;
    word2 = host;
  }
  if (multithreaded(proc)) return threadFutex(proc, time32, cmd, op, [uaddr!, opArg!, val!, timeoutOrVal2!, uaddr2!, val3!], word2);
  const shared = (op & FUTEX_PRIVATE_FLAG) === 0;
  const owner = shared && (cmd === FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET) ? robustOwnerToWatch(proc, uaddr!, int(val) >>> 0) : undefined;
  if (owner !== undefined) return robustLockWait(proc, time32, cmd, op, [uaddr!, opArg!, val!, timeoutOrVal2!, uaddr2!, val3!], owner);
  const compared = cmd === FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET || cmd === FUTEX_WAIT_REQUEUE_PI ? asStored(proc, int(val)) : int(val);
  const third = cmd === FUTEX_CMP_REQUEUE ? asStored(proc, int(val3)) : int(val3);
  if (!TIMED.has(cmd)) return hostSyscall('futex', word, op, compared, int(timeoutOrVal2), word2, third);
  if (timeoutOrVal2 === 0) return hostSyscall('futex', word, op, compared, 0, word2, third);
  const ts = guestTimespec(proc, timeoutOrVal2!, time32);
  if (!ts) return -E.EFAULT;
  const host = hostStructArray('timespec', 1);
  const { sec, nsec } = ts;
  if (cmd === FUTEX_WAIT && sec >= 0n && nsec >= 0n && nsec < NS_PER_S) {
    // The relative wait as an absolute one, so that a run again after tsemu's own EINTR waits only its time left.
    const deadline = monotonicNs() + sec * NS_PER_S + nsec;
    host.views[0]!.set('sec', deadline / NS_PER_S);
    host.views[0]!.set('nsec', deadline % NS_PER_S);
    const waitOp = FUTEX_WAIT_BITSET | (op & FUTEX_PRIVATE_FLAG);
    return untilGuestInterrupted(proc, () => hostSyscall('futex', word, waitOp, compared, host.address, 0, FUTEX_BITSET_MATCH_ANY | 0));
  }
  host.views[0]!.set('sec', sec);
  host.views[0]!.set('nsec', nsec);
  return untilGuestInterrupted(proc, () => hostSyscall('futex', word, op, compared, host.address, word2, third));
}

/** How long one host wait of a robust lock wait lasts before the owner is looked up again. */
const OWNER_CHECK_NS = 50_000_000n;

/**
 * A single-threaded process's robust lock wait on a shared word (robust-wait.ts): host waits of at
 * most OWNER_CHECK_NS (absolute CLOCK_MONOTONIC deadlines), looking the owner up between them.
 */
function robustLockWait(proc: GuestProcess, time32: boolean, cmd: number, op: number, [uaddr, , val, timeout, , val3]: SyscallArgs, owner: number): number {
  const bitset = cmd === FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : int(val3) >>> 0;
  if (bitset === 0) return -E.EINVAL;
  const deadline = waitDeadline(proc, timeout!, time32, cmd === FUTEX_WAIT_BITSET, (op & FUTEX_CLOCK_REALTIME) !== 0);
  if (deadline === 'invalid') return -E.EINVAL;
  const expected = int(val) >>> 0;
  const word = guestRange(proc, uaddr!, 4, false)!;
  const host = hostStructArray('timespec', 1);
  for (;;) {
    if (releaseIfOwnerDied(proc, uaddr!, expected, owner)) return 0;
    const now = monotonicNs();
    if (deadline !== undefined && now >= deadline) return -E.ETIMEDOUT;
    const until = deadline !== undefined && deadline < now + OWNER_CHECK_NS ? deadline : now + OWNER_CHECK_NS;
    host.views[0]!.set('sec', until / NS_PER_S);
    host.views[0]!.set('nsec', until % NS_PER_S);
    const r = hostSyscall('futex', word, FUTEX_WAIT_BITSET, asStored(proc, expected), host.address, 0, bitset | 0);
    if (r !== -E.ETIMEDOUT) return r;
  }
}

/** The guest's 32-bit futex word at `addr`, in its byte order. */
function wordAt(proc: GuestProcess, addr: number): number {
  return proc.memory.view.getUint32(addr, proc.memory.littleEndian);
}

/** The monotonic deadline of a wait's timeout (relative for FUTEX_WAIT, absolute for FUTEX_WAIT_BITSET); 'invalid' when unreadable or out of range. */
function waitDeadline(proc: GuestProcess, addr: number, time32: boolean, absolute: boolean, realtime: boolean): bigint | undefined | 'invalid' {
  if (addr === 0) return undefined;
  const ts = guestTimespec(proc, addr, time32);
  if (!ts) return 'invalid';
  const { sec, nsec } = ts;
  if (sec < 0n || nsec < 0n || nsec >= NS_PER_S) return 'invalid';
  const ns = sec * NS_PER_S + nsec;
  if (!absolute) return monotonicNs() + ns;
  return realtime ? ns - BigInt(Date.now()) * NS_PER_MS + monotonicNs() : ns;
}

/** FUTEX_WAKE_OP's operation on the word at uaddr2 and its comparison of the old value (include/uapi/linux/futex.h). */
function wakeOp(proc: GuestProcess, uaddr: number, uaddr2: number, wake: number, wake2: number, encoded: number): number {
  const op = (encoded >>> 28) & 7;
  const shift = (encoded >>> 28) & 8;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  const cmparg = (encoded << 20) >> 20;
  if (shift) oparg = oparg < 0 || oparg > 31 ? 0 : 1 << oparg;
  const old = wordAt(proc, uaddr2) | 0;
  const results = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg];
  if (op >= results.length || cmp > 5) return -E.ENOSYS;
  proc.memory.view.setInt32(uaddr2, results[op]! | 0, proc.memory.littleEndian);
  const compared = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg][cmp]!;
  return wakeFutex(proc, uaddr, wake) + (compared ? wakeFutex(proc, uaddr2, wake2) : 0);
}

/** The futex operations among guest threads of one process (see the module comment). */
function threadFutex(proc: GuestProcess, time32: boolean, cmd: number, op: number, [uaddr, , val, timeoutOrVal2, uaddr2, val3]: SyscallArgs, word2: number): number {
  const shared = (op & FUTEX_PRIVATE_FLAG) === 0;
  const count = (v: number | undefined): number => Math.max(0, Math.min(int(v), INT_MAX));
  const hostWake = (n: number): number => (shared ? Math.max(0, hostSyscall('futex', guestRange(proc, uaddr!, 4, false)!, FUTEX_WAKE, n, 0, 0, 0)) : 0);
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      const bitset = cmd === FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : int(val3) >>> 0;
      if (bitset === 0) return -E.EINVAL;
      const deadline = waitDeadline(proc, timeoutOrVal2!, time32, cmd === FUTEX_WAIT_BITSET, (op & FUTEX_CLOCK_REALTIME) !== 0);
      if (deadline === 'invalid') return timeoutOrVal2 === 0 ? -E.EFAULT : -E.EINVAL;
      const expected = int(val) >>> 0;
      if (wordAt(proc, uaddr!) !== expected) return -E.EAGAIN;
      const owner = shared ? robustOwnerToWatch(proc, uaddr!, expected) : undefined;
      let ownerChecked = 0n;
      // A shared word is polled; for a robust lock wait, the owner is looked up every OWNER_CHECK_NS too.
      const changed = (): boolean => {
        if (wordAt(proc, uaddr!) !== expected) return true;
        if (owner === undefined || monotonicNs() - ownerChecked < OWNER_CHECK_NS) return false;
        ownerChecked = monotonicNs();
        return releaseIfOwnerDied(proc, uaddr!, expected, owner);
      };
      return block(proc, {
        futex: { addr: uaddr!, bitset, ...(shared ? { shared: changed } : {}) },
        ...(deadline !== undefined ? { deadline, onTimeout: -E.ETIMEDOUT } : {}),
      });
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
      const bitset = cmd === FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : int(val3) >>> 0;
      if (bitset === 0) return -E.EINVAL;
      const woken = wakeFutex(proc, uaddr!, count(val), bitset);
      return woken + (woken < count(val) ? hostWake(count(val) - woken) : 0);
    }
    case FUTEX_CMP_REQUEUE:
    case FUTEX_REQUEUE: {
      if (cmd === FUTEX_CMP_REQUEUE && wordAt(proc, uaddr!) !== int(val3) >>> 0) return -E.EAGAIN;
      const { woken, moved } = requeueFutex(proc, uaddr!, uaddr2!, count(val), count(timeoutOrVal2));
      return cmd === FUTEX_CMP_REQUEUE ? woken + moved : woken;
    }
    case FUTEX_WAKE_OP:
      return word2 === 0 ? -E.EFAULT : wakeOp(proc, uaddr!, uaddr2!, count(val), count(timeoutOrVal2), int(val3));
  }
  return -E.ENOSYS;
}

export const FUTEX_SYSCALLS: SyscallGroup = {
  futex: syscall(['x', futexOp, 'd', 'x', 'x', 'd'], (p, args) => futex(p, args, false)),
};

/** futex of 32-bit ABIs that also have futex_time64: its timeout is the old 32-bit struct timespec. */
export const FUTEX_TIME32 = syscall(['x', futexOp, 'd', 'x', 'x', 'd'], (p, args) => futex(p, args, true));
