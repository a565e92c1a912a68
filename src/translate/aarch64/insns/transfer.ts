/**
 * Moving one register's value between guest memory and the register file, shared by every A64
 * load/store family: what a transfer is (size, general or SIMD&FP register, extension), reading
 * the value to store, loading a value, writing a loaded value back with A64's zeroing rules, and
 * the alignment check of the ordered and exclusive accesses.
 */
import type { Temp } from '../../ir/block';
import { TrapKind } from '../../ir/ops';
import type { A64Context } from '../context';
import { readElem, writeScalar } from './simd-common';

export type AccessBytes = 1 | 2 | 4 | 8 | 16;

/** One register's worth of a memory access. */
export interface Transfer {
  bytes: AccessBytes;
  /** A SIMD&FP register (B/H/S/D/Q) rather than a general one. */
  vector: boolean;
  /** General loads: sign-extend the loaded value. */
  signed: boolean;
  /** Sign-extending general loads: to 32 bits (Wt, upper half of Xt cleared) instead of 64. */
  toW: boolean;
}

const BYTES_BY_LOG: readonly AccessBytes[] = [1, 2, 4, 8, 16];

/** A general-register transfer of 2^sizeLog bytes, optionally sign-extending to Wt (toW) or Xt. */
export function gpr(sizeLog: number, signed = false, toW = false): Transfer {
  return { bytes: BYTES_BY_LOG[sizeLog]!, vector: false, signed, toW };
}

/** A SIMD&FP register transfer of 2^sizeLog bytes (4 = the whole Q register). */
export function fpr(sizeLog: number): Transfer {
  return { bytes: BYTES_BY_LOG[sizeLog]!, vector: true, signed: false, toW: false };
}

/** Loads the value of `t` at `addr` without writing any register (so multi-register forms stay precise). */
export function loadValue(ctx: A64Context, t: Transfer, addr: Temp): Temp {
  const b = ctx.b;
  if (t.vector) return b.load(t.bytes === 16 ? 'v128' : t.bytes === 8 ? 'i64' : 'i32', addr, t.bytes);
  return b.load(t.toW ? 'i32' : 'i64', addr, t.bytes, t.signed);
}

/**
 * Writes a loaded value to register `rt`: Xt (Wt values zero-extended; XZR discards), or Vt with
 * every byte above the access zeroed.
 */
export function writeValue(ctx: A64Context, t: Transfer, rt: number, value: Temp): void {
  if (!t.vector) ctx.setReg(rt, value);
  else if (t.bytes === 16) ctx.setV(rt, value);
  else writeScalar(ctx, rt, value);
}

/** The value register `rt` contributes to a store of `t` (its low t.bytes bytes are written). */
export function readValue(ctx: A64Context, t: Transfer, rt: number): Temp {
  if (!t.vector) return ctx.x(rt);
  if (t.bytes === 16) return ctx.v(rt);
  return readElem(ctx, rt, Math.log2(t.bytes));
}

export function loadInto(ctx: A64Context, t: Transfer, rt: number, addr: Temp): void {
  writeValue(ctx, t, rt, loadValue(ctx, t, addr));
}

export function storeFrom(ctx: A64Context, t: Transfer, rt: number, addr: Temp): void {
  ctx.b.store(addr, readValue(ctx, t, rt), t.bytes);
}

/**
 * Raises an alignment fault (SIGBUS) unless `addr` is a multiple of `bytes`: exclusive, acquire and
 * release accesses must be aligned on a CPU without FEAT_LSE2 (QEMU applies MO_ALIGN to them).
 */
export function requireAlignment(ctx: A64Context, addr: Temp, bytes: number): void {
  if (bytes === 1) return;
  const b = ctx.b;
  const aligned = b.label();
  b.brcond(b.compare('eq', b.and(b.wrap(addr), b.i32(bytes - 1)), b.i32(0)), aligned);
  b.trap(TrapKind.Alignment, addr);
  b.place(aligned);
}
