/**
 * NEON data-processing instructions as inline WebAssembly SIMD (vector IR ops), for the forms whose
 * lane semantics a wasm op (or a short sequence of them) reproduces exactly: integer arithmetic,
 * compares, bitwise ops, shifts by an immediate (the inserting VSLI and VSRI too), widening and
 * narrowing, pairwise operations, leading zero and sign bit counts, permutes (VEXT, VTBL/VTBX, VDUP, VREV, VZIP/VUZP/VTRN),
 * immediates, and the float/integer
 * conversions, and the single-precision arithmetic (by a scalar too) with NEON's standard FPSCR value (flush-to-zero,
 * default NaN) applied by masks around the wasm ops. D registers are combined into a v128 (a D
 * operand is splatted, so its lanes are in the low half) and the result is split back. The
 * saturating (FPSCR.QC setting), halving and rounding forms are neon-saturate.ts's; register shifts,
 * VRECPE and friends stay with the exact helper of neon-exec.ts. `inlineNeon` answers false for them.
 *
 * Encodings reach here in their A32 form and only after neon-exec.ts has accepted them, so every
 * UNDEFINED case (misaligned Q registers, reserved sizes) is already excluded.
 */
import type { Temp } from '../../ir/block';
import type { IRBuilder } from '../../ir/builder';
import type { ArmContext } from '../context';
import { getD, setD } from './fp-registers';
import { expandImm } from './neon-exec';

export const SHAPES = ['i8x16', 'i16x8', 'i32x4', 'i64x2'] as const;
export const bits = (insn: number, hi: number, lo: number): number => (insn >>> lo) & ((1 << (hi - lo + 1)) - 1);

/** Register fields of the data-processing encodings. */
export interface Fields {
  d: number;
  n: number;
  m: number;
  q: boolean;
  /** bits 21:20 */
  size: number;
  /** bit 24 */
  u: boolean;
}

export function fieldsOf(insn: number): Fields {
  return {
    d: (bits(insn, 22, 22) << 4) | bits(insn, 15, 12),
    n: (bits(insn, 7, 7) << 4) | bits(insn, 19, 16),
    m: (bits(insn, 5, 5) << 4) | bits(insn, 3, 0),
    q: bits(insn, 6, 6) === 1,
    size: bits(insn, 21, 20),
    u: bits(insn, 24, 24) === 1,
  };
}

/** Dn (in both halves) or Qn (Dn low, Dn+1 high) as a v128. */
export function vec(ctx: ArmContext, reg: number, q: boolean): Temp {
  const b = ctx.b;
  const low = b.vop('i64x2.splat', [getD(ctx, reg)]);
  return q ? b.vop('i64x2.replace_lane', [low, getD(ctx, reg + 1)], 1) : low;
}

/** Two D registers as one v128: `lo` in the low half, `hi` in the high half. */
function pair(ctx: ArmContext, lo: Temp, hi: Temp): Temp {
  return ctx.b.vop('i64x2.replace_lane', [ctx.b.vop('i64x2.splat', [lo]), hi], 1);
}

/** Writes the low half (and, for a Q destination, the high half) of `v` to Dd (and Dd+1). */
export function write(ctx: ArmContext, d: number, v: Temp, q: boolean): true {
  const b = ctx.b;
  setD(ctx, d, b.vop('i64x2.extract_lane', [v], 0));
  if (q) setD(ctx, d + 1, b.vop('i64x2.extract_lane', [v], 1));
  return true;
}

/** Shuffle selectors picking lanes `lanes` (of `ebytes` bytes each) in order; unused bytes pick 0. */
export function laneSelect(lanes: readonly number[], ebytes: number): Uint8Array {
  const sel = new Uint8Array(16);
  lanes.forEach((lane, i) => {
    for (let k = 0; k < ebytes; k++) sel[i * ebytes + k] = lane * ebytes + k;
  });
  return sel;
}

export const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));

/** A v128 whose every `shape` lane is `value`. */
function splatConst(b: IRBuilder, size: number, value: number): Temp {
  return size === 3 ? b.vop('i64x2.splat', [b.i64(BigInt(value))]) : b.vop(`${SHAPES[size]}.splat`, [b.i32(value)]);
}

/** The low half of each wide lane of `v` (lanes of 2 * (8 << size) bits), packed into the low 8 bytes. */
export function narrow(b: IRBuilder, v: Temp, size: number): Temp {
  const eb = 1 << size;
  const sel = new Uint8Array(16);
  for (let i = 0; i < 8; i++) sel[i] = Math.floor(i / eb) * 2 * eb + (i % eb);
  return b.vop('i8x16.shuffle', [v, v], sel);
}

/** The narrow-lane vector of `v`'s low half widened to lanes of twice `size`, signed or not. */
function widen(b: IRBuilder, v: Temp, size: number, unsigned: boolean): Temp {
  return b.vop(`${SHAPES[size + 1]}.extend_low_${SHAPES[size]}_${unsigned ? 'u' : 's'}`, [v]);
}

