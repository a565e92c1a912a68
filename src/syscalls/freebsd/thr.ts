/**
 * FreeBSD's thread calls over the green threads of threads.ts: thr_new starts a thread at
 * start_func(arg) on the given stack and TLS pointer and stores its id at child_tid and
 * parent_tid; thr_self answers the running thread's id; thr_exit stores 1 at its state word,
 * wakes that word's waiters and ends the thread (the process, if it was the last); thr_kill
 * signals a thread; nanosleep and sched_yield let the other threads run meanwhile.
 */
import type { GuestProcess } from '../../user/process';
import { sendToSelf } from '../../user/signals/deliver';
import { SI_TKILL } from '../../user/signals/siginfo';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { E, guestRange } from '../linux/guest-access';
import { hostSyscall } from '../linux/host';
import { LINUX_SYSCALLS } from '../linux/registry';
import { GuestExit, type SyscallArgs } from '../types';
import { FREEBSD_NSIG } from './signals';
import {
  blockCurrent,
  currentThreadId,
  exitCurrent,
  monotonicNs,
  multithreaded,
  signalThread,
  spawnThread,
  wakeWaiters,
  yieldCurrent,
} from './threads';

const FUTEX_WAKE = 1;
const INT_MAX = 0x7fffffff;
const NS_PER_S = 1_000_000_000n;
/** struct thr_param offsets and size (sys/sys/thr.h). */
const PARAM = {
  start_func: 0,
  arg: 8,
  stack_base: 16,
  stack_size: 24,
  tls_base: 32,
  child_tid: 48,
  parent_tid: 56,
} as const;
const THR_PARAM_SIZE = 104;

function thrNew(proc: GuestProcess, [paramAddr, sizeArg]: SyscallArgs): number {
  const size = int(sizeArg);
  if (size < 0 || size > THR_PARAM_SIZE) return -E.EINVAL;
  if (guestRange(proc, paramAddr!, size, false) === undefined) return -E.EFAULT;
  // Fields beyond the size the caller passed read as zero, as the kernel's copyin into a zeroed struct.
  const field = (offset: number): number =>
    offset + 8 <= size ? Number(proc.memory.view.getBigUint64(paramAddr! + offset, true)) : 0;
  const tidAddrs = [field(PARAM.child_tid), field(PARAM.parent_tid)].filter((a) => a !== 0);
  if (tidAddrs.some((a) => guestRange(proc, a, 8, true) === undefined)) return -E.EFAULT;
  const id = spawnThread(proc, {
    entry: field(PARAM.start_func),
    arg: field(PARAM.arg),
    stackTop: field(PARAM.stack_base) + field(PARAM.stack_size),
    tls: field(PARAM.tls_base),
  });
  for (const a of tidAddrs) proc.memory.view.setBigInt64(a, BigInt(id), true);
  return 0;
}

function thrSelf(proc: GuestProcess, [idAddr]: SyscallArgs): number {
  if (guestRange(proc, idAddr!, 8, true) === undefined) return -E.EFAULT;
  proc.memory.view.setBigInt64(idAddr!, BigInt(currentThreadId(proc)), true);
  return 0;
}

function thrExit(proc: GuestProcess, [state]: SyscallArgs): number {
  const last = !multithreaded(proc);
  if (state !== 0 && guestRange(proc, state!, 8, true) !== undefined) {
    proc.memory.view.setBigInt64(state!, 1n, true);
    if (last) hostSyscall('futex', proc.memory.hostAddress(state!), FUTEX_WAKE, INT_MAX, 0, 0, 0);
    else wakeWaiters(proc, state!, INT_MAX);
  }
  if (last) throw new GuestExit(0);
  return exitCurrent(proc);
}

function thrKill(proc: GuestProcess, [id, sigArg]: SyscallArgs): number {
  const sig = int(sigArg);
  if (sig < 0 || sig > FREEBSD_NSIG) return -E.EINVAL;
  if (sig === 0) return currentThreadId(proc) === id || signalThread(proc, id!, 0) ? 0 : -E.ESRCH;
  if (id === currentThreadId(proc))
    return sendToSelf(proc, { signo: sig, code: SI_TKILL, pid: process.pid, uid: process.getuid?.() ?? 0 });
  return signalThread(proc, id!, sig) ? 0 : -E.ESRCH;
}

/** thr_set_name: accepted for existing threads; the name is not kept (nothing here reads it back). */
function thrSetName(proc: GuestProcess, [id]: SyscallArgs): number {
  return id === -1 || id === currentThreadId(proc) || signalThread(proc, id!, 0) ? 0 : -E.ESRCH;
}

/** nanosleep: with other threads, they run until the deadline (the remaining time is never needed: no EINTR). */
function nanosleep(proc: GuestProcess, args: SyscallArgs): number {
  if (!multithreaded(proc)) return LINUX_SYSCALLS['nanosleep']!.handler(proc, args);
  const req = args[0]!;
  if (guestRange(proc, req, 16, false) === undefined) return -E.EFAULT;
  const sec = proc.memory.view.getBigInt64(req, true);
  const nsec = proc.memory.view.getBigInt64(req + 8, true);
  if (sec < 0n || nsec < 0n || nsec >= NS_PER_S) return -E.EINVAL;
  return blockCurrent(proc, { deadline: monotonicNs() + sec * NS_PER_S + nsec, timeoutResult: 0 });
}

function schedYield(proc: GuestProcess, args: SyscallArgs): number {
  return multithreaded(proc) ? yieldCurrent(proc) : LINUX_SYSCALLS['sched_yield']!.handler(proc, args);
}

export const THR_SYSCALLS: SyscallGroup = {
  thr_new: syscall('xd', thrNew),
  thr_self: syscall('x', thrSelf),
  thr_exit: syscall('x', thrExit),
  thr_kill: syscall('dd', thrKill),
  thr_set_name: syscall('ds', thrSetName),
  nanosleep: syscall('xx', nanosleep),
  sched_yield: syscall('', schedYield),
  yield: syscall('', schedYield),
};
