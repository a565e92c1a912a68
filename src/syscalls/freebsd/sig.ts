/**
 * FreeBSD's signal calls over the generic per-process signal state (src/user/signals/):
 * sigaction (struct sigaction without restorer, FreeBSD SA_* bits, stored as the generic layer's
 * Linux-valued flags so delivery treats both ABIs alike), sigprocmask (SIG_BLOCK is 1 there) and
 * sigpending on 128-bit sets, and sigaltstack (stack_t with ss_size before ss_flags, SS_DISABLE 4).
 */
import type { GuestProcess } from '../../user/process';
import {
  SA_NODEFER,
  SA_ONSTACK,
  SA_RESETHAND,
  SA_RESTART,
  SA_SIGINFO,
  SIG_DFL,
  SS_DISABLE,
  dispositionOf,
  unblockable,
} from '../../user/signals/dispositions';
import { settleDefaults } from '../../user/signals/deliver';
import { discard } from '../../user/signals/pending';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { E, guestRange, guestStruct } from '../linux/guest-access';
import { syscallState, type GuestSigaction } from '../linux/process-state';
import { SP } from '../../translate/aarch64/state';
import type { SyscallArgs } from '../types';
import {
  FREEBSD_MINSIGSTKSZ,
  FREEBSD_NSIG,
  FREEBSD_SA,
  FREEBSD_SIGSET_SIZE,
  FREEBSD_SIGNALS,
  FREEBSD_SS_DISABLE,
  FREEBSD_SS_ONSTACK,
} from './signals';

/** Linux's SA_NOCLDSTOP and SA_NOCLDWAIT (the rest come from dispositions.ts). */
const SA_NOCLDSTOP = 0x1n;
const SA_NOCLDWAIT = 0x2n;
const FLAG_PAIRS: readonly (readonly [freebsd: number, linux: bigint])[] = [
  [FREEBSD_SA.SA_ONSTACK, SA_ONSTACK],
  [FREEBSD_SA.SA_RESTART, SA_RESTART],
  [FREEBSD_SA.SA_RESETHAND, SA_RESETHAND],
  [FREEBSD_SA.SA_NOCLDSTOP, SA_NOCLDSTOP],
  [FREEBSD_SA.SA_NODEFER, SA_NODEFER],
  [FREEBSD_SA.SA_NOCLDWAIT, SA_NOCLDWAIT],
  [FREEBSD_SA.SA_SIGINFO, SA_SIGINFO],
];
const SIG_BLOCK = 1;
const SIG_UNBLOCK = 2;
const SIG_SETMASK = 3;

const flagsToLinux = (flags: number): bigint =>
  FLAG_PAIRS.reduce((out, [f, l]) => (flags & f ? out | l : out), 0n);
const flagsFromLinux = (flags: bigint): number =>
  FLAG_PAIRS.reduce((out, [f, l]) => (flags & l ? out | f : out), 0);

/** A 128-bit sigset_t at `addr` (bit n - 1 for signal n); undefined when unreadable. */
export function readSigset(proc: GuestProcess, addr: number): bigint | undefined {
  if (guestRange(proc, addr, FREEBSD_SIGSET_SIZE, false) === undefined) return undefined;
  const view = proc.memory.view;
  return view.getBigUint64(addr, true) | (view.getBigUint64(addr + 8, true) << 64n);
}

export function writeSigset(proc: GuestProcess, addr: number, set: bigint): boolean {
  if (guestRange(proc, addr, FREEBSD_SIGSET_SIZE, true) === undefined) return false;
  proc.memory.view.setBigUint64(addr, BigInt.asUintN(64, set), true);
  proc.memory.view.setBigUint64(addr + 8, BigInt.asUintN(64, set >> 64n), true);
  return true;
}

