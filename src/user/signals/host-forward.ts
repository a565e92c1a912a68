/**
 * Host signals for the guest. A signal the guest handles gets a host handler (in the addon) that
 * notes each arrival; the CPU loop raises the noted ones in the guest before it runs on, and the
 * handler, installed without SA_RESTART, makes a blocking host syscall return EINTR the way the
 * guest's own would. A signal the guest ignores is ignored by the host too; a default one gets the
 * host's default action, which is the guest's (Node's own SIGUSR1 handler is dropped at start),
 * unless the guest blocks it: then it is noted too, so that it waits in the guest's pending set
 * (for sigwait, or its default action once unblocked) instead of ending tsemu at once.
 * Left alone: the synchronous faults (the guest's come from its traps), SIGKILL and SIGSTOP,
 * and SIGPIPE (Node ignores it; EPIPE raises the guest's, see syscalls/linux/sigpipe.ts). SIGALRM
 * is noted for good once tsemu's own host timer (host-alarm.ts) sends it, whatever the guest's
 * action: the addon does not note the timer's own arrivals (SI_TIMER), so a SIGALRM another
 * process sends still reaches the guest, whose default action then ends it as before.
 */
import { native } from '../../native';
import type { SignalName } from '../../syscalls/abi';
import { HOST } from '../../syscalls/linux/host';
import type { GuestSigaction } from '../../syscalls/linux/process-state';
import type { GuestProcess } from '../process';
import { SIG_DFL, SIG_IGN, sigBit, signalFromHost, signalToHost } from './dispositions';
import { enqueue } from './pending';

const LEFT_ALONE: readonly SignalName[] = ['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGKILL', 'SIGSTOP', 'SIGPIPE'];
const HOST_LEFT_ALONE = new Set(LEFT_ALONE.map((name) => HOST.signals[name]));
const MODE_DEFAULT = 0;
const MODE_IGNORE = 1;
const MODE_NOTE = 2;
/** Host signals whose handler must stay whatever the guest does: tsemu interrupts itself with them. */
const alwaysNoted = new Set<number>();

/** Keeps host signal `hostSig` noted from now on (host-alarm.ts's SIGALRM). */
export function keepNoted(hostSig: number): void {
  alwaysNoted.add(hostSig);
  native().hostSignalMode(hostSig, MODE_NOTE);
}

/** The mode host signal `hostSig` needs when the guest's action alone would give it `mode`. */
function modeFor(hostSig: number, mode: number): number {
  return alwaysNoted.has(hostSig) ? MODE_NOTE : mode;
}

/** Whether tsemu may take over host signal `hostSig` (glibc keeps SIGRTMIN and SIGRTMIN + 1 for itself). */
function forwardable(hostSig: number): boolean {
  const glibcInternal = hostSig === HOST.sigRtMin || hostSig === HOST.sigRtMin + 1;
  return hostSig > 0 && hostSig <= HOST.nsig && !glibcInternal && !HOST_LEFT_ALONE.has(hostSig);
}

/** Gives the host the disposition matching the guest's action for guest signal `sig` (undefined: SIG_DFL) and its mask. */
export function followGuestDisposition(proc: GuestProcess, sig: number, action: GuestSigaction | undefined, mask: bigint): void {
  const hostSig = signalToHost(proc.abi, sig);
  if (!forwardable(hostSig)) return;
  const handler = action?.handler ?? SIG_DFL;
  const blocked = (mask & sigBit(sig)) !== 0n;
  const mode = handler === SIG_IGN ? MODE_IGNORE : handler === SIG_DFL && !blocked ? MODE_DEFAULT : MODE_NOTE;
  native().hostSignalMode(hostSig, modeFor(hostSig, mode));
}

/** After the guest's mask changed from `before` to `after`: the host dispositions of the default signals whose blocking changed. */
export function followGuestMask(proc: GuestProcess, actions: ReadonlyMap<number, GuestSigaction>, before: bigint, after: bigint): void {
  for (let sig = 1; sig <= proc.abi.nsig; sig++) {
    const action = actions.get(sig);
    if ((before ^ after) & sigBit(sig) && (action?.handler ?? SIG_DFL) === SIG_DFL) followGuestDisposition(proc, sig, action, after);
  }
}

/** Puts every forwardable host signal at its default action, as a new process has them. */
export function resetHostSignals(): void {
  for (let sig = 1; sig <= HOST.nsig; sig++) if (forwardable(sig)) native().hostSignalMode(sig, modeFor(sig, MODE_DEFAULT));
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
