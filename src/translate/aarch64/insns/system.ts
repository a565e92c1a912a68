/**
 * A64 system instructions as user mode sees them (ARM ARM C4.1.65, "System"): hints, barriers,
 * CLREX, the cache maintenance EL0 may issue (DC ZVA, DC CVAU/CVAC/CIVAC, IC IVAU), and MRS/MSR
 * of the EL0-accessible system registers. Everything else in this space raises SIGILL.
 */
import type { Temp } from '../../ir/block';
import { defineHelper } from '../../ir/helpers';
import { TrapKind } from '../../ir/ops';
import type { A64Context, A64Handler } from '../context';
import { CF, EXCL_ADDR, FPCR, FPSR, NF, TPIDRRO_EL0, TPIDR_EL0, VF, ZF } from '../state';
import { counterNow, cpuIdRegister, sysRegKey } from './cpu-id';

/** The FPCR and FPSR bits that hold what is written (others read as zero), as in QEMU's Cortex-A57. */
const FPCR_WRITABLE = 0x07f70000;
const FPSR_WRITABLE = 0xf800009f;
/** DC ZVA block size in bytes (DCZID_EL0 = 4). */
const ZVA_BLOCK = 64;

/** CNTVCT_EL0: the host's monotonic clock in ticks of the reported counter frequency. */
const HELPER_CNTVCT = defineHelper({
  name: 'a64_cntvct',
  params: [],
  result: 'i64',
  impl: () => counterNow(),
});

/** Emits a read of CNTVCT_EL0, returning the i64 value. */
export const readCntvct = (ctx: A64Context): Temp => ctx.b.call(HELPER_CNTVCT, [])!;

/** Ends the block after this instruction, letting the engine re-read flags and invalidations. */
function yieldAfter(ctx: A64Context): void {
  ctx.b.exit(ctx.b.i64(ctx.pc + 4), TrapKind.Yield);
  ctx.ended = true;
}

interface SysRegAccess {
  /** Emits a read, returning the i64 value. */
  read?: (ctx: A64Context) => Temp;
  /** Emits a write of the i64 value. */
  write?: (ctx: A64Context, value: Temp) => void;
}

const i64Slot = (offset: number, writable: boolean): SysRegAccess => ({
  read: (ctx) => ctx.b.get(offset, 'i64'),
  ...(writable && { write: (ctx, v) => ctx.b.set(offset, v) }),
});

const i32Slot = (offset: number, mask: number, after?: (ctx: A64Context) => void): SysRegAccess => ({
  read: (ctx) => ctx.b.zext(ctx.b.get(offset, 'i32')),
  write: (ctx, v) => {
    ctx.b.set(offset, ctx.b.and(ctx.b.wrap(v), ctx.b.i32(mask)));
    after?.(ctx);
  },
});

/** NZCV packed in bits 31:28, from and to the four flag slots. */
const NZCV_FLAGS = [
  [NF, 31],
  [ZF, 30],
  [CF, 29],
  [VF, 28],
] as const;

const nzcv: SysRegAccess = {
  read: (ctx) => {
    const b = ctx.b;
    const bits = NZCV_FLAGS.map(([slot, bit]) => b.shl(b.get(slot, 'i32'), b.i32(bit)));
    return b.zext(bits.reduce((acc, v) => b.or(acc, v)));
  },
  write: (ctx, v) => {
    const b = ctx.b;
    const word = b.wrap(v);
    const [n, z, c, flagV] = NZCV_FLAGS.map(([, bit]) => b.and(b.shrU(word, b.i32(bit)), b.i32(1)));
    ctx.setNZCV(n!, z!, c!, flagV!);
  },
};

const SYSREGS: ReadonlyMap<number, SysRegAccess> = new Map([
  [sysRegKey(3, 3, 4, 2, 0), nzcv],
  // An FPCR write can change the rounding mode or flush-to-zero, which are translation flags.
  [sysRegKey(3, 3, 4, 4, 0), i32Slot(FPCR, FPCR_WRITABLE, yieldAfter)],
  [sysRegKey(3, 3, 4, 4, 1), i32Slot(FPSR, FPSR_WRITABLE)],
  [sysRegKey(3, 3, 13, 0, 2), i64Slot(TPIDR_EL0, true)],
  [sysRegKey(3, 3, 13, 0, 3), i64Slot(TPIDRRO_EL0, false)],
  [sysRegKey(3, 3, 14, 0, 2), { read: readCntvct }],
]);