/** Pairwise op over the lanes of Dn then Dm (VPADD, VPMAX, VPMIN). */
function pairwise(ctx: ArmContext, f: Fields, op: string): Temp {
  const b = ctx.b;
  const v = pair(ctx, getD(ctx, f.n), getD(ctx, f.m));
  const eb = 1 << f.size;
  const lanes = 8 / eb;
  const evens = b.vop('i8x16.shuffle', [v, v], laneSelect(range(lanes, (i) => 2 * i), eb));
  const odds = b.vop('i8x16.shuffle', [v, v], laneSelect(range(lanes, (i) => 2 * i + 1), eb));
  return b.vop(`${SHAPES[f.size]}.${op}`, [evens, odds]);
}

type Operands = readonly [Temp, Temp, Temp];
type SameOp = (b: IRBuilder, size: number, v: Operands) => Temp | undefined;
const sign = (u: boolean): string => (u ? 'u' : 's');
const small = (size: number, op: () => Temp): Temp | undefined => (size < 3 ? op() : undefined);

/** |a - b| per lane: max - min, exact modulo the lane size. */
const absDiff = (b: IRBuilder, size: number, n: Temp, m: Temp, u: boolean): Temp =>
  b.vop(`${SHAPES[size]}.sub`, [b.vop(`${SHAPES[size]}.max_${sign(u)}`, [n, m]), b.vop(`${SHAPES[size]}.min_${sign(u)}`, [n, m])]);

/** Lane products modulo the lane size; bytes (no wasm i8x16.mul) as the low bytes of 16-bit products. */
function intMul(b: IRBuilder, size: number, n: Temp, m: Temp): Temp {
  if (size) return b.vop(`${SHAPES[size]}.mul`, [n, m]);
  const half = (h: 'low' | 'high'): Temp => b.vop(`i16x8.extmul_${h}_i8x16_u`, [n, m]);
  return b.vop('i8x16.shuffle', [half('low'), half('high')], laneSelect(range(16, (i) => 2 * i), 1));
}

/** Carry-less products of the low 8 bits of each `shape` lane (bytes, or bytes zero-extended to 16 bits): x shifted by i where y's bit i is set, xor-ed. */
function polyMul(b: IRBuilder, shape: 'i8x16' | 'i16x8', x: Temp, y: Temp): Temp {
  const one = b.vop(`${shape}.splat`, [b.i32(1)]);
  let r = b.v128(new Uint8Array(16));
  for (let i = 0; i < 8; i++) {
    const bit = b.vop(`${shape}.neg`, [b.vop('v128.and', [b.vop(`${shape}.shr_u`, [y, b.i32(i)]), one])]);
    r = b.vop('v128.xor', [r, b.vop('v128.and', [b.vop(`${shape}.shl`, [x, b.i32(i)]), bit])]);
  }
  return r;
}

/**
 * Three-same integer operations by A:B:U (bits 11:8, 4, 24): the result vector from the Vn, Vm and
 * old Vd vectors, or undefined for sizes without an exact wasm form.
 */
