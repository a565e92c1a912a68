/**
 * FreeBSD's thread calls over the shared green threads (src/user/threads/): thr_new starts a
 * thread at start_func(arg) on the given stack and TLS pointer and stores its id at child_tid and
 * parent_tid; thr_self answers the running thread's id; thr_exit stores 1 at its state word,
 * wakes that word's waiters and ends the thread (the process, if it was the last); thr_kill
 * signals a thread. Sleeping and yielding let the other threads run (blocking.ts, sched_yield).
 */
import type { GuestProcess } from '../../user/process';
import { sendToSelf } from '../../user/signals/deliver';
import { SI_TKILL, type SigInfo } from '../../user/signals/siginfo';
import { SP, TPIDR_EL0, xreg } from '../../translate/aarch64/state';
import { STATE_PC } from '../../translate/frontend';
import {
  currentThreadId,
  exitThread,
  multithreaded,
  signalThread,
  spawnThread,
  threadExists,
  wakeFutex,
} from '../../user/threads/scheduler';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { E, guestRange } from '../linux/guest-access';
import { hostSyscall } from '../linux/host';
import { LINUX_SYSCALLS } from '../linux/registry';
import { GuestExit, type SyscallArgs } from '../types';
import { FREEBSD_NSIG } from './signals';

const FUTEX_WAKE = 1;
const INT_MAX = 0x7fffffff;
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

const selfId = (proc: GuestProcess): number => currentThreadId(proc) ?? hostSyscall('gettid');

function thrNew(proc: GuestProcess, [paramAddr, sizeArg]: SyscallArgs): number {
  const size = int(sizeArg);
  if (size < 0 || size > THR_PARAM_SIZE) return -E.EINVAL;
  if (guestRange(proc, paramAddr!, size, false) === undefined) return -E.EFAULT;
  // Fields beyond the size the caller passed read as zero, as the kernel's copyin into a zeroed struct.
  const field = (offset: number): number =>
    offset + 8 <= size ? Number(proc.memory.view.getBigUint64(paramAddr! + offset, true)) : 0;
  const tidAddrs = [field(PARAM.child_tid), field(PARAM.parent_tid)].filter((a) => a !== 0);
  if (tidAddrs.some((a) => guestRange(proc, a, 8, true) === undefined)) return -E.EFAULT;
  const stackTop = field(PARAM.stack_base) + field(PARAM.stack_size);
  const id = spawnThread(
    proc,
    (state, base) => {
      for (let i = 0; i <= 30; i++) state.setBigUint64(base + xreg(i), 0n, true);
      state.setBigUint64(base + xreg(0), BigInt(field(PARAM.arg)), true);
      state.setBigUint64(base + SP, BigInt(stackTop - (stackTop % 16)), true);
      state.setBigUint64(base + TPIDR_EL0, BigInt(field(PARAM.tls_base)), true);
      state.setBigUint64(base + STATE_PC, BigInt(field(PARAM.start_func)), true);
    },
    undefined,
  );
  if (id < 0) return id;
  for (const a of tidAddrs) proc.memory.view.setBigInt64(a, BigInt(id), true);
  return 0;
}

function thrSelf(proc: GuestProcess, [idAddr]: SyscallArgs): number {
  if (guestRange(proc, idAddr!, 8, true) === undefined) return -E.EFAULT;
  proc.memory.view.setBigInt64(idAddr!, BigInt(selfId(proc)), true);
  return 0;
}

function thrExit(proc: GuestProcess, [state]: SyscallArgs): number {
  const last = !multithreaded(proc);
  if (state !== 0 && guestRange(proc, state!, 8, true) !== undefined) {
    proc.memory.view.setBigInt64(state!, 1n, true);
    if (last) hostSyscall('futex', proc.memory.hostAddress(state!), FUTEX_WAKE, INT_MAX, 0, 0, 0);
    else wakeFutex(proc, state!, INT_MAX);
  }
  if (last) throw new GuestExit(0);
  return exitThread(proc);
}

const fromSelf = (signo: number): SigInfo => ({ signo, code: SI_TKILL, pid: process.pid, uid: process.getuid?.() ?? 0 });

function thrKill(proc: GuestProcess, [id, sigArg]: SyscallArgs): number {
  const sig = int(sigArg);
  if (sig < 0 || sig > FREEBSD_NSIG) return -E.EINVAL;
  if (id === selfId(proc)) return sig === 0 ? 0 : sendToSelf(proc, fromSelf(sig));
  if (!threadExists(proc, id!)) return -E.ESRCH;
  if (sig !== 0) signalThread(proc, id!, fromSelf(sig), (info) => sendToSelf(proc, info));
  return 0;
}

/** thr_set_name: accepted for existing threads; the name is not kept (nothing here reads it back). */
function thrSetName(proc: GuestProcess, [id]: SyscallArgs): number {
  return id === -1 || id === selfId(proc) || threadExists(proc, id!) ? 0 : -E.ESRCH;
}

export const THR_SYSCALLS: SyscallGroup = {
  thr_new: syscall('xd', thrNew),
  thr_self: syscall('x', thrSelf),
  thr_exit: syscall('x', thrExit),
  thr_kill: syscall('dd', thrKill),
  thr_set_name: syscall('ds', thrSetName),
  nanosleep: LINUX_SYSCALLS['nanosleep']!,
  sched_yield: LINUX_SYSCALLS['sched_yield']!,
  yield: LINUX_SYSCALLS['sched_yield']!,
};