function sysRegAccess(ctx: A64Context, key: number): SysRegAccess | undefined {
  const known = SYSREGS.get(key);
  if (known) return known;
  const id = cpuIdRegister(key, ctx.idRegisters);
  return id === undefined ? undefined : { read: (ctx) => ctx.b.i64(id) };
}

const keyOf = (f: Record<string, number>): number => sysRegKey(2 + f.o0, f.op1, f.crn, f.crm, f.op2);

const mrs: A64Handler = (ctx, f) => {
  const read = sysRegAccess(ctx, keyOf(f))?.read;
  if (!read) return false;
  ctx.setReg(f.rt, read(ctx));
  return true;
};

const msr: A64Handler = (ctx, f) => {
  const write = sysRegAccess(ctx, keyOf(f))?.write;
  if (!write) return false;
  write(ctx, ctx.x(f.rt));
  return true;
};

/** All hints (NOP, YIELD, WFE, WFI, SEV, BTI, PACIASP, AUTIASP, CSDB, ...) do nothing in user mode. */
const hint: A64Handler = () => true;

/**
 * DSB (also SSBB, PSSBB), DMB, ISB emit nothing: the IR has no memory fence yet. A single guest
 * thread needs none; guest threads running in parallel workers will want one (wasm atomic.fence).
 */
const barrier: A64Handler = (_ctx, f) => f.op2 >= 4 && f.op2 <= 6;

const clrex: A64Handler = (ctx) => {
  ctx.b.set(EXCL_ADDR, ctx.b.i64(-1));
  return true;
};

/** DC ZVA: zeroes the aligned 64-byte block holding the address in Xt. */
export const dcZva = (ctx: A64Context, rt: number): void => {
  const b = ctx.b;
  const base = b.and(ctx.x(rt), b.i64(-ZVA_BLOCK));
  const zero = b.i64(0);
  for (let at = 0; at < ZVA_BLOCK; at += 8) b.store(b.add(base, b.i64(at)), zero, 8);
};

/**
 * Bytes IC IVAU discards around its address: no smaller than the I-cache line any model's
 * CTR_EL0.IminLine gives (16 words on the system CPUs, 8 on user mode's `max`, src/user/cpu-models.ts);
 * discarding more than the line costs only retranslation.
 */
const ICACHE_LINE = 64;

/**
 * IC IVAU: ends the block, asking the engine to discard the translations of the code at Xt. A store
 * to translated code invalidates it already; this is for code changed through another mapping of
 * the same pages (a memfd mapped RW and RX, as dual-mapping JITs and libffi do), which the program
 * makes visible with DC CVAU / DSB / IC IVAU / ISB on the executable address.
 */
const icIvau = (ctx: A64Context, rt: number): void => {
  ctx.b.exitFlushingCode(ctx.b.i64(ctx.pc + 4), ctx.x(rt), ICACHE_LINE);
  ctx.ended = true;
};

/** SYS operations user code may issue, by op1:CRn:CRm:op2. */
const SYS_OPS: ReadonlyMap<number, (ctx: A64Context, rt: number) => void> = new Map([
  [sysRegKey(1, 3, 7, 4, 1), dcZva],
  // DC CVAC, DC CVAU, DC CIVAC: the data cache is coherent already.
  [sysRegKey(1, 3, 7, 10, 1), () => {}],
  [sysRegKey(1, 3, 7, 11, 1), () => {}],
  [sysRegKey(1, 3, 7, 14, 1), () => {}],
  [sysRegKey(1, 3, 7, 5, 1), icIvau],
]);

const sys: A64Handler = (ctx, f) => {
  const op = SYS_OPS.get(sysRegKey(1, f.op1, f.crn, f.crm, f.op2));
  if (!op) return false;
  op(ctx, f.rt);
  return true;
};

export const SYSTEM_ROWS = [
  ['1101010100 0 00 011 0010 crm:4 op2:3 11111', 'hint', hint],
  ['1101010100 0 00 011 0011 crm:4 010 11111', 'CLREX', clrex],
  ['1101010100 0 00 011 0011 crm:4 op2:3 11111', 'barrier', barrier],
  ['1101010100 0 01 op1:3 crn:4 crm:4 op2:3 rt:5', 'SYS', sys],
  ['1101010100 1 1 o0:1 op1:3 crn:4 crm:4 op2:3 rt:5', 'MRS', mrs],
  ['1101010100 0 1 o0:1 op1:3 crn:4 crm:4 op2:3 rt:5', 'MSR (register)', msr],
] as const;