const SAME: Readonly<Record<number, SameOp>> = {
  [0b1000_0_0]: (b, size, [n, m]) => b.vop(`${SHAPES[size]}.add`, [n, m]), // VADD
  [0b1000_0_1]: (b, size, [n, m]) => b.vop(`${SHAPES[size]}.sub`, [n, m]), // VSUB
  [0b1000_1_1]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.eq`, [n, m])), // VCEQ
  [0b1000_1_0]: (b, size, [n, m]) =>
    small(size, () => b.vop(`${SHAPES[size]}.ne`, [b.vop('v128.and', [n, m]), b.v128(new Uint8Array(16))])), // VTST
  [0b0011_0_0]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.gt_s`, [n, m])), // VCGT.S
  [0b0011_0_1]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.gt_u`, [n, m])), // VCGT.U
  [0b0011_1_0]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.ge_s`, [n, m])), // VCGE.S
  [0b0011_1_1]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.ge_u`, [n, m])), // VCGE.U
  [0b0110_0_0]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.max_s`, [n, m])), // VMAX.S
  [0b0110_0_1]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.max_u`, [n, m])), // VMAX.U
  [0b0110_1_0]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.min_s`, [n, m])), // VMIN.S
  [0b0110_1_1]: (b, size, [n, m]) => small(size, () => b.vop(`${SHAPES[size]}.min_u`, [n, m])), // VMIN.U
  [0b0111_0_0]: (b, size, v) => small(size, () => absDiff(b, size, v[0], v[1], false)), // VABD.S
  [0b0111_0_1]: (b, size, v) => small(size, () => absDiff(b, size, v[0], v[1], true)), // VABD.U
  [0b0111_1_0]: (b, size, v) => small(size, () => b.vop(`${SHAPES[size]}.add`, [v[2], absDiff(b, size, v[0], v[1], false)])), // VABA.S
  [0b0111_1_1]: (b, size, v) => small(size, () => b.vop(`${SHAPES[size]}.add`, [v[2], absDiff(b, size, v[0], v[1], true)])), // VABA.U
  [0b0001_0_1]: (b, size, [n, m]) => (size < 2 ? b.vop(`${SHAPES[size]}.avgr_u`, [n, m]) : undefined), // VRHADD.U
  [0b1001_1_0]: (b, size, [n, m]) => small(size, () => intMul(b, size, n, m)), // VMUL
  [0b1001_1_1]: (b, size, [n, m]) => (size ? undefined : polyMul(b, 'i8x16', n, m)), // VMUL.P8
  [0b1001_0_0]: (b, size, [n, m, d]) => small(size, () => b.vop(`${SHAPES[size]}.add`, [d, intMul(b, size, n, m)])), // VMLA
  [0b1001_0_1]: (b, size, [n, m, d]) => small(size, () => b.vop(`${SHAPES[size]}.sub`, [d, intMul(b, size, n, m)])), // VMLS
  // Bitwise: size selects the operation.
  [0b0001_1_0]: (b, size, [n, m]) =>
    [
      () => b.vop('v128.and', [n, m]),
      () => b.vop('v128.andnot', [n, m]),
      () => b.vop('v128.or', [n, m]),
      () => b.vop('v128.or', [n, b.vop('v128.not', [m])]),
    ][size]!(), // VAND VBIC VORR VORN
  [0b0001_1_1]: (b, size, [n, m, d]) =>
    [
      () => b.vop('v128.xor', [n, m]),
      () => b.vop('v128.bitselect', [n, m, d]),
      () => b.vop('v128.bitselect', [n, d, m]),
      () => b.vop('v128.bitselect', [d, n, m]),
    ][size]!(), // VEOR VBSL VBIT VBIF
};

/** A single-precision input under the standard FPSCR value: a denormal lane becomes a zero of its sign. */
function flushed(b: IRBuilder, v: Temp): Temp {
  const denormal = b.vop('i32x4.eq', [b.vop('v128.and', [v, splatConst(b, 2, 0x7f800000)]), b.v128(new Uint8Array(16))]);
  return b.vop('v128.andnot', [v, b.vop('v128.and', [denormal, splatConst(b, 2, 0x7fffffff)])]);
}

/** A single-precision result under the standard FPSCR value: denormals flushed, any NaN the default NaN. */
function standard(b: IRBuilder, r: Temp): Temp {
  return b.vop('v128.bitselect', [splatConst(b, 2, 0x7fc00000), flushed(b, r), b.vop('f32x4.ne', [r, r])]);
}

/** A single-precision op on flushed inputs, its result under the standard FPSCR value. */
const floatOp = (b: IRBuilder, name: string, x: Temp, y: Temp): Temp => standard(b, b.vop(`f32x4.${name}`, [x, y]));

/**
 * The three-same single-precision arithmetic (size<0> = 0, size<1> selecting the variant), with
 * the standard FPSCR value applied around the wasm ops: VADD, VSUB, VMUL, VMLA, VMLS (product then
 * sum, each rounded), VABD, VPADD, compares, VMAX, VMIN.
 */
function floatSame(ctx: ArmContext, f: Fields, a: number, bBit: number): boolean {
  const b = ctx.b;
  const hi = f.size >> 1;
  const n = (): Temp => flushed(b, vec(ctx, f.n, f.q));
  const m = (): Temp => flushed(b, vec(ctx, f.m, f.q));
  const op = (name: string, x: Temp, y: Temp): Temp => floatOp(b, name, x, y);
  const out = (v: Temp): true => write(ctx, f.d, v, f.q);
  /** The op on adjacent pairs of Dn then of Dm. */
  const pairwiseFloat = (name: string): true => {
    const v = flushed(b, pair(ctx, getD(ctx, f.n), getD(ctx, f.m)));
    const evens = b.vop('i8x16.shuffle', [v, v], laneSelect([0, 2], 4));
    const odds = b.vop('i8x16.shuffle', [v, v], laneSelect([1, 3], 4));
    return write(ctx, f.d, op(name, evens, odds), false);
  };
  switch ((a << 2) | (bBit << 1) | (f.u ? 1 : 0)) {
    case 0b110100:
      return out(op(hi ? 'sub' : 'add', n(), m())); // VADD / VSUB
    case 0b110111:
      return !hi && out(op('mul', n(), m())); // VMUL
    case 0b110110:
      return out(op(hi ? 'sub' : 'add', flushed(b, vec(ctx, f.d, f.q)), op('mul', n(), m()))); // VMLA / VMLS
    case 0b110101:
      if (hi) return out(standard(b, b.vop('f32x4.abs', [b.vop('f32x4.sub', [n(), m()])]))); // VABD
      return pairwiseFloat('add'); // VPADD
    case 0b111101:
      return pairwiseFloat(hi ? 'min' : 'max'); // VPMAX / VPMIN
    case 0b111011: {
      // VACGE / VACGT: compares of the magnitudes.
      const abs = (v: Temp): Temp => b.vop('f32x4.abs', [v]);
      return out(b.vop(hi ? 'f32x4.gt' : 'f32x4.ge', [abs(n()), abs(m())]));
    }
    case 0b111000:
      return !hi && out(b.vop('f32x4.eq', [n(), m()])); // VCEQ
    case 0b111001:
      return out(b.vop(hi ? 'f32x4.gt' : 'f32x4.ge', [n(), m()])); // VCGE / VCGT
    case 0b111100:
      return out(op(hi ? 'min' : 'max', n(), m())); // VMAX / VMIN
    default:
      return false;
  }
}

