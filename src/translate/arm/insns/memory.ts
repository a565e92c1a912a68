/**
 * Load/store semantics shared by A32 and T32: single accesses with pre/post indexing and
 * write-back, the dual (LDRD/STRD) and multiple (LDM/STM/PUSH/POP) forms, and the exclusives.
 *
 * Loads into the pc interwork (LoadWritePC = BXWritePC). The exclusive monitor is CPU state, as in
 * QEMU: LDREX* records the address and value; STREX* succeeds only if the address matches and a
 * cmpxchg from the recorded value succeeds; either way the monitor is cleared.
 */
import type { Temp } from '../../ir/block';
import type { ArmContext } from '../context';
import { EXCL_ADDR, EXCL_VAL } from '../state';

export interface AccessSize {
  size: 1 | 2 | 4;
  signed: boolean;
}

/** How an access forms its address: P (index), U (add), W (write back). */
export interface Indexing {
  index: boolean;
  add: boolean;
  wback: boolean;
}

export const OFFSET: Indexing = { index: true, add: true, wback: false };

/** The base register's value: a pc base is word-aligned (literal loads in Thumb). */
function base(ctx: ArmContext, rn: number): Temp {
  return rn === 15 ? ctx.b.i32(ctx.pcRead & ~3) : ctx.r(rn);
}

/** Address of the access and, with write-back, the new base written to Rn. */
function address(ctx: ArmContext, rn: number, offset: Temp, ix: Indexing): Temp {
  const b = ctx.b;
  const start = base(ctx, rn);
  const offsetAddr = ix.add ? b.add(start, offset) : b.sub(start, offset);
  if (ix.wback || !ix.index) ctx.setR(rn, offsetAddr);
  return ix.index ? offsetAddr : start;
}

/** LDR/STR of a byte, halfword or word at Rn +/- offset. */
export function loadStore(ctx: ArmContext, load: boolean, acc: AccessSize, rt: number, rn: number, offset: Temp, ix: Indexing): void {
  const b = ctx.b;
  const value = load ? undefined : ctx.r(rt);
  const at = ctx.addr(address(ctx, rn, offset, ix));
  if (value) b.store(at, value, acc.size);
  else ctx.setR(rt, b.load('i32', at, acc.size, acc.signed), 'interwork');
}

/** LDRD/STRD: Rt at the address, Rt2 at the address + 4. */
export function loadStoreDual(ctx: ArmContext, load: boolean, rt: number, rt2: number, rn: number, offset: Temp, ix: Indexing): void {
  const b = ctx.b;
  const values = load ? undefined : [ctx.r(rt), ctx.r(rt2)];
  const addr = address(ctx, rn, offset, ix);
  const at = ctx.addr(addr);
  const at2 = ctx.addr(b.add(addr, b.i32(4)));
  if (values) {
    b.store(at, values[0]!, 4);
    b.store(at2, values[1]!, 4);
    return;
  }
  const first = b.load('i32', at, 4);
  const second = b.load('i32', at2, 4);
  ctx.setR(rt, first);
  ctx.setR(rt2, second);
}

/**
 * LDM/STM: the registers of `list` at consecutive words, lowest register at the lowest address.
 * `increment`/`before` select IA, IB, DA, DB. A loaded pc interworks and is written last.
 */
export function loadStoreMultiple(ctx: ArmContext, load: boolean, rn: number, list: number, increment: boolean, before: boolean, wback: boolean): void {
  const b = ctx.b;
  const regs = [...Array(16).keys()].filter((i) => list & (1 << i));
  const bytes = regs.length * 4;
  const baseValue = ctx.r(rn);
  const lowest = increment ? (before ? 4 : 0) : before ? -bytes : 4 - bytes;
  const slot = (k: number): Temp => ctx.addr(b.add(baseValue, b.i32(lowest + 4 * k)));
  const newBase = (): Temp => b.add(baseValue, b.i32(increment ? bytes : -bytes));
  if (!load) {
    regs.forEach((r, k) => b.store(slot(k), ctx.r(r), 4));
    if (wback) ctx.setR(rn, newBase());
    return;
  }
  const loaded = regs.map((_, k) => b.load('i32', slot(k), 4));
  if (wback && !(list & (1 << rn))) ctx.setR(rn, newBase());
  regs.forEach((r, k) => {
    if (r !== 15) ctx.setR(r, loaded[k]!);
  });
  if (list & (1 << 15)) ctx.setR(15, loaded[regs.length - 1]!, 'interwork');
}

/** LDREX{B,H,D} at `address` (i32): loads and records. `rt2` is the second register of the doubleword form. */
export function loadExclusive(ctx: ArmContext, size: 1 | 2 | 4 | 8, rt: number, address: Temp, rt2?: number): void {
  const b = ctx.b;
  const at = ctx.addr(address);
  const value = b.load('i64', at, size);
  b.set(EXCL_ADDR, at);
  b.set(EXCL_VAL, value);
  ctx.setR(rt, b.wrap(value));
  if (rt2 !== undefined) ctx.setR(rt2, b.wrap(b.shrU(value, b.i64(32))));
}

/** STREX{B,H,D}: Rd = 0 if stored, 1 if the monitor did not match or memory changed. */
export function storeExclusive(ctx: ArmContext, size: 1 | 2 | 4 | 8, rd: number, rt: number, address: Temp, rt2?: number): void {
  const b = ctx.b;
  const at = ctx.addr(address);
  const low = b.zext(ctx.r(rt));
  const value = rt2 === undefined ? low : b.or(low, b.shl(b.zext(ctx.r(rt2)), b.i64(32)));
  const fail = b.label();
  const done = b.label();
  b.brcond(b.compare('ne', at, b.get(EXCL_ADDR, 'i64')), fail);
  const recorded = b.get(EXCL_VAL, 'i64');
  const old = b.cmpxchg(at, recorded, value, size);
  ctx.setR(rd, b.compare('ne', old, recorded));
  b.br(done);
  b.place(fail);
  ctx.setR(rd, b.i32(1));
  b.place(done);
  b.set(EXCL_ADDR, b.i64(-1));
}

/** CLREX. */
export function clearExclusive(ctx: ArmContext): void {
  ctx.b.set(EXCL_ADDR, ctx.b.i64(-1));
}
