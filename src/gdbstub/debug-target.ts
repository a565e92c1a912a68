/**
 * What the protocol server needs from the thing being debugged (a user-mode process, or a system
 * mode CPU): registers through the target description, memory, breakpoints, and the files gdb can
 * ask for.
 */
import type { TargetDescription } from './register-table';

/** Guest memory as the debugger sees it: reads and writes ignore guest protections (like ptrace). */
export interface MemoryAccess {
  /** Bytes at [addr, addr + length), or undefined if any of them is inaccessible. */
  read(addr: bigint, length: number): Uint8Array | undefined;
  /** False if any byte is inaccessible (nothing is written then). */
  write(addr: bigint, bytes: Uint8Array): boolean;
}

/** What a data watchpoint watches (gdb's Z2, Z3, Z4). */
export type WatchKind = 'write' | 'read' | 'access';

export interface DebugTarget {
  readonly description: TargetDescription;
  /** The CPU state block the description's registers live in. */
  readonly state: DataView;
  /** The running thread's state block: where it stopped. */
  readonly stateBase: number;
  /** Thread id gdb sees (the running guest thread's id in user mode, as qemu-user reports it; the CPU number in system mode). */
  readonly threadId: number;
  /** Every thread with its state block (user mode with guest threads); without it, the one threadId is all there is. */
  threads?(): readonly { id: number; stateBase: number }[];
  /** gdb attached to something already running (a machine): quitting gdb detaches instead of killing. */
  readonly attached?: boolean;
  /** Memory at the addresses the guest's code uses (virtual in system mode). */
  readonly memory: MemoryAccess;
  /** System mode: physical memory, which gdb reaches after `maintenance packet Qqemu.PhyMemMode:1`. */
  readonly physicalMemory?: MemoryAccess;
  /** `kind` is gdb's breakpoint kind (the instruction size; on ARM it tells Thumb from ARM code). */
  addBreakpoint(addr: bigint, kind: number): void;
  removeBreakpoint(addr: bigint, kind: number): void;
  /** Watchpoints on [addr, addr + length); false if the target cannot watch that. */
  addWatchpoint?(kind: WatchKind, addr: number, length: number): boolean;
  removeWatchpoint?(kind: WatchKind, addr: number, length: number): void;
  /** qXfer:exec-file: the program's path (user mode). */
  execFile?(): string;
  /** qXfer:auxv: the auxiliary vector as the guest's memory holds it (user mode). */
  auxv?(): Uint8Array;
}

/** Why the target stopped: a gdb signal number, and the data address and kind of a watchpoint that fired. */
export interface Stop {
  signal: number;
  watch?: number;
  watchKind?: WatchKind;
}

/** How the process ended: exit status, or the gdb number of the signal that killed it. */
export type Exit = { status: number } | { signal: number };

/** How gdb asked the target to go on: step one instruction or continue, with a gdb signal (0: none). */
export type ResumeAction =
  | { kind: 'step' | 'continue'; signal: number }
  | { kind: 'detach' }
  | { kind: 'kill' };
