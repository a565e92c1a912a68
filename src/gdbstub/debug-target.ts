/**
 * What the protocol server needs from the thing being debugged (a user-mode process now; a system
 * mode CPU later): registers through the target description, memory, breakpoints, and the files
 * gdb can ask for.
 */
import type { TargetDescription } from './register-table';

export interface DebugTarget {
  readonly description: TargetDescription;
  /** The CPU state block the description's registers live in. */
  readonly state: DataView;
  readonly stateBase: number;
  /** Thread id gdb sees (the process id in user mode, as qemu-user reports it). */
  readonly threadId: number;
  /** Bytes at [addr, addr + length), or undefined if any of them is unmapped. */
  readMemory(addr: number, length: number): Uint8Array | undefined;
  /** Debugger writes ignore guest protections (like ptrace); false if unmapped. */
  writeMemory(addr: number, bytes: Uint8Array): boolean;
  /** `kind` is gdb's breakpoint kind (the instruction size; on ARM it tells Thumb from ARM code). */
  addBreakpoint(addr: number, kind: number): void;
  removeBreakpoint(addr: number, kind: number): void;
  /** Write watchpoints on [addr, addr + length); false if the target cannot watch that. */
  addWatchpoint(addr: number, length: number): boolean;
  removeWatchpoint(addr: number, length: number): void;
  /** qXfer:exec-file: the program's path. */
  execFile(): string;
  /** qXfer:auxv: the auxiliary vector as the guest's memory holds it. */
  auxv(): Uint8Array;
}

/** Why the target stopped: a gdb signal number, and the address of a write watchpoint that fired. */
export interface Stop {
  signal: number;
  watch?: number;
}

/** How the process ended: exit status, or the gdb number of the signal that killed it. */
export type Exit = { status: number } | { signal: number };

/** How gdb asked the target to go on: step one instruction or continue, with a gdb signal (0: none). */
export type ResumeAction =
  | { kind: 'step' | 'continue'; signal: number }
  | { kind: 'detach' }
  | { kind: 'kill' };
