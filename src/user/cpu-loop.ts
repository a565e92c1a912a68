/**
 * The user-mode CPU loop: runs translated guest code and turns each trap into what Linux would do:
 * a syscall, or a synchronous signal (SIGILL, SIGSEGV, SIGBUS, SIGTRAP) forced on the guest. Before
 * the guest runs on, pending signals are delivered to their guest handlers (src/user/signals/).
 * With guest threads (src/user/threads/), a syscall that blocks and the end of a time slice
 * (TrapKind.Yield) switch to another thread, which goes on from where it stopped.
 */
import os from 'node:os';
import { TrapKind } from '../translate/ir/ops';
import { STATE_FAULT_ADDR, STATE_PC } from '../translate/frontend';
import type { Engine } from '../translate/engine/engine';
import { PageFlags } from '../memory/layout';
import { E } from '../syscalls/linux/guest-access';
import { doSyscall, straceBlocked, straceResumed } from '../syscalls/dispatch';
import type { GuestProcess } from './process';
import type { UserTarget } from './target';
import { deliverFault, deliverPending, sigreturn } from './signals/deliver';
import { ImageReplaced } from './exec-in-place';
import { interruptsInputWait } from './signals/input-interrupt';
import { varyInterruptPoint } from './signals/interrupt-point';
import { claimThreadSignals, multithreaded, preempt, switchThread, ThreadSwitch, type Resume } from './threads/scheduler';
import { parkIfBlocking } from './threads/blocking';
import { BUS_ADRALN, ILL_ILLOPC, SEGV_ACCERR, SEGV_MAPERR, TRAP_BRKPT, type SigInfo } from './signals/siginfo';

const MAX_ERRNO = 4095;

type HostSignalName = keyof typeof os.constants.signals;
type TrapSignal = 'SIGILL' | 'SIGTRAP' | 'SIGSEGV' | 'SIGBUS';

/** Each trap's signal, and its si_code (si_addr is the pc, or the faulting address for memory faults). */
const SIGNAL_OF_TRAP: Partial<Record<TrapKind, { signal: TrapSignal; code?: number }>> = {
  [TrapKind.Undefined]: { signal: 'SIGILL', code: ILL_ILLOPC },
  [TrapKind.Breakpoint]: { signal: 'SIGTRAP', code: TRAP_BRKPT },
  [TrapKind.MemoryFault]: { signal: 'SIGSEGV' },
  [TrapKind.Alignment]: { signal: 'SIGBUS', code: BUS_ADRALN },
};

export function cpuLoop(proc: GuestProcess, target: UserTarget, engine: Engine): never {
  for (;;) {
    const trap = engine.run(proc.stateBase);
    if (moveOn(proc, target, trap, engine)) continue;
    deliverFault(proc, target, faultInfo(proc, trap));
    deliverPending(proc, target);
  }
}

/**
 * Handles the traps that only move the process on: a syscall (which may switch threads) and the
 * end of a time slice. False for any other trap. The debugger's loop shares it (without `engine`,
 * signals find a preempted thread exactly where its slice ended).
 */
export function moveOn(proc: GuestProcess, target: UserTarget, trap: TrapKind, engine?: Engine): boolean {
  if (trap === TrapKind.Syscall) {
    runSyscall(proc, target, engine);
    return true;
  }
  if (trap === TrapKind.Yield) {
    goOn(proc, target, preempt(proc), engine);
    return true;
  }
  return false;
}

/** The syscall the running thread stopped at, as restarting it needs: its pc, first argument and name. */
interface SyscallSite {
  pc: bigint;
  firstArg: number;
  name: string | undefined;
  nr: number;
}

function syscallSite(proc: GuestProcess, target: UserTarget): SyscallSite {
  const state = proc.memory.view;
  const nr = target.syscallNumber(state, proc.stateBase);
  return {
    pc: state.getBigUint64(proc.stateBase + STATE_PC, true),
    firstArg: target.syscallArgs(state, proc.stateBase)[0]!,
    name: proc.abi.syscalls.get(nr)?.name,
    nr,
  };
}

/** Services the running thread's syscall; when it blocks or ends the thread (guest threads), another thread goes on. */
function runSyscall(proc: GuestProcess, target: UserTarget, engine: Engine | undefined): void {
  const site = syscallSite(proc, target);
  let result: number;
  try {
    result = serviceSyscall(proc, target);
  } catch (e) {
    if (!(e instanceof ThreadSwitch)) throw e;
    straceBlocked(proc, site.nr, target.syscallArgs(proc.memory.view, proc.stateBase));
    goOn(proc, target, switchThread(proc), engine);
    return;
  }
  afterSyscall(proc, target, site, result);
}

/** Delivers pending signals before the guest runs on; a syscall that failed with EINTR may run again (restart.ts). */
function afterSyscall(proc: GuestProcess, target: UserTarget, site: SyscallSite, result: number): void {
  claimThreadSignals(proc);
  const interrupted = result === -proc.abi.errnoFromHost(E.EINTR);
  deliverPending(proc, target, interrupted ? { name: site.name, restart: () => restartSyscall(proc, target, site.pc, site.firstArg) } : undefined);
}

