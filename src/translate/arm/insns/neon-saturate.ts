/**
 * NEON's saturating, halving and rounding integer forms as inline WebAssembly SIMD: VQADD/VQSUB,
 * VHADD/VRHADD/VHSUB, VQDMULH/VQRDMULH (vector and by scalar), VQDMULL/VQDMLAL/VQDMLSL (vector and
 * by scalar), VRSHR/VRSRA, VQSHL/VQSHLU by immediate, the narrowing VRSHRN, VQ(R)SHRN, VQ(R)SHRUN,
 * VQMOVN/VQMOVUN, VQABS/VQNEG, and the shifts by register VSHL/VQSHL/VRSHL/VQRSHL
 * (neon-shift-register.ts). They ran in the exact helper (neon-exec.ts) with BigInt lanes.
 *
 * Each saturating form computes its result and a mask of the lanes that saturated; FPSCR.QC (sticky)
 * is or-ed with "any lane saturated". 8- and 16-bit VQADD/VQSUB and the 16-bit VQRDMULH are wasm's
 * own saturating ops (the lanes that saturated are where they differ from the wrapping op, or where
 * both operands are the most negative value); the wider lanes use the wrapping result, the lanes
 * that overflowed (from the operands' and the result's sign or carry bits) and the bound each takes.
 *
 * `inlineSaturating` is tried after neon-simd.ts's `inlineNeon`, on encodings neon-exec.ts accepted.
 */
import type { Temp } from '../../ir/block';
import type { IRBuilder } from '../../ir/builder';
import type { ArmContext } from '../context';
import { FPSCR } from '../state';
import { FPSCR_QC } from './neon-lanes';
import { shiftByRegister } from './neon-shift-register';
import {
  SHAPES,
  bits,
  dupLane,
  fieldsOf,
  laneMask,
  laneSelect,
  narrow,
  neonClass,
  range,
  shiftFields,
  shiftRight,
  vec,
  write,
} from './neon-simd';

/** A result and the mask of its lanes that saturated. */
interface Saturated {
  value: Temp;
  saturated: Temp;
}

/** FPSCR.QC |= `flag` (i32, 0 or 1). */
function noteSaturatedIf(ctx: ArmContext, flag: Temp): void {
  const b = ctx.b;
  b.set(FPSCR, b.or(b.get(FPSCR, 'i32'), b.shl(flag, b.i32(Math.log2(FPSCR_QC)))));
}

/** FPSCR.QC |= any bit of `mask`. */
const noteSaturation = (ctx: ArmContext, mask: Temp): void => noteSaturatedIf(ctx, ctx.b.vop('v128.any_true', [mask]));

/** Writes a saturated result to Dd (and Dd+1 when `q`), noting the saturation. */
function writeSaturated(ctx: ArmContext, d: number, r: Saturated, q: boolean): true {
  noteSaturation(ctx, r.saturated);
  return write(ctx, d, r.value, q);
}

const esizeOf = (size: number): number => 8 << size;
const signedMax = (size: number): bigint => (1n << BigInt(esizeOf(size) - 1)) - 1n;
const signedMin = (size: number): bigint => -(1n << BigInt(esizeOf(size) - 1));
const sign = (unsigned: boolean): string => (unsigned ? 'u' : 's');

/** Every lane all ones where the lane's top bit is set. */
const topMask = (b: IRBuilder, size: number, v: Temp): Temp => b.vop(`${SHAPES[size]}.shr_s`, [v, b.i32(esizeOf(size) - 1)]);

/** The signed bound on the side of `v`'s sign: the maximum for v >= 0, the minimum below. */
const signedBound = (b: IRBuilder, size: number, v: Temp): Temp =>
  b.vop('v128.xor', [topMask(b, size, v), laneMask(b, size, signedMax(size))]);

