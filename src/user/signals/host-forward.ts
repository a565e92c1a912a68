/**
 * Host signals for the guest. A signal the guest handles gets a host handler (in the addon) that
 * notes each arrival; the CPU loop raises the noted ones in the guest before it runs on, and the
 * handler, installed without SA_RESTART, makes a blocking host syscall return EINTR the way the
 * guest's own would. A signal the guest ignores is ignored by the host too; a default one gets the
 * host's default action, which is the guest's (Node's own SIGUSR1 handler is dropped at start).
 * Left alone: the synchronous faults (the guest's come from its traps), SIGKILL and SIGSTOP,
 * SIGALRM (the host timer of host-alarm.ts) and SIGPIPE (Node ignores it; EPIPE raises the
 * guest's, see syscalls/linux/sigpipe.ts).
 */
import { native } from '../../native';
import type { SignalName } from '../../syscalls/abi';
import { HOST } from '../../syscalls/linux/host';
import type { GuestSigaction } from '../../syscalls/linux/process-state';
import type { GuestProcess } from '../process';
import { SIG_DFL, SIG_IGN, signalFromHost, signalToHost } from './dispositions';
import { enqueue } from './pending';

const LEFT_ALONE: readonly SignalName[] = ['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGKILL', 'SIGSTOP', 'SIGALRM', 'SIGPIPE'];
const HOST_LEFT_ALONE = new Set(LEFT_ALONE.map((name) => HOST.signals[name]));
const MODE_DEFAULT = 0;
const MODE_IGNORE = 1;
const MODE_NOTE = 2;

/** Whether tsemu may take over host signal `hostSig` (glibc keeps SIGRTMIN and SIGRTMIN + 1 for itself). */
function forwardable(hostSig: number): boolean {
  const glibcInternal = hostSig === HOST.sigRtMin || hostSig === HOST.sigRtMin + 1;
  return hostSig > 0 && hostSig <= HOST.nsig && !glibcInternal && !HOST_LEFT_ALONE.has(hostSig);
}

/** Gives the host the disposition matching the guest's new action for guest signal `sig`. */
export function followGuestDisposition(proc: GuestProcess, sig: number, action: GuestSigaction): void {
  const hostSig = signalToHost(proc.abi, sig);
  if (!forwardable(hostSig)) return;
  const mode = action.handler === SIG_DFL ? MODE_DEFAULT : action.handler === SIG_IGN ? MODE_IGNORE : MODE_NOTE;
  native().hostSignalMode(hostSig, mode);
}

/** Puts every forwardable host signal at its default action, as a new process has them. */
export function resetHostSignals(): void {
  for (let sig = 1; sig <= HOST.nsig; sig++) if (forwardable(sig)) native().hostSignalMode(sig, MODE_DEFAULT);
}

/** Queues the host signals that arrived since the last look as guest signals. */
export function collectHostSignals(proc: GuestProcess): void {
  const noted = native().takeHostSignals();
  for (let i = 0; i + 4 < noted.length; i += 5) {
    const signo = signalFromHost(proc.abi, noted[i]!);
    const chld = noted[i]! === HOST.signals.SIGCHLD;
    enqueue(proc, { signo, code: noted[i + 1]!, pid: noted[i + 2]!, uid: noted[i + 3]!, ...(chld ? { status: noted[i + 4]! } : {}) });
  }
}

/** Forgets arrivals noted before fork: they were the parent's. */
export function forgetHostSignals(): void {
  native().takeHostSignals();
}
