/**
 * Exception entry to EL1 (ARM ARM D1.10): the syndrome in ESR_EL1 (exception class, IL, ISS),
 * FAR_EL1 for aborts, the preferred return address in ELR_EL1, PSTATE in SPSR_EL1, all of DAIF
 * masked, SP_EL1 selected, and the pc at VBAR_EL1 plus the vector's offset, which depends on where
 * the exception came from and its kind.
 */
import { STATE_PC } from '../../translate/frontend';
import type { CpuRegisters } from './registers';
import { DAIF_ALL } from './pstate';

/** ESR_ELx.EC values (ARM ARM D17.2.37). */
export enum ExceptionClass {
  Unknown = 0x00,
  Svc = 0x15,
  Hvc = 0x16,
  Smc = 0x17,
  SysRegTrap = 0x18,
  InstructionAbortLower = 0x20,
  InstructionAbortSame = 0x21,
  PcAlignment = 0x22,
  DataAbortLower = 0x24,
  DataAbortSame = 0x25,
  Brk = 0x3c,
}

export type VectorKind = 'sync' | 'irq' | 'fiq' | 'serror';
const KIND_OFFSET: Record<VectorKind, number> = { sync: 0x000, irq: 0x080, fiq: 0x100, serror: 0x180 };

/** ESR_ELx.IL: the trapped instruction was 32 bits wide (always so for A64). */
const ESR_IL = 1n << 25n;

export interface Exception {
  kind: VectorKind;
  /** The address ELR_EL1 gets. */
  returnAddress: bigint;
  /** For synchronous exceptions: the class and the instruction-specific syndrome. */
  ec?: ExceptionClass;
  iss?: number;
  /** For aborts: the faulting address. */
  far?: bigint;
}

export function takeException(cpu: CpuRegisters, e: Exception): void {
  const p = cpu.pstate;
  const fromEl = p.el;
  const vectorBase = fromEl === 0 ? 0x400 : p.spSel ? 0x200 : 0x000;
  cpu.sys.spsrEl1 = p.toSpsr();
  cpu.sys.elrEl1 = e.returnAddress;
  if (e.ec !== undefined) cpu.sys.esrEl1 = (BigInt(e.ec) << 26n) | ESR_IL | BigInt(e.iss ?? 0);
  if (e.far !== undefined) cpu.sys.farEl1 = e.far;
  p.daif = DAIF_ALL;
  p.setLevel(1, 1);
  cpu.view.setBigUint64(
    cpu.base + STATE_PC,
    cpu.sys.vbarEl1 + BigInt(vectorBase + KIND_OFFSET[e.kind]),
    true,
  );
}

/** ERET: back to ELR_EL1 with PSTATE from SPSR_EL1. */
export function exceptionReturn(cpu: CpuRegisters): void {
  cpu.pstate.fromSpsr(cpu.sys.spsrEl1);
  cpu.view.setBigUint64(cpu.base + STATE_PC, cpu.sys.elrEl1, true);
}