/**
 * The thread switched to goes on: a blocked syscall completes with the result it was resumed with
 * (a host -errno, or computed now); a preempted or new thread, or a syscall to run again, just runs.
 */
function goOn(proc: GuestProcess, target: UserTarget, resume: Resume | undefined, engine: Engine | undefined): void {
  if (resume === undefined || resume === 'rerun') {
    claimThreadSignals(proc);
    if (resume === undefined && engine) varyInterruptPoint(proc, (base) => engine.step(base));
    deliverPending(proc, target);
    return;
  }
  const site = syscallSite(proc, target);
  const view = proc.memory.view;
  const host = typeof resume === 'function' ? resume() : resume;
  straceResumed(proc, site.nr, host);
  const result = host < 0 && host >= -MAX_ERRNO ? -proc.abi.errnoFromHost(-host) : host;
  target.setSyscallResult(view, proc.stateBase, result);
  view.setBigUint64(proc.stateBase + STATE_PC, site.pc + BigInt(target.syscallLength(view, proc.stateBase)), true);
  afterSyscall(proc, target, site, result);
}

/** Rewinds to the syscall instruction with its first argument back in place (the result overwrote it), to run it again. */
function restartSyscall(proc: GuestProcess, target: UserTarget, pc: bigint, firstArg: number): void {
  target.setSyscallResult(proc.memory.view, proc.stateBase, firstArg);
  proc.memory.view.setBigUint64(proc.stateBase + STATE_PC, pc, true);
}

/** The siginfo of a trap other than Syscall (logged under -d int). */
function faultInfo(proc: GuestProcess, trap: TrapKind): SigInfo {
  const view = proc.memory.view;
  const base = proc.stateBase;
  const signal = signalOfTrap(trap) as TrapSignal;
  const pc = Number(view.getBigUint64(base + STATE_PC, true));
  const memoryFault = trap === TrapKind.MemoryFault || trap === TrapKind.Alignment;
  // Otherwise the instruction's address, without the bits that select an instruction set (a Thumb
  // pc is odd here; the kernel's is even, the state being in CPSR.T).
  const addr = memoryFault
    ? Number(view.getBigUint64(base + STATE_FAULT_ADDR, true))
    : pc - (pc & proc.target.frontend.instructionSetBits);
  if (proc.options.logItems.has('int')) {
    proc.options.log(`${signal} at pc=0x${pc.toString(16)}${trap === TrapKind.MemoryFault ? ` addr=0x${addr.toString(16)}` : ''}`);
  }
  // An access outside every mapping is SEGV_MAPERR; one the page's protection denies, SEGV_ACCERR.
  const unmapped = addr >= 2 ** 32 || (proc.memory.pageFlags(addr) & PageFlags.Unmapped) !== 0;
  const code = SIGNAL_OF_TRAP[trap]!.code ?? (unmapped ? SEGV_MAPERR : SEGV_ACCERR);
  return { signo: proc.abi.signals[signal], code, addr };
}

/**
 * Does the syscall a Syscall trap stopped at and moves the pc past its instruction (GuestExit when
 * it ends the process); returns its result. rt_sigreturn and an execve done in this process
 * replace the whole register state instead, pc included, and count as 0 (never as an interrupted
 * call to restart).
 */
export function serviceSyscall(proc: GuestProcess, target: UserTarget): number {
  const view = proc.memory.view;
  const base = proc.stateBase;
  const pc = Number(view.getBigUint64(base + STATE_PC, true));
  const nr = target.syscallNumber(view, base);
  if (nr === proc.abi.syscallNumbers['rt_sigreturn']) {
    sigreturn(proc, target);
    return 0;
  }
  const args = target.syscallArgs(view, base);
  if (multithreaded(proc)) parkIfBlocking(proc, nr, args);
  else if (interruptsInputWait(proc, proc.abi.syscalls.get(nr)?.name, args)) {
    return finishSyscall(proc, target, pc, -proc.abi.errnoFromHost(E.EINTR));
  }
  let result: number;
  try {
    result = doSyscall(proc, nr, args);
  } catch (e) {
    // An execve replaced the image: the registers hold its start, as the kernel leaves them.
    if (e instanceof ImageReplaced) return 0;
    throw e;
  }
  return finishSyscall(proc, target, pc, result);
}

/** The syscall at pc returns `result`: in its register, the pc past the syscall instruction. */
function finishSyscall(proc: GuestProcess, target: UserTarget, pc: number, result: number): number {
  const view = proc.memory.view;
  target.setSyscallResult(view, proc.stateBase, result);
  view.setBigUint64(proc.stateBase + STATE_PC, BigInt(pc + target.syscallLength(view, proc.stateBase)), true);
  return result;
}

/** The signal Linux sends for a trap other than Syscall. */
export function signalOfTrap(trap: TrapKind): HostSignalName {
  const entry = SIGNAL_OF_TRAP[trap];
  if (!entry) throw new Error(`engine returned unexpected status ${trap}`);
  return entry.signal;
}