/** VQADD / VQSUB of `x` and `y` in lanes of `size`. */
function addSubSaturating(b: IRBuilder, size: number, unsigned: boolean, sub: boolean, x: Temp, y: Temp): Saturated {
  const op = `${SHAPES[size]}.${sub ? 'sub' : 'add'}`;
  const wrapped = b.vop(op, [x, y]);
  if (size < 2) {
    const value = b.vop(`${op}_sat_${sign(unsigned)}`, [x, y]);
    return { value, saturated: b.vop('v128.xor', [value, wrapped]) };
  }
  const xor = (p: Temp, q: Temp): Temp => b.vop('v128.xor', [p, q]);
  let overflow: Temp;
  let bound: Temp;
  if (unsigned) {
    // The carry (borrow) out of the top bit.
    const out = sub
      ? b.vop('v128.or', [b.vop('v128.andnot', [y, x]), b.vop('v128.andnot', [wrapped, xor(x, y)])])
      : b.vop('v128.or', [b.vop('v128.and', [x, y]), b.vop('v128.andnot', [b.vop('v128.or', [x, y]), wrapped])]);
    overflow = topMask(b, size, out);
    bound = laneMask(b, size, sub ? 0n : -1n);
  } else {
    // Signed: the result's sign differs from both addends' (from x's, with x and y of different signs).
    const out = sub ? b.vop('v128.and', [xor(x, y), xor(x, wrapped)]) : b.vop('v128.and', [xor(x, wrapped), xor(y, wrapped)]);
    overflow = topMask(b, size, out);
    bound = signedBound(b, size, x);
  }
  return { value: b.vop('v128.bitselect', [bound, wrapped, overflow]), saturated: overflow };
}

/** VHADD, VRHADD, VHSUB: (x + y) >> 1, (x + y + 1) >> 1, (x - y) >> 1 without overflow, from the halves and the low bits. */
function halving(b: IRBuilder, size: number, unsigned: boolean, kind: 'add' | 'round' | 'sub', x: Temp, y: Temp): Temp {
  const shape = SHAPES[size];
  const half = (v: Temp): Temp => b.vop(`${shape}.shr_${sign(unsigned)}`, [v, b.i32(1)]);
  const lowBits = { add: 'v128.and', round: 'v128.or', sub: 'v128.andnot' }[kind];
  const carry = b.vop('v128.and', [kind === 'sub' ? b.vop(lowBits, [y, x]) : b.vop(lowBits, [x, y]), laneMask(b, size, 1n)]);
  const op = kind === 'sub' ? 'sub' : 'add';
  return b.vop(`${shape}.${op}`, [b.vop(`${shape}.${op}`, [half(x), half(y)]), carry]);
}

/** Lanes of both x and y the most negative value: where the doubling multiplies saturate. */
const bothMin = (b: IRBuilder, size: number, x: Temp, y: Temp): Temp => {
  const min = laneMask(b, size, signedMin(size));
  return b.vop('v128.and', [b.vop(`${SHAPES[size]}.eq`, [x, min]), b.vop(`${SHAPES[size]}.eq`, [y, min])]);
};

/** VQDMULH / VQRDMULH (`round`): the high half of 2xy (+ 2^(esize-1)), saturated; 16- or 32-bit lanes. */
function doublingHigh(b: IRBuilder, size: number, round: boolean, x: Temp, y: Temp): Saturated {
  const saturated = bothMin(b, size, x, y);
  if (size === 1 && round) return { value: b.vop('i16x8.q15mulr_sat_s', [x, y]), saturated };
  const esize = esizeOf(size);
  const wide = SHAPES[size + 1];
  // (2xy + r) >> esize is (xy + r/2) >> (esize - 1); only min * min overflows.
  const high = (half: 'low' | 'high'): Temp => {
    const p = b.vop(`${wide}.extmul_${half}_${SHAPES[size]}_s`, [x, y]);
    const rounded = round ? b.vop(`${wide}.add`, [p, laneMask(b, size + 1, 1n << BigInt(esize - 2))]) : p;
    return b.vop(`${wide}.shr_s`, [rounded, b.i32(esize - 1)]);
  };
  const lanes = 16 >> size;
  const packed = b.vop('i8x16.shuffle', [high('low'), high('high')], laneSelect(range(lanes, (i) => 2 * i), 1 << size));
  return { value: b.vop('v128.bitselect', [laneMask(b, size, signedMax(size)), packed, saturated]), saturated };
}

