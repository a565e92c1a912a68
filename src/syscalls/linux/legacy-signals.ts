/**
 * The signal calls from before the rt_ family, which ABIs still number and small libcs still call
 * (32-bit ARM's sigaction, sigprocmask, sigpending and sigsuspend; PowerPC's signal, sgetmask and
 * ssetmask): each reads or writes the old one-word signal set (old_sigset_t, an unsigned long:
 * signals 1 to 32 on a 32-bit ABI) and then does what its rt_ successor does.
 */
import type { GuestProcess } from '../../user/process';
import { SA_NODEFER, SA_RESETHAND } from '../../user/signals/dispositions';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, readLong, writeLong } from './guest-access';
import { syscallState } from './process-state';
import {
  currentSigaction,
  maskAfter,
  setSigaction,
  setSigmask,
  settableSignal,
  suspendWithMask,
} from './signals';
import { signalNumber, sigprocmaskHow } from './strace-names';

/** The signals an old_sigset_t holds. */
function oldSetBits(proc: GuestProcess): bigint {
  return (1n << BigInt(8 * proc.abi.wordSize)) - 1n;
}

/** The unsigned long (an old_sigset_t, a handler...) at `addr`, or undefined when the guest may not read it. */
function readWord(proc: GuestProcess, addr: number): bigint | undefined {
  if (!proc.memory.accessible(addr, proc.abi.wordSize, false)) return undefined;
  return BigInt.asUintN(8 * proc.abi.wordSize, readLong(proc, addr));
}

function writeWord(proc: GuestProcess, addr: number, value: bigint): boolean {
  if (!proc.memory.accessible(addr, proc.abi.wordSize, true)) return false;
  writeLong(proc, addr, value);
  return true;
}

/** struct old_sigaction: handler, mask (old_sigset_t), flags, restorer; one word each. */
const OLD_SIGACTION_FIELDS = ['handler', 'mask', 'flags', 'restorer'] as const;

function sigaction(proc: GuestProcess, [sigArg, act, oldact]: SyscallArgs): number {
  const sig = int(sigArg);
  const word = proc.abi.wordSize;
  let fields: bigint[] | undefined;
  if (act !== 0) {
    fields = OLD_SIGACTION_FIELDS.map((_, i) => readWord(proc, act! + i * word)).filter(
      (v): v is bigint => v !== undefined,
    );
    if (fields.length !== OLD_SIGACTION_FIELDS.length) return -E.EFAULT;
    if (!settableSignal(proc, sig)) return -E.EINVAL;
  } else if (sig < 1 || sig > proc.abi.nsig) return -E.EINVAL;
  const old = currentSigaction(proc, sig);
  if (fields) {
    const [handler, mask, flags, restorer] = fields as [bigint, bigint, bigint, bigint];
    setSigaction(proc, sig, { handler, flags, restorer, mask });
  }
  if (oldact !== 0) {
    const values = [old.handler, old.mask & oldSetBits(proc), old.flags, old.restorer];
    if (!values.every((v, i) => writeWord(proc, oldact! + i * word, v))) return -E.EFAULT;
  }
  return 0;
}

function sigprocmask(proc: GuestProcess, [how, set, oldset]: SyscallArgs): number {
  const state = syscallState(proc);
  const before = state.sigmask;
  if (set !== 0) {
    const s = readWord(proc, set!);
    if (s === undefined) return -E.EFAULT;
    const next = maskAfter(before, int(how), s, oldSetBits(proc));
    if (next === undefined) return -E.EINVAL;
    setSigmask(proc, next);
  }
  if (oldset !== 0 && !writeWord(proc, oldset!, before & oldSetBits(proc))) return -E.EFAULT;
  return 0;
}

function sigpending(proc: GuestProcess, [set]: SyscallArgs): number {
  return writeWord(proc, set!, syscallState(proc).pending & oldSetBits(proc)) ? 0 : -E.EFAULT;
}

/**
 * sigsuspend(unused, unused, mask) as ARM has it (CONFIG_OLD_SIGSUSPEND3): the wait's mask is the
 * one word, the signals above it unblocked (the kernel's siginitset).
 */
function sigsuspend(proc: GuestProcess, [, , mask]: SyscallArgs): number {
  return suspendWithMask(proc, BigInt.asUintN(8 * proc.abi.wordSize, BigInt(mask!)));
}

/** signal(sig, handler): a one-shot action that does not block the signal in its handler; the old handler back. */
function signal(proc: GuestProcess, [sigArg, handler]: SyscallArgs): number {
  const sig = int(sigArg);
  if (!settableSignal(proc, sig)) return -E.EINVAL;
  const old = currentSigaction(proc, sig);
  const word = BigInt.asUintN(8 * proc.abi.wordSize, BigInt(handler!));
  setSigaction(proc, sig, { handler: word, flags: SA_RESETHAND | SA_NODEFER, restorer: 0n, mask: 0n });
  return Number(old.handler);
}

/** sgetmask: the blocked signals 1 to 32 (an int, whatever the word size). */
function sgetmask(proc: GuestProcess): number {
  return Number(BigInt.asIntN(32, syscallState(proc).sigmask));
}

/** ssetmask(mask): blocks exactly the signals of `mask` among 1 to 32; the old ones back. */
function ssetmask(proc: GuestProcess, [mask]: SyscallArgs): number {
  const old = sgetmask(proc);
  const low = 0xffffffffn;
  setSigmask(proc, (syscallState(proc).sigmask & ~low) | (BigInt(mask! >>> 0) & low));
  return old;
}

export const LEGACY_SIGNAL_SYSCALLS: SyscallGroup = {
  sigaction: syscall([signalNumber, 'x', 'x'], sigaction),
  sigprocmask: syscall([sigprocmaskHow, 'x', 'x'], sigprocmask),
  sigpending: syscall('x', sigpending),
  sigsuspend: syscall('ddx', sigsuspend),
  signal: syscall([signalNumber, 'x'], signal, { addressResult: true }),
  sgetmask: syscall('', sgetmask),
  ssetmask: syscall('x', ssetmask),
};
