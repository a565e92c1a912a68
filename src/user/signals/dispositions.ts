/**
 * Signal numbers and dispositions in generic terms: the sa_flags bits (the asm-generic values, which
 * aarch64, ARM and PowerPC share), the default action of each signal (signal(7)), and guest -> host
 * signal numbering for a death by signal.
 */
import type { LinuxAbi, SignalName } from '../../syscalls/abi';
import { translateValue } from '../../syscalls/linux/flags';
import { HOST } from '../../syscalls/linux/host';
import type { GuestSigaction } from '../../syscalls/linux/process-state';

export const SIG_DFL = 0n;
export const SIG_IGN = 1n;
export const SA_SIGINFO = 0x4n;
export const SA_RESTORER = 0x04000000n;
export const SA_ONSTACK = 0x08000000n;
export const SA_RESTART = 0x10000000n;
export const SA_NODEFER = 0x40000000n;
export const SA_RESETHAND = 0x80000000n;
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;

export type DefaultAction = 'terminate' | 'ignore' | 'stop';

/** Signals whose default action is to do nothing, or to stop; every other one terminates (some with a core). */
const DEFAULT_IGNORED: ReadonlySet<SignalName> = new Set(['SIGCHLD', 'SIGURG', 'SIGWINCH', 'SIGCONT']);
const DEFAULT_STOP: ReadonlySet<SignalName> = new Set(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

export function signalName(abi: LinuxAbi, sig: number): SignalName | undefined {
  return (Object.keys(abi.signals) as SignalName[]).find((n) => abi.signals[n] === sig);
}

export function defaultAction(abi: LinuxAbi, sig: number): DefaultAction {
  const name = signalName(abi, sig);
  if (name && DEFAULT_IGNORED.has(name)) return 'ignore';
  if (name && DEFAULT_STOP.has(name)) return 'stop';
  return 'terminate';
}

/** What happens to `sig` under `action` (absent = SIG_DFL): a guest handler runs, or the default, or nothing. */
export function dispositionOf(abi: LinuxAbi, sig: number, action: GuestSigaction | undefined): DefaultAction | 'handler' {
  if (sig === abi.signals.SIGKILL) return 'terminate';
  if (sig === abi.signals.SIGSTOP) return 'stop';
  if (!action || action.handler === SIG_DFL) return defaultAction(abi, sig);
  return action.handler === SIG_IGN ? 'ignore' : 'handler';
}

/** The bit of signal `sig` in a sigset (bit n - 1 for signal n). */
export const sigBit = (sig: number): bigint => 1n << BigInt(sig - 1);

/** SIGKILL and SIGSTOP, which no mask blocks. */
export const unblockable = (abi: LinuxAbi): bigint => sigBit(abi.signals.SIGKILL) | sigBit(abi.signals.SIGSTOP);

/** A host signal number in the guest's numbering (the inverse of signalToHost). */
export function signalFromHost(abi: LinuxAbi, sig: number): number {
  if (sig >= HOST.sigRtMin) return sig - HOST.sigRtMin + abi.sigRtMin;
  return translateValue(sig, HOST.signals, abi.signals) ?? sig;
}

/** A guest signal number in host numbering (real-time signals keep their offset from SIGRTMIN). */
export function signalToHost(abi: LinuxAbi, sig: number): number {
  if (sig >= abi.sigRtMin) return sig - abi.sigRtMin + HOST.sigRtMin;
  return translateValue(sig, abi.signals, HOST.signals) ?? sig;
}
