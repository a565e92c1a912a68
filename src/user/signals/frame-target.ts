/**
 * The contract between the generic signal delivery (deliver.ts) and one target's signal frame:
 * the target lays out its rt_sigframe (siginfo + ucontext with its register file) on the stack
 * the generic code chose, points the registers at the handler, and undoes it on rt_sigreturn.
 * PowerPC and ARM plug in by adding their table to FRAME_TARGETS (targets.ts).
 */
import type { GuestProcess } from '../process';
import type { SigInfo } from './siginfo';

/** stack_t as sigaltstack and uc_stack hold it. */
export interface AltStack {
  sp: bigint;
  flags: number;
  size: bigint;
}

/** Everything a frame needs about one handler invocation. */
export interface FrameRequest {
  info: SigInfo;
  handler: number;
  /** The handler wants (signo, &info, &uc) rather than (signo). */
  siginfo: boolean;
  /** Where the handler returns: sa_restorer, or the sigreturn trampoline. */
  returnAddress: number;
  /** The stack pointer the frame goes below (the alternate stack's top, or the current sp). */
  stackTop: number;
  /** The mask to restore on return (uc_sigmask). */
  savedMask: bigint;
  /** uc_stack: the alternate stack as it was, SS_ONSTACK when the interrupted code ran on it. */
  altStack: AltStack;
}

/** What rt_sigreturn found in a well-formed frame (the registers are already restored). */
export interface RestoredFrame {
  mask: bigint;
  altStack: AltStack;
}

export interface SignalFrameTarget {
  /** The guest's stack pointer now. */
  stackPointer(proc: GuestProcess): number;
  /** Writes the frame and enters the handler; false if the stack is not writable (the caller forces SIGSEGV). */
  setupFrame(proc: GuestProcess, request: FrameRequest): boolean;
  /** rt_sigreturn: restores the registers from the frame at the stack pointer; undefined for a bad frame. */
  restoreFrame(proc: GuestProcess): RestoredFrame | undefined;
  /** Guest instruction words of the sigreturn trampoline the kernel's vDSO would provide. */
  readonly trampoline: readonly number[];
  /**
   * Where the target's vDSO has its own trampoline (with the CFI unwinders need), as an offset in
   * the image of that byte order; handlers return there while the process has its vDSO mapped.
   */
  readonly vdsoTrampolineOffset?: (littleEndian: boolean) => number;
}
