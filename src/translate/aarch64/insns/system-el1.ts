/**
 * A64 instructions that only mean something above EL0 (ARM ARM C5.2 "System instructions" and C6
 * ERET/HVC/SMC): MRS/MSR of EL1 system registers, MSR of the PSTATE fields DAIFSet/DAIFClr/SPSel,
 * the SYS operations TLBI/AT/DC by set-way/IC IALLU, ERET, HVC, SMC, WFI, and WFE and YIELD.
 *
 * The exception level is read at run time (CURRENT_EL), so one translation serves both levels:
 * at EL0 each of these is UNDEFINED (WFI, WFE and YIELD are no-ops, as Linux lets user code run
 * them; in system mode, MRS and MSR of the registers SCTLR_EL1 or CNTKCTL_EL1 may open to EL0 and
 * of the ID registers go to the system CPU, which applies its controls, and DC ZVA and MRS of
 * CNTVCT_EL0 go there while those controls refuse them), and at EL1 the instruction leaves
 * the block with a Syscall trap at its own pc (MRS of
 * the registers el1-state.ts holds reads them inline instead, and writes of DAIF that unmask
 * nothing are made inline too). The system-mode CPU
 * (src/system/cpu/) then decodes the instruction word and carries it out, with the side effects
 * (interrupt unmasking, timer programming, exception return) that generated code cannot perform.
 * User-mode CPUs never run above EL0, so for them these rows add nothing.
 *
 * These rows come before the user-mode system rows: encodings user mode owns (EL0 registers,
 * EL0 cache maintenance, hints) are declined and fall through to them.
 */
import type { Temp } from '../../ir/block';
import { TrapKind } from '../../ir/ops';
import type { A64Context, A64Handler } from '../context';
import { cpuIdRegister, sysRegKey } from './cpu-id';
import {
  BANKED_SP_EL0,
  CTR_EL0,
  CURRENT_EL,
  DAIF,
  EL0_ACCESS,
  EL0_MAY_DC_ZVA,
  EL0_MAY_READ_CNTVCT,
  SP_EL0_BANKED,
  TPIDR_EL1,
} from './el1-state';
import { dcZva, readCntvct } from './system';

/** Registers with op1 = 3 (the *_EL0 names) that are not plain user state: system mode owns them. */
const SYSTEM_OWNED_EL0_REGS = new Set([
  sysRegKey(3, 3, 4, 2, 1), // DAIF
  sysRegKey(3, 3, 14, 0, 1), // CNTPCT_EL0
  sysRegKey(3, 3, 14, 2, 0), // CNTP_TVAL_EL0
  sysRegKey(3, 3, 14, 2, 1), // CNTP_CTL_EL0
  sysRegKey(3, 3, 14, 2, 2), // CNTP_CVAL_EL0
  sysRegKey(3, 3, 14, 3, 0), // CNTV_TVAL_EL0
  sysRegKey(3, 3, 14, 3, 1), // CNTV_CTL_EL0
  sysRegKey(3, 3, 14, 3, 2), // CNTV_CVAL_EL0
]);

/**
 * Emits: at EL0, `atEl0` (which must end the instruction's effect without ending the block: the
 * block continues at pc + 4); above EL0, a Syscall trap for the system CPU.
 */
function privileged(ctx: A64Context, atEl0: (ctx: A64Context) => void): true {
  const b = ctx.b;
  const el1 = b.label();
  b.brcond(b.compare('ne', b.get(CURRENT_EL, 'i32'), b.i32(0)), el1);
  atEl0(ctx);
  b.exit(b.i64(ctx.pc + 4));
  b.place(el1);
  ctx.successors.push(ctx.pc + 4);
  ctx.trap(TrapKind.Syscall);
  return true;
}

/** The instruction is UNDEFINED at EL0. */
const el0Undefined = (ctx: A64Context): void => {
  ctx.b.trap(TrapKind.Undefined);
};

/**
 * At EL0, an access user mode refuses (SIGILL: DAIF, EL1 registers): in system mode the system CPU
 * decides, since SCTLR_EL1.UMA may allow DAIF or trap it to EL1 with its own syndrome.
 */
const el0Refused = (ctx: A64Context): void => {
  ctx.b.trap(ctx.system ? TrapKind.Syscall : TrapKind.Undefined);
};

/**
 * An EL0 read user mode answers with `userValue` (Linux lets user space read these): in system mode
 * the system CPU's, at both levels, as SCTLR_EL1.UCT and the ID registers' rules say.
 */
function readableAtEl0(ctx: A64Context, rt: number, userValue: bigint): true {
  if (ctx.system) {
    ctx.successors.push(ctx.pc + 4);
    ctx.trap(TrapKind.Syscall);
    return true;
  }
  return privileged(ctx, (c) => c.setReg(rt, c.b.i64(userValue)));
}