/** VQDMULL (and the product of VQDMLAL/VQDMLSL): 2xy of the low lanes of x and y widened, saturated. */
function doublingLong(b: IRBuilder, size: number, x: Temp, y: Temp): Saturated {
  const wide = SHAPES[size + 1];
  const p = b.vop(`${wide}.shl`, [b.vop(`${wide}.extmul_low_${SHAPES[size]}_s`, [x, y]), b.i32(1)]);
  const saturated = b.vop(`${wide}.extend_low_${SHAPES[size]}_s`, [bothMin(b, size, x, y)]);
  return { value: b.vop('v128.bitselect', [laneMask(b, size + 1, signedMax(size + 1)), p, saturated]), saturated };
}

/** VQDMULL, VQDMLAL, VQDMLSL (`a` = 1101, 1001, 1011) into Qd from the low lanes of x and y. */
function doublingLongForm(ctx: ArmContext, d: number, size: number, a: number, x: Temp, y: Temp): true {
  const b = ctx.b;
  const product = doublingLong(b, size, x, y);
  if (a === 0b1101) return writeSaturated(ctx, d, product, true);
  const sum = addSubSaturating(b, size + 1, false, a === 0b1011, vec(ctx, d, true), product.value);
  noteSaturation(ctx, product.saturated);
  return writeSaturated(ctx, d, sum, true);
}

/**
 * Lanes of size + 1 narrowed to `size` with saturation: a signed source clamped to the result's
 * range, an unsigned one (whose result is unsigned) saturating where its high half is not zero.
 */
function narrowSaturating(b: IRBuilder, size: number, v: Temp, sourceUnsigned: boolean, resultUnsigned: boolean): Saturated {
  const wide = SHAPES[size + 1];
  const esize = esizeOf(size);
  const hi = laneMask(b, size + 1, resultUnsigned ? (1n << BigInt(esize)) - 1n : signedMax(size));
  if (sourceUnsigned) {
    const above = b.vop(`${wide}.ne`, [b.vop(`${wide}.shr_u`, [v, b.i32(esize)]), b.v128(new Uint8Array(16))]);
    return { value: narrow(b, b.vop('v128.bitselect', [hi, v, above]), size), saturated: above };
  }
  const lo = laneMask(b, size + 1, resultUnsigned ? 0n : signedMin(size));
  const above = b.vop(`${wide}.gt_s`, [v, hi]);
  const below = b.vop(`${wide}.lt_s`, [v, lo]);
  const clamped = b.vop('v128.bitselect', [lo, b.vop('v128.bitselect', [hi, v, above]), below]);
  return { value: narrow(b, clamped, size), saturated: b.vop('v128.or', [above, below]) };
}

/** VQSHL / VQSHLU by immediate: `v` shifted left by 0..esize-1, saturated where bits were lost. */
function shiftLeftSaturating(b: IRBuilder, size: number, v: Temp, n: number, sourceUnsigned: boolean, resultUnsigned: boolean): Saturated {
  const shape = SHAPES[size];
  const shifted = b.vop(`${shape}.shl`, [v, b.i32(n)]);
  const lost = b.vop(`${shape}.ne`, [b.vop(`${shape}.shr_${sign(sourceUnsigned)}`, [shifted, b.i32(n)]), v]);
  if (sourceUnsigned === resultUnsigned) {
    const bound = resultUnsigned ? laneMask(b, size, -1n) : signedBound(b, size, v);
    return { value: b.vop('v128.bitselect', [bound, shifted, lost]), saturated: lost };
  }
  // VQSHLU: a negative lane gives 0; a positive one all ones when bits were lost.
  const negative = topMask(b, size, v);
  const unsignedLost = b.vop(`${shape}.ne`, [b.vop(`${shape}.shr_u`, [shifted, b.i32(n)]), v]);
  const value = b.vop('v128.andnot', [b.vop('v128.bitselect', [laneMask(b, size, -1n), shifted, unsignedLost]), negative]);
  return { value, saturated: b.vop('v128.or', [negative, unsignedLost]) };
}

