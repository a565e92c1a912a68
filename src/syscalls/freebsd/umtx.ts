/**
 * _umtx_op: FreeBSD's futex. With one thread, the wait and wake operations map onto the host's
 * futex on the guest word itself (guest memory is host memory); once thr_new has made more, they
 * block and wake green threads (src/user/threads/).
 * WAIT compares a long, WAIT_UINT(_PRIVATE) an unsigned int, and sleeps until woken or until the
 * optional timeout (a timespec, or a struct _umtx_time with UMTX_ABSTIME and a clock). FreeBSD
 * reports a changed value or a wake-up as success, a timeout as ETIMEDOUT. Robust-list
 * registration is accepted (threads never die holding locks here). The kernel-assisted mutex,
 * condition-variable, rwlock and semaphore operations are not implemented: EINVAL, logged under -d unimp.
 */
import type { GuestProcess } from '../../user/process';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { E, guestRange } from '../linux/guest-access';
import { hostArena, hostSyscall } from '../linux/host';
import type { SyscallArgs } from '../types';
import { FREEBSD_CLOCKS } from './flags';
import { block, monotonicNs, multithreaded, wakeFutex } from '../../user/threads/scheduler';

const UMTX_OP_WAIT = 2;
const UMTX_OP_WAKE = 3;
const UMTX_OP_WAIT_UINT = 11;
const UMTX_OP_WAIT_UINT_PRIVATE = 15;
const UMTX_OP_WAKE_PRIVATE = 16;
const UMTX_OP_NWAKE_PRIVATE = 21;
const UMTX_OP_ROBUST_LISTS = 26;
const UMTX_ABSTIME = 1;
/** sizeof(struct timespec): a smaller size argument means a bare timespec, a larger one a struct _umtx_time. */
const TIMESPEC_SIZE = 16;

/** Linux futex operations and flags. */
const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_CLOCK_REALTIME = 256;
const FUTEX_BITSET_MATCH_ANY = 0xffffffff;
const LINUX_CLOCK_REALTIME = 0;
const INT_MAX = 0x7fffffff;
/** A waiter's bitset that every wake matches. */
const ALL_BITS = 0xffffffff;
const NS_PER_S = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;

interface Timeout {
  sec: bigint;
  nsec: bigint;
  absolute: boolean;
  realtime: boolean;
}

/** The optional timeout of a wait (uaddr1 holds its size, uaddr2 points at it); 'fault' when unreadable. */
function readTimeout(proc: GuestProcess, size: number, addr: number): Timeout | undefined | 'fault' {
  if (addr === 0) return undefined;
  const extended = size > TIMESPEC_SIZE;
  if (guestRange(proc, addr, extended ? TIMESPEC_SIZE + 8 : TIMESPEC_SIZE, false) === undefined)
    return 'fault';
  const view = proc.memory.view;
  const flags = extended ? view.getUint32(addr + TIMESPEC_SIZE, true) : 0;
  const clock = extended
    ? (FREEBSD_CLOCKS.get(view.getUint32(addr + TIMESPEC_SIZE + 4, true)) ?? LINUX_CLOCK_REALTIME)
    : LINUX_CLOCK_REALTIME;
  return {
    sec: view.getBigInt64(addr, true),
    nsec: view.getBigInt64(addr + 8, true),
    absolute: (flags & UMTX_ABSTIME) !== 0,
    realtime: clock === LINUX_CLOCK_REALTIME,
  };
}

/** Sleeps on the host while the 32-bit word at `addr` holds `expected`; FreeBSD's results (0, ETIMEDOUT, EINTR). */
function hostWait(proc: GuestProcess, addr: number, expected: number, timeout: Timeout | undefined): number {
  const word = proc.memory.hostAddress(addr);
  let ts = 0;
  if (timeout) {
    const at = hostArena.alloc(TIMESPEC_SIZE);
    hostArena.view.setBigInt64(at, timeout.sec, true);
    hostArena.view.setBigInt64(at + 8, timeout.nsec, true);
    ts = hostArena.address(at);
  }
  const r = timeout?.absolute
    ? hostSyscall(
        'futex',
        word,
        FUTEX_WAIT_BITSET | (timeout.realtime ? FUTEX_CLOCK_REALTIME : 0),
        expected,
        ts,
        0,
        FUTEX_BITSET_MATCH_ANY,
      )
    : hostSyscall('futex', word, FUTEX_WAIT, expected, ts, 0, 0);
  return r === -E.EAGAIN ? 0 : Math.min(r, 0);
}

