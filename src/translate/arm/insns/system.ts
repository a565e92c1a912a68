/**
 * Exception-generating and system instructions shared by A32 and T32: SVC, BKPT, UDF, the TLS
 * register reads of CP15 (MRC/MCR c13), APSR moves (MRS/MSR), barriers and hints.
 */
import { STATE_TRAP_ARG } from '../../frontend';
import type { Temp } from '../../ir/block';
import { TrapKind } from '../../ir/ops';
import type { ArmContext } from '../context';
import { GE, QF, TPIDRURO, TPIDRURW } from '../state';

export function supervisorCall(ctx: ArmContext): true {
  ctx.trap(TrapKind.Syscall);
  return true;
}

export function breakpoint(ctx: ArmContext, imm: number): true {
  ctx.b.set(STATE_TRAP_ARG, ctx.b.i64(imm));
  ctx.trap(TrapKind.Breakpoint);
  return true;
}

/** Barriers (DMB, DSB, ISB), CLREX-free hints (NOP, YIELD, WFE...) and preloads: nothing to do in one address space. */
export function noOperation(): true {
  return true;
}

/** The CP15 c13 thread ID registers user mode may touch: TPIDRURW (opc2 2, read/write) and TPIDRURO (opc2 3, read). */
function threadIdRegister(opc1: number, crn: number, crm: number, opc2: number): number | undefined {
  if (opc1 !== 0 || crn !== 13 || crm !== 0) return undefined;
  return opc2 === 2 ? TPIDRURW : opc2 === 3 ? TPIDRURO : undefined;
}

/** MRC/MCR p15 (coproc 15 only): the TLS registers; anything else is undefined in user mode. */
export function coprocessorMove(ctx: ArmContext, f: Record<string, number>): boolean {
  if (f.coproc !== 15) return false;
  const offset = threadIdRegister(f.opc1!, f.crn!, f.crm!, f.opc2!);
  if (offset === undefined || (!f.l && offset === TPIDRURO)) return ctx.undefined();
  if (f.l) {
    if (f.rt === 15) return ctx.undefined();
    ctx.setR(f.rt!, ctx.b.get(offset, 'i32'));
  } else {
    ctx.b.set(offset, ctx.r(f.rt!));
  }
  return true;
}

/** CPSR.M of User mode, which MRS reads along with the APSR fields (the execution state bits read as zero). */
const MODE_USR = 0x10;

/** MRS Rd, APSR: N Z C V Q in bits 31..27, GE in bits 19..16, the mode in bits 4..0. */
export function readApsr(ctx: ArmContext, rd: number): void {
  const b = ctx.b;
  const at = (offset: number, bit: number): Temp => b.shl(b.get(offset, 'i32'), b.i32(bit));
  const flags = [ctx.nzcvBits(), at(QF, 27), at(GE, 16), b.i32(MODE_USR)];
  ctx.setR(rd, flags.reduce((acc, t) => b.or(acc, t)));
}

/** MSR APSR_<nzcvq><g>, value: `mask` bit 1 writes NZCVQ, bit 0 writes GE. */
export function writeApsr(ctx: ArmContext, mask: number, value: Temp): void {
  const b = ctx.b;
  const bit = (n: number): Temp => b.and(b.shrU(value, b.i32(n)), b.i32(1));
  if (mask & 2) {
    ctx.setNzcvBits(value);
    b.set(QF, bit(27));
  }
  if (mask & 1) b.set(GE, b.and(b.shrU(value, b.i32(16)), b.i32(15)));
}
