/**
 * The process's name (the kernel's comm): what PR_GET_NAME answers and what /proc/PID/comm, ps,
 * pgrep and killall see. The kernel names a process after the file each execve runs, and so does a
 * program under qemu-user started through binfmt_misc; a tsemu process is a host thread named
 * after the Node binary or ld.so, and an execve done in place runs no host exec. So tsemu names the
 * host thread itself, at the start, at each execve and at the main thread's PR_SET_NAME.
 */
import type { GuestProcess } from '../../user/process';
import { currentThreadId } from '../../user/threads/scheduler';
import { hostArena, hostSyscall } from './host';
import { COMM_LENGTH, syscallState } from './process-state';

export const PR_SET_NAME = 15;
/** Gives the calling guest thread `name`; the main thread's name is also the host's comm. */
export function nameThread(proc: GuestProcess, name: Uint8Array): void {
  const state = syscallState(proc);
  state.name = Buffer.from(name.subarray(0, COMM_LENGTH));
  if ((currentThreadId(proc) ?? process.pid) !== process.pid) return;
  hostSyscall('prctl', PR_SET_NAME, hostArena.cString(state.name));
}