const el1Only: A64Handler = (ctx) => privileged(ctx, el0Undefined);

const keyOf = (f: Record<string, number>): number => sysRegKey(2 + f.o0, f.op1, f.crn, f.crm, f.op2);

const DAIF_KEY = sysRegKey(3, 3, 4, 2, 1);
/** The interrupt mask bits of DAIF (D, A, I, F: bits 9:6). */
const DAIF_BITS = 0x3c0n;

/**
 * EL1 registers the state block holds (el1-state.ts), by encoding: the slot holding the value, and
 * an i32 slot that is non-zero while an MRS may read it there.
 */
const INLINE_READS: ReadonlyMap<number, { value: number; readable: number }> = new Map([
  [sysRegKey(3, 0, 4, 1, 0), { value: BANKED_SP_EL0, readable: SP_EL0_BANKED }],
  [sysRegKey(3, 0, 13, 0, 4), { value: TPIDR_EL1, readable: CURRENT_EL }],
  [DAIF_KEY, { value: DAIF, readable: CURRENT_EL }],
]);

/**
 * Identification registers the state block holds with the system CPU's model's value, by encoding:
 * above EL0 an MRS reads that slot inline; at EL0 it reads user mode's value, or in system mode
 * goes to the system CPU (SCTLR_EL1.UCT), as readableAtEl0() does.
 */
const HELD_ID_REGISTERS: ReadonlyMap<number, number> = new Map([[sysRegKey(3, 3, 0, 0, 1), CTR_EL0]]);

function heldIdRead(ctx: A64Context, rt: number, userValue: bigint, slot: number): true {
  const b = ctx.b;
  const el1 = b.label();
  const done = b.label();
  b.brcond(b.compare('ne', b.get(CURRENT_EL, 'i32'), b.i32(0)), el1);
  if (ctx.system) b.trap(TrapKind.Syscall);
  else ctx.setReg(rt, b.i64(userValue));
  b.br(done);
  b.place(el1);
  ctx.setReg(rt, b.get(slot, 'i64'));
  b.place(done);
  return true;
}

/** Emits the EL0 side (el0Refused) of an instruction whose EL1 effect follows inline. */
function refusedAtEl0(ctx: A64Context): void {
  const b = ctx.b;
  const el1 = b.label();
  b.brcond(b.compare('ne', b.get(CURRENT_EL, 'i32'), b.i32(0)), el1);
  el0Refused(ctx);
  b.place(el1);
}

/**
 * Sets DAIF to `value` (mask bits only) inline when that unmasks nothing, and the block goes on: an
 * interrupt pending now was masked before and stays so. A write that unmasks leaves the block
 * with a Syscall trap instead, so that the system CPU makes it and takes what became unmasked.
 */
function setDaifMasking(ctx: A64Context, value: Temp): void {
  const b = ctx.b;
  const masking = b.label();
  const unmasked = b.and(b.get(DAIF, 'i64'), b.xor(value, b.i64(DAIF_BITS)));
  b.brcond(b.compare('eq', unmasked, b.i64(0)), masking);
  b.trap(TrapKind.Syscall);
  b.place(masking);
  b.set(DAIF, value);
}

/** MSR DAIF, Xt above EL0: inline unless it unmasks (setDaifMasking); at EL0 refusedAtEl0. */
function msrDaif(ctx: A64Context, rt: number): true {
  refusedAtEl0(ctx);
  setDaifMasking(ctx, ctx.b.and(ctx.x(rt), ctx.b.i64(DAIF_BITS)));
  return true;
}

/**
 * MSR (immediate): DAIFSet only masks, so above EL0 it is made inline (Linux's local_irq_save);
 * DAIFClr and SPSel are the system CPU's. At EL0 DAIFSet and DAIFClr are el0Refused.
 */
const msrImmediate: A64Handler = (ctx, f) => {
  if (f.op1 === 3 && f.op2 === 7) return privileged(ctx, el0Refused);
  if (f.op1 !== 3 || f.op2 !== 6) return el1Only(ctx, f);
  const b = ctx.b;
  refusedAtEl0(ctx);
  b.set(DAIF, b.or(b.get(DAIF, 'i64'), b.i64(BigInt(f.crm << 6))));
  return true;
};

/**
 * MRS of a register the state block holds: read there while it may be, else at EL0 el0Refused and
 * above the system CPU's (e.g. SP_EL0 when it is the stack pointer). The block goes on.
 */