/** A7.4.1 three registers of the same length. */
function threeSame(ctx: ArmContext, insn: number): boolean {
  const f = fieldsOf(insn);
  const a = bits(insn, 11, 8);
  const bBit = bits(insn, 4, 4);
  if (a >= 0b1101) return !(f.size & 1) && floatSame(ctx, f, a, bBit);
  if (a === 0b1011 && bBit === 1 && !f.u && f.size < 3) return write(ctx, f.d, pairwise(ctx, f, 'add'), false); // VPADD
  if (a === 0b1010 && f.size < 3) return write(ctx, f.d, pairwise(ctx, f, `${bBit ? 'min' : 'max'}_${sign(f.u)}`), false); // VPMAX VPMIN
  const op = SAME[(a << 2) | (bBit << 1) | (f.u ? 1 : 0)];
  if (!op) return false;
  const result = op(ctx.b, f.size, [vec(ctx, f.n, f.q), vec(ctx, f.m, f.q), vec(ctx, f.d, f.q)]);
  return result !== undefined && write(ctx, f.d, result, f.q);
}

/** Every lane of a `size` vector holding the low bits of `value`. */
export const laneMask = (b: IRBuilder, size: number, value: bigint): Temp =>
  size === 3 ? b.vop('i64x2.splat', [b.i64(BigInt.asIntN(64, value))]) : splatConst(b, size, Number(BigInt.asIntN(32, value)));

/**
 * `v`'s lanes of `size` shifted right by 1..esize, rounding (adding the last bit shifted out) when
 * `round`: an unsigned shift by esize truncates to 0, a signed one to the sign.
 */
export function shiftRight(b: IRBuilder, size: number, v: Temp, n: number, unsigned: boolean, round: boolean): Temp {
  const shape = SHAPES[size];
  const esize = 8 << size;
  const truncated =
    unsigned && n === esize ? b.v128(new Uint8Array(16)) : b.vop(`${shape}.shr_${sign(unsigned)}`, [v, b.i32(Math.min(n, esize - 1))]);
  if (!round) return truncated;
  const lastOut = b.vop('v128.and', [b.vop(`${shape}.shr_u`, [v, b.i32(n - 1)]), laneMask(b, size, 1n)]);
  return b.vop(`${shape}.add`, [truncated, lastOut]);
}

/**
 * The fields of A7.4.4 (two registers and a shift amount): the lane size from L:imm6, and the
 * shift as a right shift (1..esize) and as a left shift (0..esize-1).
 */
export function shiftFields(insn: number): { imm6: number; a: number; size: number; esize: number; right: number; left: number } {
  const l = bits(insn, 7, 7);
  const imm6 = bits(insn, 21, 16);
  const lImm = (l << 6) | imm6;
  const size = l ? 3 : imm6 >= 32 ? 2 : imm6 >= 16 ? 1 : 0;
  const esize = 8 << size;
  return { imm6, a: bits(insn, 11, 8), size, esize, right: 2 * esize - lImm, left: lImm - esize };
}