/** A7.4.1 three registers of the same length: VQADD, VQSUB, VHADD, VRHADD, VHSUB, VQDMULH, VQRDMULH, the shifts by register. */
function threeSame(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  const x = (): Temp => vec(ctx, f.n, f.q);
  const y = (): Temp => vec(ctx, f.m, f.q);
  switch ((bits(insn, 11, 8) << 1) | bits(insn, 4, 4)) {
    case 0b00001:
    case 0b00101: // VQADD VQSUB
      return writeSaturated(ctx, f.d, addSubSaturating(b, f.size, f.u, bits(insn, 9, 9) === 1, x(), y()), f.q);
    case 0b00000:
    case 0b00010:
    case 0b00100: {
      // VHADD VRHADD VHSUB
      const kind = (['add', 'round', 'sub'] as const)[bits(insn, 11, 8)]!;
      return f.size < 3 && write(ctx, f.d, halving(b, f.size, f.u, kind, x(), y()), f.q);
    }
    case 0b01000:
    case 0b01001:
    case 0b01010:
    case 0b01011: {
      // VSHL VQSHL VRSHL VQRSHL by register: Vm's lanes shifted by Vn's.
      const form = { unsigned: f.u, round: bits(insn, 8, 8) === 1, saturating: bits(insn, 4, 4) === 1 };
      const r = shiftByRegister(b, f.size, (f.q ? 16 : 8) >> f.size, form, x(), y());
      if (r.saturated) noteSaturatedIf(ctx, r.saturated);
      return write(ctx, f.d, r.value, f.q);
    }
    case 0b10110: // VQDMULH VQRDMULH
      return writeSaturated(ctx, f.d, doublingHigh(b, f.size, f.u, x(), y()), f.q);
    default:
      return false;
  }
}

/** A7.4.4 two registers and a shift amount: VRSHR, VRSRA, VQSHL(U), and the narrowing VRSHRN, VQ(R)SHR(U)N. */
function shiftImmediate(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  const { imm6, a, size, esize, right, left } = shiftFields(insn);
  const m = (): Temp => vec(ctx, f.m, f.q);
  switch (a) {
    case 0b0010: // VRSHR
      return write(ctx, f.d, shiftRight(b, size, m(), right, f.u, true), f.q);
    case 0b0011: // VRSRA
      return write(ctx, f.d, b.vop(`${SHAPES[size]}.add`, [vec(ctx, f.d, f.q), shiftRight(b, size, m(), right, f.u, true)]), f.q);
    case 0b0110:
    case 0b0111: // VQSHLU VQSHL
      return writeSaturated(ctx, f.d, shiftLeftSaturating(b, size, m(), left, a === 0b0111 && f.u, f.u), f.q);
    case 0b1000:
    case 0b1001: {
      // Qm's wide lanes shifted right by 1..esize (rounding when Q), then narrowed: VRSHRN keeps the
      // low halves, VQ(R)SHRUN takes signed lanes to unsigned, VQ(R)SHRN keeps U's signedness.
      const plain = a === 0b1000 && !f.u;
      if (plain && !f.q) return false; // VSHRN, in neon-simd.ts
      const sourceUnsigned = a === 0b1001 && f.u;
      const shifted = shiftRight(b, size + 1, vec(ctx, f.m, true), 2 * esize - imm6, sourceUnsigned, f.q);
      if (plain) return write(ctx, f.d, narrow(b, shifted, size), false);
      return writeSaturated(ctx, f.d, narrowSaturating(b, size, shifted, sourceUnsigned, f.u), false);
    }
    default:
      return false;
  }
}

