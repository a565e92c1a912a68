/**
 * FreeBSD's thread calls for a process of one thread: thr_self answers the thread id (the host
 * thread's id), thr_kill sends a signal to it, thr_exit of the last thread ends the process (after
 * storing 1 at its state word and waking its waiters, as the kernel does). thr_new, which creates
 * threads, waits for tsemu's thread support and stays unimplemented (ENOSYS, logged).
 */
import type { GuestProcess } from '../../user/process';
import { sendToSelf } from '../../user/signals/deliver';
import { SI_TKILL } from '../../user/signals/siginfo';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { E, guestRange } from '../linux/guest-access';
import { hostSyscall } from '../linux/host';
import { GuestExit, type SyscallArgs } from '../types';
import { FREEBSD_NSIG } from './signals';

const FUTEX_WAKE = 1;
const INT_MAX = 0x7fffffff;

const threadId = (): number => hostSyscall('gettid');

function thrSelf(proc: GuestProcess, [idAddr]: SyscallArgs): number {
  if (guestRange(proc, idAddr!, 8, true) === undefined) return -E.EFAULT;
  proc.memory.view.setBigInt64(idAddr!, BigInt(threadId()), true);
  return 0;
}

function thrExit(proc: GuestProcess, [state]: SyscallArgs): never {
  if (state !== 0 && guestRange(proc, state!, 8, true) !== undefined) {
    proc.memory.view.setBigInt64(state!, 1n, true);
    hostSyscall('futex', proc.memory.hostAddress(state!), FUTEX_WAKE, INT_MAX, 0, 0, 0);
  }
  throw new GuestExit(0);
}

function thrKill(proc: GuestProcess, [id, sigArg]: SyscallArgs): number {
  const sig = int(sigArg);
  if (sig < 0 || sig > FREEBSD_NSIG) return -E.EINVAL;
  if (id !== threadId()) return -E.ESRCH;
  return sig === 0 ? 0 : sendToSelf(proc, { signo: sig, code: SI_TKILL, pid: process.pid, uid: process.getuid?.() ?? 0 });
}

/** thr_set_name: only the process's own thread exists; the name is not kept (nothing reads it back). */
function thrSetName(_proc: GuestProcess, [id]: SyscallArgs): number {
  return id === -1 || id === threadId() ? 0 : -E.ESRCH;
}

export const THR_SYSCALLS: SyscallGroup = {
  thr_self: syscall('x', thrSelf),
  thr_exit: syscall('x', thrExit, { noReturn: true }),
  thr_kill: syscall('dd', thrKill),
  thr_set_name: syscall('ds', thrSetName),
};