/** A7.4.4 two registers and a shift amount: VSHR, VSRA, VSRI, VSHL, VSLI, VSHRN, VSHLL/VMOVL. */
function shiftImmediate(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  const { imm6, a, size, esize, right, left } = shiftFields(insn);
  const shape = SHAPES[size];
  switch (a) {
    case 0b0000:
      return write(ctx, f.d, shiftRight(b, size, vec(ctx, f.m, f.q), right, f.u, false), f.q); // VSHR
    case 0b0001:
      return write(ctx, f.d, b.vop(`${shape}.add`, [vec(ctx, f.d, f.q), shiftRight(b, size, vec(ctx, f.m, f.q), right, f.u, false)]), f.q); // VSRA
    case 0b0100: {
      // VSRI: Vm's lanes shifted right by 1..esize into Vd, whose top `right` bits stay.
      if (!f.u) return false;
      const kept = laneMask(b, size, ((1n << BigInt(right)) - 1n) << BigInt(esize - right));
      const shifted = right === esize ? b.v128(new Uint8Array(16)) : b.vop(`${shape}.shr_u`, [vec(ctx, f.m, f.q), b.i32(right)]);
      return write(ctx, f.d, b.vop('v128.or', [shifted, b.vop('v128.and', [vec(ctx, f.d, f.q), kept])]), f.q);
    }
    case 0b0101: {
      const shifted = b.vop(`${shape}.shl`, [vec(ctx, f.m, f.q), b.i32(left)]);
      if (!f.u) return write(ctx, f.d, shifted, f.q); // VSHL
      // VSLI: Vm's lanes shifted left by 0..esize-1 into Vd, whose low `left` bits stay.
      const kept = laneMask(b, size, (1n << BigInt(left)) - 1n);
      return write(ctx, f.d, b.vop('v128.or', [shifted, b.vop('v128.and', [vec(ctx, f.d, f.q), kept])]), f.q);
    }
    case 0b1000: {
      // VSHRN: Qm's wide lanes shifted right by 1..esize, low halves kept.
      if (f.u || f.q) return false;
      const wide = b.vop(`${SHAPES[size + 1]}.shr_u`, [vec(ctx, f.m, true), b.i32(2 * esize - imm6)]);
      return write(ctx, f.d, narrow(b, wide, size), false);
    }
    case 0b1010: {
      // VSHLL / VMOVL: Dm widened, shifted left by 0..esize-1.
      const wide = widen(b, vec(ctx, f.m, false), size, f.u);
      return write(ctx, f.d, left ? b.vop(`${SHAPES[size + 1]}.shl`, [wide, b.i32(left)]) : wide, true);
    }
    case 0b1110:
    case 0b1111: {
      // VCVT between single precision and 32-bit fixed point with `right` fraction bits: a scaling
      // by a power of two (2^-32 to 2^32, exact in single precision) after the integer conversion
      // (which rounds once) or before the truncating, saturating one (an overflow to infinity
      // saturates as the exact product would).
      const power = (e: number): Temp => splatConst(b, 2, (127 + e) << 23);
      const v = vec(ctx, f.m, f.q);
      if (a === 0b1110) return write(ctx, f.d, b.vop('f32x4.mul', [b.vop(`f32x4.convert_i32x4_${sign(f.u)}`, [v]), power(-right)]), f.q);
      return write(ctx, f.d, b.vop(`i32x4.trunc_sat_f32x4_${sign(f.u)}`, [b.vop('f32x4.mul', [flushed(b, v), power(right)])]), f.q);
    }
    default:
      return false;
  }
}

/** A7.4.6 one register and a modified immediate: VMOV, VMVN, VORR, VBIC. */
function modifiedImmediate(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  const op = bits(insn, 5, 5);
  const cmode = bits(insn, 11, 8);
  const imm8 = (bits(insn, 24, 24) << 7) | (bits(insn, 18, 16) << 4) | bits(insn, 3, 0);
  const imm = expandImm(op, cmode, imm8)!;
  const logical = cmode < 12 && (cmode & 1) === 1;
  const value = !logical && op && cmode !== 14 ? ~imm : imm;
  const bytes = new Uint8Array(16).map((_, i) => Number((value >> BigInt(8 * (i % 8))) & 0xffn));
  const c = b.v128(bytes);
  if (!logical) return write(ctx, f.d, c, f.q);
  return write(ctx, f.d, b.vop(op ? 'v128.andnot' : 'v128.or', [vec(ctx, f.d, f.q), c]), f.q);
}

/** A7.4.2 three registers of different lengths: long, wide and narrow integer forms. */
function threeDiff(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  const a = bits(insn, 11, 8);
  const wideShape = SHAPES[f.size + 1];
  const n = (): Temp => vec(ctx, f.n, false);
  const m = (): Temp => vec(ctx, f.m, false);
  const mull = (): Temp => b.vop(`${wideShape}.extmul_low_${SHAPES[f.size]}_${sign(f.u)}`, [n(), m()]);
  const absDiffLong = (): Temp => widen(b, absDiff(b, f.size, n(), m(), f.u), f.size, true);
  const qd = (): Temp => vec(ctx, f.d, true);
  switch (a) {
    case 0b0000:
    case 0b0010: // VADDL / VSUBL
      return write(ctx, f.d, b.vop(`${wideShape}.${a ? 'sub' : 'add'}`, [widen(b, n(), f.size, f.u), widen(b, m(), f.size, f.u)]), true);
    case 0b0001:
    case 0b0011: // VADDW / VSUBW
      return write(ctx, f.d, b.vop(`${wideShape}.${a === 3 ? 'sub' : 'add'}`, [vec(ctx, f.n, true), widen(b, m(), f.size, f.u)]), true);
    case 0b0100:
    case 0b0110: {
      // VADDHN / VSUBHN (VRADDHN / VRSUBHN: U set, rounded): high halves of Qn +/- Qm.
      let sum = b.vop(`${wideShape}.${a === 4 ? 'add' : 'sub'}`, [vec(ctx, f.n, true), vec(ctx, f.m, true)]);
      if (f.u) sum = b.vop(`${wideShape}.add`, [sum, laneMask(b, f.size + 1, 1n << BigInt((8 << f.size) - 1))]);
      return write(ctx, f.d, narrow(b, b.vop(`${wideShape}.shr_u`, [sum, b.i32(8 << f.size)]), f.size), false);
    }
    case 0b0101:
      return write(ctx, f.d, b.vop(`${wideShape}.add`, [qd(), absDiffLong()]), true); // VABAL
    case 0b0111:
      return write(ctx, f.d, absDiffLong(), true); // VABDL
    case 0b1000:
      return write(ctx, f.d, b.vop(`${wideShape}.add`, [qd(), mull()]), true); // VMLAL
    case 0b1010:
      return write(ctx, f.d, b.vop(`${wideShape}.sub`, [qd(), mull()]), true); // VMLSL
    case 0b1100:
      return write(ctx, f.d, mull(), true); // VMULL
    case 0b1110:
      return write(ctx, f.d, polyMul(b, 'i16x8', widen(b, n(), 0, true), widen(b, m(), 0, true)), true); // VMULL.P8
    default:
      return false;
  }
}