/** A7.4.3 two registers and a scalar: VQDMULH, VQRDMULH (Q from bit 24), VQDMULL, VQDMLAL, VQDMLSL. */
function scalarForm(ctx: ArmContext, insn: number): boolean {
  const f = fieldsOf(insn);
  const a = bits(insn, 11, 8);
  const vm = bits(insn, 3, 0);
  const m = f.size === 1 ? vm & 7 : vm;
  const index = f.size === 1 ? (bits(insn, 5, 5) << 1) | (vm >> 3) : bits(insn, 5, 5);
  const k = (): Temp => dupLane(ctx, m, f.size, index);
  if (a === 0b1100 || a === 0b1101) {
    return writeSaturated(ctx, f.d, doublingHigh(ctx.b, f.size, a === 0b1101, vec(ctx, f.n, f.u), k()), f.u);
  }
  if (a === 0b0011 || a === 0b0111 || a === 0b1011) {
    return doublingLongForm(ctx, f.d, f.size, [0b1001, 0b1011, 0b1101][a >> 2]!, vec(ctx, f.n, false), k());
  }
  return false;
}

/** A7.4.2 three registers of different lengths: VQDMULL, VQDMLAL, VQDMLSL. */
function threeDiff(ctx: ArmContext, insn: number): boolean {
  const f = fieldsOf(insn);
  const a = bits(insn, 11, 8);
  if (a !== 0b1001 && a !== 0b1011 && a !== 0b1101) return false;
  return doublingLongForm(ctx, f.d, f.size, a, vec(ctx, f.n, false), vec(ctx, f.m, false));
}

/** A7.4.5 two registers, miscellaneous: VQABS, VQNEG, VQMOVN, VQMOVUN. */
function twoMisc(ctx: ArmContext, insn: number): boolean {
  const b = ctx.b;
  const f = fieldsOf(insn);
  const size = bits(insn, 19, 18);
  const a = bits(insn, 17, 16);
  const op = bits(insn, 10, 7);
  if (a === 0 && (op === 0b1110 || op === 0b1111)) {
    const v = vec(ctx, f.m, f.q);
    const saturated = b.vop(`${SHAPES[size]}.eq`, [v, laneMask(b, size, signedMin(size))]);
    const wrapped = b.vop(`${SHAPES[size]}.${op === 0b1110 ? 'abs' : 'neg'}`, [v]);
    const value = b.vop('v128.bitselect', [laneMask(b, size, signedMax(size)), wrapped, saturated]);
    return writeSaturated(ctx, f.d, { value, saturated }, f.q); // VQABS VQNEG
  }
  if (a === 2 && (op === 0b0101 || (op === 0b0100 && f.q))) {
    // VQMOVUN (0100, Q set), VQMOVN (0101, Q = unsigned).
    const unsigned = op === 0b0101 && f.q;
    return writeSaturated(ctx, f.d, narrowSaturating(b, size, vec(ctx, f.m, true), unsigned, op === 0b0100 || unsigned), false);
  }
  return false;
}

const CLASSES: Readonly<Record<ReturnType<typeof neonClass>, ((ctx: ArmContext, insn: number) => boolean) | undefined>> = {
  threeSame,
  shiftImmediate,
  scalarForm,
  threeDiff,
  twoMisc,
  modifiedImmediate: undefined,
  extract: undefined,
  tableLookup: undefined,
  dupScalar: undefined,
};

/**
 * Emits an accepted A32-form data-processing encoding's saturating, halving or rounding form as
 * inline vector IR; false (nothing emitted) for the others.
 */
export function inlineSaturating(ctx: ArmContext, insn: number): boolean {
  return CLASSES[neonClass(insn)]?.(ctx, insn) ?? false;
}
