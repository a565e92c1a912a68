/**
 * A user-mode target: the glue between one guest ISA's frontend, its Linux ABI table, its loader
 * facts, and the generic CPU loop (which registers carry a syscall, how far to step past it).
 */
import type { Endian } from '../translate/ir/ops';
import type { Frontend } from '../translate/frontend';
import type { AddressSpace } from '../memory/address-space';

export interface UserTarget {
  /** Name as in the binary's name: tsemu-<name>. */
  readonly name: string;
  readonly frontend: Frontend;
  /** Byte order of guest memory. */
  readonly endian: Endian;
  /**
   * Loads and stores ignore the top byte of their address: a tag (AArch64 Linux runs EL0 with
   * TCR_EL1.TBI0 set, and qemu-aarch64 honours it). EngineOptions.topByteIgnored.
   */
  readonly topByteIgnored?: boolean;
  /**
   * Sets the registers a new process starts with; `entryBias` is the load bias of the image the
   * entry point belongs to (an ELFv1 entry descriptor holds unrelocated addresses).
   */
  initState(state: DataView, base: number, entry: number, sp: number, entryBias: number): void;
  /** Sets the stack pointer (clone's new stack for a child or thread). */
  setStackPointer(state: DataView, base: number, sp: number): void;
  /** Sets the thread pointer the ABI keeps TLS in (clone's CLONE_SETTLS). */
  setThreadPointer(state: DataView, base: number, tls: number): void;
  /** The syscall number and its six arguments after a Syscall trap (signed 64-bit values as numbers). */
  syscallNumber(state: DataView, base: number): number;
  syscallArgs(state: DataView, base: number): number[];
  /** Stores the syscall's result (or -errno) where the guest expects it. */
  setSyscallResult(state: DataView, base: number, result: number): void;
  /** Bytes of the syscall instruction at state pc (execution resumes after it). */
  syscallLength(state: DataView, base: number): number;
  /** Maps what the target's kernel provides in every process besides the ELF image (ARM's kuser helpers page). */
  prepareAddressSpace?(space: AddressSpace): void;
}

/** Reads a 64-bit register as a signed number (exact within +-2^53). */
export function readSigned64(state: DataView, offset: number): number {
  return state.getInt32(offset + 4, true) * 2 ** 32 + state.getUint32(offset, true);
}

/** Writes a number as a 64-bit two's complement register value. */
export function writeSigned64(state: DataView, offset: number, value: number): void {
  state.setBigInt64(offset, BigInt(Math.trunc(value)), true);
}