/** Lane `index` of Dm (lanes of `size`) in every lane of a v128. */
export function dupLane(ctx: ArmContext, m: number, size: number, index: number): Temp {
  const v = vec(ctx, m, false);
  return ctx.b.vop('i8x16.shuffle', [v, v], laneSelect(range(16 >> size, () => index), 1 << size));
}

/** A7.4.3 two registers and a scalar: the integer multiplies. */
function scalarForm(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  if (f.size !== 1 && f.size !== 2) return false;
  const vm = bits(insn, 3, 0);
  const m = f.size === 1 ? vm & 7 : vm;
  const index = f.size === 1 ? (bits(insn, 5, 5) << 1) | (vm >> 3) : bits(insn, 5, 5);
  const shape = SHAPES[f.size];
  const wideShape = SHAPES[f.size + 1];
  const k = dupLane(ctx, m, f.size, index);
  // The same-length forms take Q from bit 24; the long ones signedness.
  const same = (): Temp => b.vop(`${shape}.mul`, [vec(ctx, f.n, f.u), k]);
  const long = (): Temp => b.vop(`${wideShape}.extmul_low_${shape}_${sign(f.u)}`, [vec(ctx, f.n, false), k]);
  const floatProduct = (): Temp => floatOp(b, 'mul', flushed(b, vec(ctx, f.n, f.u)), flushed(b, k));
  switch (bits(insn, 11, 8)) {
    case 0b1000:
      return write(ctx, f.d, same(), f.u); // VMUL
    case 0b0000:
      return write(ctx, f.d, b.vop(`${shape}.add`, [vec(ctx, f.d, f.u), same()]), f.u); // VMLA
    case 0b0100:
      return write(ctx, f.d, b.vop(`${shape}.sub`, [vec(ctx, f.d, f.u), same()]), f.u); // VMLS
    case 0b1010:
      return write(ctx, f.d, long(), true); // VMULL
    case 0b0010:
      return write(ctx, f.d, b.vop(`${wideShape}.add`, [vec(ctx, f.d, true), long()]), true); // VMLAL
    case 0b0110:
      return write(ctx, f.d, b.vop(`${wideShape}.sub`, [vec(ctx, f.d, true), long()]), true); // VMLSL
    case 0b1001:
      return f.size === 2 && write(ctx, f.d, floatProduct(), f.u); // VMUL.F32
    case 0b0001:
    case 0b0101: {
      // VMLA.F32 / VMLS.F32: a rounded product then a rounded sum, as the three-same forms.
      const sum = floatOp(b, bits(insn, 10, 10) ? 'sub' : 'add', flushed(b, vec(ctx, f.d, f.u)), floatProduct());
      return f.size === 2 && write(ctx, f.d, sum, f.u);
    }
    default:
      return false;
  }
}

/** VEXT: bytes imm4 onwards of Vm:Vn. */
function extract(ctx: ArmContext, insn: number): boolean {
  const f = fieldsOf(insn);
  const imm4 = bits(insn, 11, 8);
  const [lo, hi = lo] = f.q ? [vec(ctx, f.n, true), vec(ctx, f.m, true)] : [pair(ctx, getD(ctx, f.n), getD(ctx, f.m))];
  return write(ctx, f.d, ctx.b.vop('i8x16.shuffle', [lo, hi], laneSelect(range(f.q ? 16 : 8, (i) => imm4 + i), 1)), f.q);
}

