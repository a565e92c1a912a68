/**
 * SIGPIPE: a write to a pipe or stream socket whose reading end is closed fails with EPIPE and
 * also raises SIGPIPE in the writer (pipe_write, sk_stream_error). tsemu's host process ignores
 * SIGPIPE (Node does), so the host only reports EPIPE; the signal is raised in the guest here.
 * send/sendto/sendmsg skip it under MSG_NOSIGNAL.
 */
import type { GuestProcess } from '../../user/process';
import { sendToSelf } from '../../user/signals/deliver';
import { SI_USER } from '../../user/signals/siginfo';
import type { SyscallArgs } from '../types';
import { int } from './define';

const MSG_NOSIGNAL = 0x4000;

/** Syscalls that write to a descriptor, with the position of their send flags when they have them. */
const WRITERS: Readonly<Record<string, number | undefined>> = {
  write: undefined,
  writev: undefined,
  pwritev: undefined,
  pwritev2: undefined,
  sendfile: undefined,
  sendfile64: undefined,
  splice: undefined,
  vmsplice: undefined,
  tee: undefined,
  send: 3,
  sendto: 3,
  sendmsg: 2,
  sendmmsg: 3,
};

/** After syscall `name` failed with EPIPE: raises the guest's SIGPIPE if the kernel would (may end the guest). */
export function raiseSigpipe(proc: GuestProcess, name: string, args: SyscallArgs): void {
  if (!(name in WRITERS)) return;
  const flagsAt = WRITERS[name];
  if (flagsAt !== undefined && int(args[flagsAt]) & MSG_NOSIGNAL) return;
  sendToSelf(proc, { signo: proc.abi.signals.SIGPIPE, code: SI_USER, pid: process.pid, uid: process.getuid?.() ?? 0 });
}