/** The wait's deadline on the monotonic clock (an absolute realtime one is moved over by the clocks' current offset). */
function deadline(timeout: Timeout | undefined): bigint | undefined {
  if (!timeout) return undefined;
  const ns = timeout.sec * NS_PER_S + timeout.nsec;
  if (!timeout.absolute) return monotonicNs() + ns;
  if (!timeout.realtime) return ns;
  return ns - BigInt(Date.now()) * NS_PER_MS + monotonicNs();
}

function wait(proc: GuestProcess, [obj, , val, uaddr1, uaddr2]: SyscallArgs, wide: boolean): number {
  const size = wide ? 8 : 4;
  if (obj! % 4 !== 0 || guestRange(proc, obj!, size, false) === undefined) return -E.EFAULT;
  const timeout = readTimeout(proc, uaddr1!, uaddr2!);
  if (timeout === 'fault') return -E.EFAULT;
  const view = proc.memory.view;
  const current = wide ? view.getBigUint64(obj!, true) : BigInt(view.getUint32(obj!, true));
  const expected = wide ? BigInt.asUintN(64, BigInt(val!)) : BigInt(val! >>> 0);
  if (current !== expected) return 0;
  if (multithreaded(proc)) {
    const until = deadline(timeout);
    return block(proc, { futex: { addr: obj!, bitset: ALL_BITS }, ...(until !== undefined ? { deadline: until, onTimeout: -E.ETIMEDOUT } : {}) });
  }
  // A long's low half holds its changes (a woken waiter re-checks the whole value), so the futex watches that.
  return hostWait(proc, obj!, Number(expected & 0xffffffffn), timeout);
}

function wake(proc: GuestProcess, addr: number, count: number): number {
  if (guestRange(proc, addr, 4, false) === undefined) return -E.EFAULT;
  if (multithreaded(proc)) {
    wakeFutex(proc, addr, count);
    return 0;
  }
  const r = hostSyscall(
    'futex',
    proc.memory.hostAddress(addr),
    FUTEX_WAKE,
    Math.min(count, INT_MAX) >>> 0,
    0,
    0,
    0,
  );
  return Math.min(r, 0);
}

/** NWAKE_PRIVATE: wakes every waiter on each of `count` words whose addresses are in the array at `obj`. */
function wakeMany(proc: GuestProcess, obj: number, count: number): number {
  if (count < 0 || guestRange(proc, obj, count * 8, false) === undefined) return -E.EFAULT;
  for (let i = 0; i < count; i++) {
    const r = wake(proc, Number(proc.memory.view.getBigUint64(obj + i * 8, true)), INT_MAX);
    if (r < 0) return r;
  }
  return 0;
}

const reportedOps = new WeakMap<GuestProcess, Set<number>>();

function umtxOp(proc: GuestProcess, args: SyscallArgs): number {
  const op = int(args[1]);
  switch (op) {
    case UMTX_OP_WAIT:
      return wait(proc, args, true);
    case UMTX_OP_WAIT_UINT:
    case UMTX_OP_WAIT_UINT_PRIVATE:
      return wait(proc, args, false);
    case UMTX_OP_WAKE:
    case UMTX_OP_WAKE_PRIVATE:
      return wake(proc, args[0]!, int(args[2]) < 0 ? INT_MAX : int(args[2]));
    case UMTX_OP_NWAKE_PRIVATE:
      return wakeMany(proc, args[0]!, int(args[2]));
    case UMTX_OP_ROBUST_LISTS:
      return 0;
  }
  const reported = reportedOps.get(proc) ?? new Set<number>();
  reportedOps.set(proc, reported);
  if (proc.options.logItems.has('unimp') && !reported.has(op)) {
    reported.add(op);
    proc.options.log(`Unsupported _umtx_op operation: ${op}`);
  }
  return -E.EINVAL;
}

export const UMTX_SYSCALLS: SyscallGroup = {
  _umtx_op: syscall('xdxxx', umtxOp),
};