function inlineRead(ctx: A64Context, rt: number, slots: { value: number; readable: number }): true {
  const b = ctx.b;
  const slow = b.label();
  const el1 = b.label();
  const done = b.label();
  b.brcond(b.compare('eq', b.get(slots.readable, 'i32'), b.i32(0)), slow);
  ctx.setReg(rt, b.get(slots.value, 'i64'));
  b.br(done);
  b.place(slow);
  b.brcond(b.compare('ne', b.get(CURRENT_EL, 'i32'), b.i32(0)), el1);
  el0Refused(ctx);
  b.place(el1);
  b.trap(TrapKind.Syscall);
  b.place(done);
  return true;
}

/**
 * In system mode, an instruction user mode makes inline that EL1's controls may refuse EL0 (see
 * EL0_ACCESS): `emit` above EL0 or while the control's `bit` allows it, else the system CPU's,
 * which traps it to EL1. The block goes on.
 */
function el0Controlled(ctx: A64Context, bit: number, emit: () => void): true {
  const b = ctx.b;
  const allowed = b.label();
  b.brcond(b.compare('ne', b.get(CURRENT_EL, 'i32'), b.i32(0)), allowed);
  b.brcond(b.compare('ne', b.and(b.get(EL0_ACCESS, 'i32'), b.i32(bit)), b.i32(0)), allowed);
  b.trap(TrapKind.Syscall);
  b.place(allowed);
  emit();
  return true;
}

const CNTVCT_EL0 = sysRegKey(3, 3, 14, 0, 2);
const DC_ZVA = sysRegKey(1, 3, 7, 4, 1);

/** MRS/MSR: ID registers keep their user-visible value at EL0; EL0 registers stay with user mode. */
const sysReg =
  (read: boolean): A64Handler =>
  (ctx, f) => {
    const key = keyOf(f);
    const inline = read ? INLINE_READS.get(key) : undefined;
    if (inline) return inlineRead(ctx, f.rt, inline);
    if (key === DAIF_KEY) return msrDaif(ctx, f.rt);
    const userId = read ? cpuIdRegister(key, ctx.idRegisters) : undefined;
    const held = HELD_ID_REGISTERS.get(key);
    if (userId !== undefined && held !== undefined) return heldIdRead(ctx, f.rt, userId, held);
    if (userId !== undefined) return readableAtEl0(ctx, f.rt, userId);
    if (read && ctx.system && key === CNTVCT_EL0) {
      return el0Controlled(ctx, EL0_MAY_READ_CNTVCT, () => ctx.setReg(f.rt, readCntvct(ctx)));
    }
    if (SYSTEM_OWNED_EL0_REGS.has(key)) return privileged(ctx, el0Refused);
    if (f.op1 === 3) return false;
    return el1Only(ctx, f);
  };

/**
 * SYS operations with op1 = 3 (DC ZVA/CVAC/CVAU/CIVAC, IC IVAU) are user mode's (DC ZVA at EL0
 * under SCTLR_EL1.DZE in system mode); the rest are EL1's.
 */
const sys: A64Handler = (ctx, f) => {
  if (f.op1 !== 3) return el1Only(ctx, f);
  if (!ctx.system || sysRegKey(1, f.op1, f.crn, f.crm, f.op2) !== DC_ZVA) return false;
  return el0Controlled(ctx, EL0_MAY_DC_ZVA, () => dcZva(ctx, f.rt));
};

/** WFI, WFE and YIELD: hints at EL0 (Linux lets user code run them), the system CPU's above. */
const waitHint: A64Handler = (ctx) => privileged(ctx, () => undefined);

export const SYSTEM_EL1_ROWS = [
  // WFI, WFE and YIELD are HINT #3, #2 and #1: the rows keep the hint class's name.
  ['1101010100 0 00 011 0010 0000 011 11111', 'hint', waitHint],
  ['1101010100 0 00 011 0010 0000 010 11111', 'hint', waitHint],
  ['1101010100 0 00 011 0010 0000 001 11111', 'hint', waitHint],
  ['1101010100 0 00 op1:3 0100 crm:4 op2:3 11111', 'MSR (immediate)', msrImmediate],
  ['1101010100 0 01 op1:3 crn:4 crm:4 op2:3 rt:5', 'SYS', sys],
  ['1101010100 1 1 o0:1 op1:3 crn:4 crm:4 op2:3 rt:5', 'MRS', sysReg(true)],
  ['1101010100 0 1 o0:1 op1:3 crn:4 crm:4 op2:3 rt:5', 'MSR (register)', sysReg(false)],
  ['11010110100 11111 000000 11111 00000', 'ERET', el1Only],
  ['11010100 000 imm:16 000 10', 'HVC', el1Only],
  ['11010100 000 imm:16 000 11', 'SMC', el1Only],
] as const;
