/**
 * The contract between the engine and a guest ISA frontend.
 */
import type { IRBlock } from './ir/block';

/** Where a frontend reads guest instructions from. */
export interface CodeSource {
  /** The 32-bit instruction word at `pc` in the guest's byte order, or undefined if `pc` is not executable. */
  fetch32(pc: number): number | undefined;
  /** The 16-bit halfword at `pc` (Thumb), or undefined if not executable. */
  fetch16(pc: number): number | undefined;
}

export interface TranslateOptions {
  /** Upper bound on guest instructions in one block (1 for -one-insn-per-tb). */
  maxInsns: number;
  /** The frontend's translation flags in force (see Frontend.translationFlags). */
  flags: number;
}

/**
 * The translation flags recorded for a block whose translation read none (IRBlock.readsFlags is
 * false): its code is the same under every value, so it runs whatever the flags in force.
 */
export const ANY_FLAGS = -1;

/** Whether code translated under `assumed` flags may run under the flags `inForce`. */
export function flagsMatch(assumed: number, inForce: number): boolean {
  return assumed === ANY_FLAGS || assumed === inForce;
}

/** Offsets of the state every target has, at the start of each CPU state block. */
export const STATE_PC = 0; // i64: next pc at block exit; pc of the trapping instruction on trap
export const STATE_FAULT_ADDR = 8; // i64: faulting data address of a MemoryFault
export const STATE_TRAP_ARG = 16; // i64: the trap's argument (e.g. brk immediate)
export const STATE_LOOP_ITERS = 24; // i32: back edges a loop region took before it last exited (engine)
export const STATE_HEADER_SIZE = 64;

export interface Frontend {
  /** Short name, e.g. 'aarch64'. */
  readonly name: string;
  /** Bytes of CPU state the frontend uses, header included (<= STATE_SIZE). */
  readonly stateSize: number;
  /**
   * The pc bits that select an instruction set rather than address a byte (ARM: bit 0, set in
   * Thumb state; 0 for the others). A block's code starts at its pc without them.
   */
  readonly instructionSetBits: number;
  /**
   * Translates the block starting at `pc`. A block ends after a branch, a trap, at `maxInsns`, or
   * before an instruction that cannot be fetched. If the first instruction cannot be fetched the block
   * is a single MemoryFault trap.
   */
  translate(code: CodeSource, pc: number, options: TranslateOptions): IRBlock;
  /**
   * Translation-time facts taken from CPU state (like QEMU's tb flags), e.g. a non-default FP
   * rounding mode. The engine reads them whenever it starts running a state and after each Yield
   * exit, and runs only code translated under the same flags (it keeps one set of translations per
   * value), so translated code may assume them. A block whose emitters never read
   * TranslateOptions.flags (IRBlock.readsFlags) is kept once for all values: on ppc64, the first
   * FPSCR access switches every later translation to other flags, and without this every block
   * run after it was translated and compiled a second time.
   */
  translationFlags(state: DataView, stateBase: number): number;
}
