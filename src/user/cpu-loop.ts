/**
 * The user-mode CPU loop: runs translated guest code and turns each trap into what Linux would do:
 * a syscall, or a signal (SIGILL, SIGSEGV, SIGBUS, SIGTRAP). Signals with guest handlers are not
 * delivered yet (the "Real Linux programs" issue); a fatal signal ends the process as it would natively.
 */
import os from 'node:os';
import { TrapKind } from '../translate/ir/ops';
import { STATE_FAULT_ADDR, STATE_PC } from '../translate/frontend';
import type { Engine } from '../translate/engine/engine';
import { doSyscall } from '../syscalls/dispatch';
import { GuestExit } from '../syscalls/types';
import type { GuestProcess } from './process';
import type { UserTarget } from './target';

const SIGNAL_OF_TRAP: Partial<Record<TrapKind, keyof typeof os.constants.signals>> = {
  [TrapKind.Undefined]: 'SIGILL',
  [TrapKind.Breakpoint]: 'SIGTRAP',
  [TrapKind.MemoryFault]: 'SIGSEGV',
  [TrapKind.Alignment]: 'SIGBUS',
};

export function cpuLoop(proc: GuestProcess, target: UserTarget, engine: Engine): never {
  const view = proc.memory.view;
  const base = proc.stateBase;
  const logInt = proc.options.logItems.has('int');
  for (;;) {
    const trap = engine.run(base);
    if (trap === TrapKind.Syscall) {
      serviceSyscall(proc, target);
      continue;
    }
    const signal = signalOfTrap(trap);
    if (logInt) {
      const pc = Number(view.getBigUint64(base + STATE_PC, true));
      const addr = view.getBigUint64(base + STATE_FAULT_ADDR, true);
      proc.options.log(`${signal} at pc=0x${pc.toString(16)}${trap === TrapKind.MemoryFault ? ` addr=0x${addr.toString(16)}` : ''}`);
    }
    throw new GuestExit(0, os.constants.signals[signal]);
  }
}

/** Does the syscall a Syscall trap stopped at and moves the pc past its instruction (GuestExit when it ends the process). */
export function serviceSyscall(proc: GuestProcess, target: UserTarget): void {
  const view = proc.memory.view;
  const base = proc.stateBase;
  const pc = Number(view.getBigUint64(base + STATE_PC, true));
  const nr = target.syscallNumber(view, base);
  const result = doSyscall(proc, nr, target.syscallArgs(view, base));
  target.setSyscallResult(view, base, result);
  view.setBigUint64(base + STATE_PC, BigInt(pc + target.syscallLength(view, base)), true);
}

/** The signal Linux sends for a trap other than Syscall. */
export function signalOfTrap(trap: TrapKind): keyof typeof os.constants.signals {
  const signal = SIGNAL_OF_TRAP[trap];
  if (!signal) throw new Error(`engine returned unexpected status ${trap}`);
  return signal;
}