/** VTBL / VTBX: bytes of Dm index a table of 1-4 registers from Dn; out of range gives 0 (VTBL) or keeps Dd (VTBX). */
function tableLookup(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  const len = bits(insn, 9, 8) + 1;
  const reg = (i: number): Temp => (i < len ? getD(ctx, f.n + i) : b.i64(0n));
  const idx = vec(ctx, f.m, false);
  // swizzle gives 0 for indexes >= 16: the zero high half of a short table does the rest.
  let result = b.vop('i8x16.swizzle', [pair(ctx, reg(0), reg(1)), idx]);
  if (len > 2) {
    const upper = b.vop('i8x16.swizzle', [pair(ctx, reg(2), reg(3)), b.vop('i8x16.sub', [idx, splatConst(b, 0, 16)])]);
    result = b.vop('v128.or', [result, upper]);
  }
  if (bits(insn, 6, 6)) {
    const inTable = b.vop('i8x16.lt_u', [idx, splatConst(b, 0, 8 * len)]);
    result = b.vop('v128.bitselect', [result, vec(ctx, f.d, false), inTable]);
  }
  return write(ctx, f.d, result, false);
}

/** VDUP (scalar): Dm[x] into every lane. */
function dupScalar(ctx: ArmContext, insn: number): boolean {
  const f = fieldsOf(insn);
  const imm4 = bits(insn, 19, 16);
  const size = imm4 & 1 ? 0 : imm4 & 2 ? 1 : 2;
  return write(ctx, f.d, dupLane(ctx, f.m, size, imm4 >> (size + 1)), f.q);
}

/** Lane permutations of Vd:Vm (lanes 0..n-1 from Vd, n..2n-1 from Vm) for VTRN, VUZP, VZIP: [new Vd, new Vm]. */
function permutation(kind: number, n: number): [number[], number[]] {
  if (kind === 1) {
    // VTRN: swap d[2i+1] with m[2i].
    return [range(n, (i) => (i % 2 ? n + i - 1 : i)), range(n, (i) => (i % 2 ? n + i : i + 1))];
  }
  if (kind === 2) return [range(n, (i) => 2 * i), range(n, (i) => 2 * i + 1)]; // VUZP
  const zipped = (p: number): number => (p % 2 ? n + (p - 1) / 2 : p / 2); // VZIP
  return [range(n, (i) => zipped(i)), range(n, (i) => zipped(n + i))];
}

/** Leading zeros of each lane of 8, 16 or 32 bits: the lane's bits smeared right, counted, taken from the lane size. */
function leadingZeros(b: IRBuilder, size: number, v: Temp): Temp {
  const shape = SHAPES[size];
  let smeared = v;
  for (let k = 1; k < 8 << size; k *= 2) smeared = b.vop('v128.or', [smeared, b.vop(`${shape}.shr_u`, [smeared, b.i32(k)])]);
  let count = b.vop('i8x16.popcnt', [smeared]);
  if (size >= 1) count = b.vop('i16x8.extadd_pairwise_i8x16_u', [count]);
  if (size === 2) count = b.vop('i32x4.extadd_pairwise_i16x8_u', [count]);
  return b.vop(`${shape}.sub`, [splatConst(b, size, 8 << size), count]);
}

