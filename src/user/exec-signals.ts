/**
 * The signal state execve keeps when the new image runs in another host process: the kernel keeps
 * the signals a process ignores (a handled one goes back to its default action) and the signal
 * mask. tsemu holds both for the guest (process-state.ts), not in the host process, whose own
 * state Node resets at start, so they are handed over explicitly:
 * - to a new tsemu (another target's program) in TSEMU_EXEC_SIGNALS, which the new process takes
 *   at start and the guest never sees: the ignored set and the mask, in host signal numbering;
 * - to a host program by the host process itself, just before the host execve: the guest's mask
 *   as the host thread's mask, and every signal at SIG_IGN or SIG_DFL as the guest has it (Node
 *   keeps SIGPIPE ignored and tsemu's own handlers on a few more), put back if the execve fails.
 */
import { hostArena, hostSyscall, HOST } from '../syscalls/linux/host';
import { syscallState } from '../syscalls/linux/process-state';
import type { GuestProcess } from './process';
import { SIG_IGN, sigBit, signalFromHost, signalToHost } from './signals/dispositions';
import { followGuestDisposition, followGuestMask } from './signals/host-forward';

export const EXEC_SIGNALS_VARIABLE = 'TSEMU_EXEC_SIGNALS';

const SIG_SETMASK = 2;
/** struct sigaction of the x86_64 kernel: handler, flags, restorer, mask. */
const HOST_SIGACTION_SIZE = 32;

/** The guest signals the process ignores and blocks, as host signal sets. */
function hostSets(proc: GuestProcess): { ignored: bigint; blocked: bigint } {
  const state = syscallState(proc);
  let ignored = 0n;
  let blocked = 0n;
  for (let sig = 1; sig <= proc.abi.nsig; sig++) {
    const host = signalToHost(proc.abi, sig);
    if (host < 1 || host > HOST.nsig) continue;
    if (state.sigactions.get(sig)?.handler === SIG_IGN) ignored |= sigBit(host);
    if (state.sigmask & sigBit(sig)) blocked |= sigBit(host);
  }
  return { ignored, blocked };
}

/** The environment entry that hands the guest's ignored signals and mask to a new tsemu. */
export function execSignalsEntry(proc: GuestProcess): string {
  const { ignored, blocked } = hostSets(proc);
  return `${EXEC_SIGNALS_VARIABLE}=${ignored.toString(16)}:${blocked.toString(16)}`;
}

/** At start: the ignored signals and the mask a guest execve handed over (removed from the environment), made the guest's. */
export function takeExecSignals(proc: GuestProcess): void {
  const value = process.env[EXEC_SIGNALS_VARIABLE];
  delete process.env[EXEC_SIGNALS_VARIABLE];
  const m = value === undefined ? null : /^([0-9a-f]+):([0-9a-f]+)$/.exec(value);
  if (!m) return;
  const [ignored, blocked] = [BigInt(`0x${m[1]}`), BigInt(`0x${m[2]}`)];
  const state = syscallState(proc);
  let mask = 0n;
  for (let host = 1; host <= HOST.nsig; host++) {
    const sig = signalFromHost(proc.abi, host);
    if (sig < 1 || sig > proc.abi.nsig || sig === proc.abi.signals.SIGKILL || sig === proc.abi.signals.SIGSTOP) continue;
    if (blocked & sigBit(host)) mask |= sigBit(sig);
    if (ignored & sigBit(host)) state.sigactions.set(sig, { handler: SIG_IGN, flags: 0n, restorer: 0n, mask: 0n });
  }
  const before = state.sigmask;
  state.sigmask = mask;
  for (const [sig, action] of state.sigactions) followGuestDisposition(proc, sig, action, mask);
  followGuestMask(proc, state.sigactions, before, mask);
}

/**
 * Runs `execve` (the host execve of a host program) with the host's signal state as the guest's
 * (see the module comment); puts the host's back when it returns (it failed).
 */
export function withGuestSignalsOnHost(proc: GuestProcess, execve: () => number): number {
  const { ignored, blocked } = hostSets(proc);
  const mask = hostArena.alloc(8);
  const previousMask = hostArena.alloc(8);
  hostArena.view.setBigUint64(mask, blocked, true);
  const action = hostArena.alloc(HOST_SIGACTION_SIZE);
  const saved: { sig: number; at: number }[] = [];
  for (let sig = 1; sig <= HOST.nsig; sig++) {
    if (sig === HOST.signals.SIGKILL || sig === HOST.signals.SIGSTOP) continue;
    const at = hostArena.alloc(HOST_SIGACTION_SIZE);
    hostArena.view.setBigUint64(action, ignored & sigBit(sig) ? 1n : 0n, true);
    if (hostSyscall('rt_sigaction', sig, hostArena.address(action), hostArena.address(at), 8) === 0) saved.push({ sig, at });
  }
  hostSyscall('rt_sigprocmask', SIG_SETMASK, hostArena.address(mask), hostArena.address(previousMask), 8);
  const result = execve();
  hostSyscall('rt_sigprocmask', SIG_SETMASK, hostArena.address(previousMask), 0, 8);
  for (const { sig, at } of saved) hostSyscall('rt_sigaction', sig, hostArena.address(at), 0, 8);
  return result;
}
