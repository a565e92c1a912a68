/**
 * What an execve done in the same host process (user/exec-in-place.ts) resets in the syscall
 * layer, as the kernel's exec does past its point of no return: robust futexes are released, close-
 * on-exec descriptors closed, handled signals go back to their default action (ignored ones stay
 * ignored; the mask and pending signals are kept), the alternate signal stack, robust list and
 * clear-child-tid address are forgotten, POSIX timers deleted, and the thread's name becomes the
 * new program's. A vfork parent waiting for this exec is released.
 */
import type { GuestProcess } from '../../user/process';
import { followGuestDisposition } from '../../user/signals/host-forward';
import { SIG_IGN } from '../../user/signals/dispositions';
import { deleteAllTimers } from '../../user/signals/posix-timers';
import { fdTable } from './fd-table';
import { releaseVforkParent } from './fork';
import { hostSyscall } from './host';
import { nameThread } from './process-name';
import { programName, syscallState } from './process-state';
import { exitAllRobustLists } from './robust-list';

const F_GETFD = 1;
const FD_CLOEXEC = 1;

/** `path` is the file execve was given (the process is named after it). */
export function resetForNewImage(proc: GuestProcess, path: string): void {
  exitAllRobustLists(proc);
  closeOnExec(proc);
  deleteAllTimers(proc);
  const state = syscallState(proc);
  for (const [sig, action] of [...state.sigactions]) {
    if (action.handler === SIG_IGN) continue;
    state.sigactions.delete(sig);
    followGuestDisposition(proc, sig, undefined, state.sigmask);
  }
  state.suspendedMask = undefined;
  state.altStack = { sp: 0n, flags: 0, size: 0n };
  state.robustList = { head: 0, length: 0 };
  state.clearChildTid = 0;
  nameThread(proc, programName(path));
  releaseVforkParent();
}

/** Closes the guest descriptors whose host side is close-on-exec (where the guest's flag lives). */
function closeOnExec(proc: GuestProcess): void {
  const table = fdTable(proc);
  for (const fd of table.guestFds()) {
    const flags = hostSyscall('fcntl', table.host(fd)!, F_GETFD);
    if (flags >= 0 && flags & FD_CLOEXEC) hostSyscall('close', table.remove(fd)!);
  }
}