/** A7.4.5 two registers, miscellaneous. */
function twoMisc(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  const size = bits(insn, 19, 18);
  const shape = SHAPES[size];
  const a = bits(insn, 17, 16);
  const op = bits(insn, 10, 7);
  const m = (): Temp => vec(ctx, f.m, f.q);
  const unary = (result: Temp): true => write(ctx, f.d, result, f.q);
  const eb = 1 << size;
  if (a === 0 && op <= 2) {
    // VREV64/32/16: reverse the lanes inside each 64/32/16-bit group.
    const per = [8, 4, 2][op]! / eb;
    const sel = laneSelect(range(16 / eb, (i) => i - (i % per) + (per - 1 - (i % per))), eb);
    const v = m();
    return unary(b.vop('i8x16.shuffle', [v, v], sel));
  }
  if (a === 0) {
    if (op >> 1 === 0b010 || op >> 1 === 0b110) {
      // VPADDL / VPADAL: wasm's extadd_pairwise for 8- and 16-bit lanes; 32-bit lanes widened from
      // the even and the odd lanes and added.
      const unsigned = (op & 1) === 1;
      const v = m();
      const widened = (lanes: number[]): Temp => widen(b, b.vop('i8x16.shuffle', [v, v], laneSelect(lanes, 4)), 2, unsigned);
      const sum =
        size < 2
          ? b.vop(`${SHAPES[size + 1]}.extadd_pairwise_${shape}_${sign(unsigned)}`, [v])
          : b.vop('i64x2.add', [widened([0, 2]), widened([1, 3])]);
      return unary(op >> 1 === 0b110 ? b.vop(`${SHAPES[size + 1]}.add`, [vec(ctx, f.d, f.q), sum]) : sum);
    }
    if (op === 0b1001) return unary(leadingZeros(b, size, m())); // VCLZ
    if (op === 0b1000) {
      // VCLS: the leading zeros of v ^ (v >> 1), less the sign bit itself.
      const v = m();
      const changes = b.vop('v128.xor', [v, b.vop(`${shape}.shr_s`, [v, b.i32(1)])]);
      return unary(b.vop(`${shape}.sub`, [leadingZeros(b, size, changes), splatConst(b, size, 1)]));
    }
    if (op === 0b1010) return unary(b.vop('i8x16.popcnt', [m()])); // VCNT
    if (op === 0b1011) return unary(b.vop('v128.not', [m()])); // VMVN
    return false;
  }
  if (a === 1) {
    const float = (op & 8) !== 0;
    if (op === 0b1110) return unary(b.vop('v128.and', [m(), splatConst(b, 2, 0x7fffffff)])); // VABS.F32
    if (op === 0b1111) return unary(b.vop('v128.xor', [m(), splatConst(b, 2, 0x80000000 | 0)])); // VNEG.F32
    const zero = b.v128(new Uint8Array(16));
    if (float) {
      const cmp = ['gt', 'ge', 'eq', 'le', 'lt'][op & 7];
      return cmp !== undefined && unary(b.vop(`f32x4.${cmp}`, [flushed(b, m()), zero])); // VCGT VCGE VCEQ VCLE VCLT #0 (F32)
    }
    const cmp = ['gt_s', 'ge_s', 'eq', 'le_s', 'lt_s'][op];
    if (cmp) return unary(b.vop(`${shape}.${cmp}`, [m(), zero])); // VCGT VCGE VCEQ VCLE VCLT #0
    if (op === 6) return unary(b.vop(`${shape}.abs`, [m()])); // VABS
    if (op === 7) return unary(b.vop(`${shape}.neg`, [m()])); // VNEG
    return false;
  }
  if (a === 2) {
    if (op === 0) {
      // VSWP
      const regs = f.q ? 2 : 1;
      const olds = Array.from({ length: 2 * regs }, (_, i) => getD(ctx, i < regs ? f.d + i : f.m + i - regs));
      for (let i = 0; i < regs; i++) {
        setD(ctx, f.d + i, olds[regs + i]!);
        setD(ctx, f.m + i, olds[i]!);
      }
      return true;
    }
    if (op >= 1 && op <= 3) {
      const [lo, hi = lo] = f.q ? [vec(ctx, f.d, true), vec(ctx, f.m, true)] : [pair(ctx, getD(ctx, f.d), getD(ctx, f.m))];
      const [toD, toM] = permutation(op, (f.q ? 16 : 8) / eb);
      const newD = b.vop('i8x16.shuffle', [lo, hi], laneSelect(toD, eb));
      const newM = b.vop('i8x16.shuffle', [lo, hi], laneSelect(toM, eb));
      write(ctx, f.d, newD, f.q);
      return write(ctx, f.m, newM, f.q);
    }
    if (op === 0b0100 && !f.q) return write(ctx, f.d, narrow(b, vec(ctx, f.m, true), size), false); // VMOVN
    if (op === 0b0110) {
      // VSHLL with the maximum shift (the lane size).
      const wide = widen(b, vec(ctx, f.m, false), size, true);
      return write(ctx, f.d, b.vop(`${SHAPES[size + 1]}.shl`, [wide, b.i32(8 << size)]), true);
    }
    return false;
  }
  if ((op & 0b1100) === 0b1100 && size === 2) {
    // VCVT between single precision and 32-bit integers: round to nearest one way, toward zero
    // saturating (NaN to 0) the other, as the wasm conversions do; denormals truncate to 0 either way.
    const names = ['f32x4.convert_i32x4_s', 'f32x4.convert_i32x4_u', 'i32x4.trunc_sat_f32x4_s', 'i32x4.trunc_sat_f32x4_u'];
    return unary(b.vop(names[op & 3]!, [m()]));
  }
  return false;
}

/** The encoding class (ARM ARM A7.4) of an accepted A32-form data-processing encoding. */
export function neonClass(insn: number): keyof typeof CLASSES {
  if (!bits(insn, 23, 23)) return 'threeSame';
  if (bits(insn, 4, 4)) return bits(insn, 21, 19) === 0 && !bits(insn, 7, 7) ? 'modifiedImmediate' : 'shiftImmediate';
  if (bits(insn, 21, 20) !== 3) return bits(insn, 6, 6) ? 'scalarForm' : 'threeDiff';
  if (!bits(insn, 24, 24)) return 'extract';
  if (!bits(insn, 11, 11)) return 'twoMisc';
  return bits(insn, 11, 10) === 0b10 ? 'tableLookup' : 'dupScalar';
}

const CLASSES = {
  threeSame,
  modifiedImmediate,
  shiftImmediate,
  scalarForm,
  threeDiff,
  extract,
  twoMisc,
  tableLookup,
  dupScalar,
};

/**
 * Emits an accepted A32-form data-processing encoding as inline vector IR; false (nothing emitted)
 * when it has no exact inline form here (see neon-saturate.ts) and must go to the helper.
 */
export function inlineNeon(ctx: ArmContext, insn: number): boolean {
  return CLASSES[neonClass(insn)](ctx, insn);
}
