/**
 * Where an asynchronous signal finds a thread whose time slice ended. Linux interrupts user code
 * at any instruction and QEMU at the start of any translation block, but a compiled loop of tsemu
 * ends its slice at the same block boundary every time, so every signal would find the thread at
 * one pc. Go's preemption handler declines a pc its compiler marked unsafe and asks again later:
 * at that one pc, for ever (a goroutine looping without calls then blocks every stop-the-world).
 * So before a signal is delivered to such a thread, it runs a varying few instructions (0 to 15)
 * one at a time, stopping early at any trap (a syscall or fault is then taken when it goes on).
 */
import { TrapKind } from '../../translate/ir/ops';
import { syscallState } from '../../syscalls/linux/process-state';
import type { GuestProcess } from '../process';

/** Runs one guest instruction at the state's pc; TrapKind.None when it completed (Engine.step). */
export type StepInstruction = (stateBase: number) => TrapKind;

const SPREAD = 16;
/** A linear congruential sequence per process: reproducible runs, evenly spread step counts. */
const sequences = new WeakMap<GuestProcess, number>();

function nextSpread(proc: GuestProcess): number {
  const next = (Math.imul(sequences.get(proc) ?? 1, 1_103_515_245) + 12_345) >>> 0;
  sequences.set(proc, next);
  return (next >>> 16) % SPREAD;
}

/** Moves a thread stopped between blocks a few instructions on when a signal is about to be delivered to it. */
export function varyInterruptPoint(proc: GuestProcess, step: StepInstruction): void {
  const state = syscallState(proc);
  if ((state.pending & ~state.sigmask) === 0n) return;
  for (let n = nextSpread(proc); n > 0; n--) if (step(proc.stateBase) !== TrapKind.None) return;
}
