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
  addBreakpoint(addr: number): void;
  removeBreakpoint(addr: number): void;
  /** qXfer:exec-file: the program's path. */
  execFile(): string;
  /** qXfer:auxv: the auxiliary vector as the guest's memory holds it. */
  auxv(): Uint8Array;
}

/** How gdb asked the target to go on: step one instruction or continue, with a gdb signal (0: none). */
export type ResumeAction =
  | { kind: 'step' | 'continue'; signal: number }
  | { kind: 'detach' }
  | { kind: 'kill' };