function sigaction(proc: GuestProcess, [sigArg, act, oldact]: SyscallArgs): number {
  const sig = int(sigArg);
  if (sig < 1 || sig > FREEBSD_NSIG) return -E.EINVAL;
  const table = syscallState(proc).sigactions;
  let next: GuestSigaction | undefined;
  if (act !== 0) {
    const v = guestStruct(proc, 'sigaction', act!, false);
    if (!v) return -E.EFAULT;
    if (sig === FREEBSD_SIGNALS.SIGKILL || sig === FREEBSD_SIGNALS.SIGSTOP) return -E.EINVAL;
    next = {
      handler: v.get('handler'),
      flags: flagsToLinux(v.num('flags')),
      restorer: 0n,
      mask: readSigset(proc, act! + 12)!,
    };
  }
  if (oldact !== 0) {
    const o = guestStruct(proc, 'sigaction', oldact!, true);
    if (!o) return -E.EFAULT;
    const cur = table.get(sig) ?? { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
    o.clear();
    o.set('handler', cur.handler);
    o.set('flags', BigInt(flagsFromLinux(cur.flags)));
    writeSigset(proc, oldact! + 12, cur.mask);
  }
  if (next) {
    table.set(sig, next);
    if (dispositionOf(proc.abi, sig, next) === 'ignore') discard(proc, sig);
  }
  return 0;
}

function sigprocmask(proc: GuestProcess, [how, set, oldset]: SyscallArgs): number {
  const state = syscallState(proc);
  let next = state.sigmask;
  if (set !== 0) {
    const s = readSigset(proc, set!);
    if (s === undefined) return -E.EFAULT;
    const op = int(how);
    if (op === SIG_BLOCK) next = state.sigmask | s;
    else if (op === SIG_UNBLOCK) next = state.sigmask & ~s;
    else if (op === SIG_SETMASK) next = s;
    else return -E.EINVAL;
  }
  if (oldset !== 0 && !writeSigset(proc, oldset!, state.sigmask)) return -E.EFAULT;
  state.sigmask = next & ~unblockable(proc.abi);
  settleDefaults(proc);
  return 0;
}

function sigpending(proc: GuestProcess, [set]: SyscallArgs): number {
  return writeSigset(proc, set!, syscallState(proc).pending) ? 0 : -E.EFAULT;
}

function sigaltstack(proc: GuestProcess, [ss, oldss]: SyscallArgs): number {
  const state = syscallState(proc);
  let next = state.altStack;
  if (ss !== 0) {
    const v = guestStruct(proc, 'stack', ss!, false);
    if (!v) return -E.EFAULT;
    const flags = v.num('flags');
    if (flags & ~FREEBSD_SS_DISABLE) return -E.EINVAL;
    if (flags & FREEBSD_SS_DISABLE) next = { sp: 0n, flags: SS_DISABLE, size: 0n };
    else if (v.get('size') < BigInt(FREEBSD_MINSIGSTKSZ)) return -E.ENOMEM;
    else next = { sp: v.get('sp'), flags: 0, size: v.get('size') };
  }
  if (oldss !== 0) {
    const o = guestStruct(proc, 'stack', oldss!, true);
    if (!o) return -E.EFAULT;
    const cur = state.altStack;
    const sp = Number(proc.memory.view.getBigUint64(proc.stateBase + SP, true));
    const onStack = cur.size !== 0n && BigInt(sp) > cur.sp && BigInt(sp) - cur.sp <= cur.size;
    o.clear();
    o.set('sp', cur.sp);
    o.set('size', cur.size);
    o.set('flags', BigInt(cur.size === 0n ? FREEBSD_SS_DISABLE : onStack ? FREEBSD_SS_ONSTACK : 0));
  }
  state.altStack = next;
  return 0;
}

export const SIGNAL_SYSCALLS: SyscallGroup = {
  sigaction: syscall('dxx', sigaction),
  sigprocmask: syscall('dxx', sigprocmask),
  sigpending: syscall('x', sigpending),
  sigaltstack: syscall('xx', sigaltstack),
};
