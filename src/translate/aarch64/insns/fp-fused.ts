/**
 * Exact fused multiply-add from wasm float ops (wasm has no fma), so FMADD and friends, which gcc
 * emits for every a * b + c, stay inline in the round-to-nearest fast path.
 *
 * Double precision follows Boldo and Melquiond, "Emulation of FMA and correctly-rounded sums:
 * proved algorithms using rounding to odd" (IEEE TC 2008): the product exactly as hi + lo (Dekker's
 * split), hi + c exactly as th + tl (2Sum), then RN(th + RO(tl + lo)). Single precision needs less:
 * the product of two singles is exact in double, and RO64(p + c) rounded to single is RN32(p + c).
 *
 * Both are exact only away from overflow and underflow of the intermediate terms; callers take the
 * reference helper when `ok` is 0.
 */
import type { Temp } from '../../ir/block';
import type { A64Context } from '../context';

interface FusedResult {
  value: Temp;
  /** i32 1 when `value` is the exactly rounded a * b + c. */
  ok: Temp;
}

/** s = RN(x + y) and the exact error x + y - s (Knuth's 2Sum, valid without overflow). */
function twoSum(ctx: A64Context, x: Temp, y: Temp): [Temp, Temp] {
  const b = ctx.b;
  const s = b.binary('fadd', x, y);
  const yv = b.binary('fsub', s, x);
  const xv = b.binary('fsub', s, yv);
  const err = b.binary('fadd', b.binary('fsub', x, xv), b.binary('fsub', y, yv));
  return [s, err];
}

/** x + y rounded to odd: RN, then one ulp toward the error when inexact with an even significand. */
function addRoundToOdd(ctx: A64Context, x: Temp, y: Temp): Temp {
  const b = ctx.b;
  const [s, err] = twoSum(ctx, x, y);
  const bits = b.convert('reinterpret', 'i64', s);
  const errBits = b.convert('reinterpret', 'i64', err);
  const zero = b.i64(0);
  const inexact = b.compare('ne', err, b.f64(0));
  const even = b.compare('eq', b.and(bits, b.i64(1)), zero);
  // Same signs: the exact value is further from zero, so the magnitude (bits) goes up.
  const sameSign = b.compare('ge_s', b.xor(bits, errBits), zero);
  const step = b.select(sameSign, b.i64(1), b.i64(-1));
  const adjusted = b.add(bits, b.select(b.and(inexact, even), step, zero));
  return b.convert('reinterpret', 'f64', adjusted);
}

/** Dekker's split of x into 26-bit halves hi + lo (valid for |x| < 2^995). */
function split(ctx: A64Context, x: Temp): [Temp, Temp] {
  const b = ctx.b;
  const t = b.binary('fmul', x, b.f64(134217729));
  const hi = b.binary('fsub', t, b.binary('fsub', t, x));
  return [hi, b.binary('fsub', x, hi)];
}

function isFinite(ctx: A64Context, x: Temp): Temp {
  const t = ctx.b.binary('fsub', x, x);
  return ctx.b.compare('eq', t, t);
}

/** RN64(a * b + c) for doubles. */
export function fusedMulAddF64(ctx: A64Context, a: Temp, b64: Temp, c: Temp): FusedResult {
  const b = ctx.b;
  const p = b.binary('fmul', a, b64);
  const [ah, al] = split(ctx, a);
  const [bh, bl] = split(ctx, b64);
  // Exact product error: p + lo == a * b.
  const lo = b.binary(
    'fadd',
    b.binary('fadd', b.binary('fadd', b.binary('fsub', b.binary('fmul', ah, bh), p), b.binary('fmul', ah, bl)), b.binary('fmul', al, bh)),
    b.binary('fmul', al, bl),
  );
  const [th, tl] = twoSum(ctx, c, p);
  const general = b.binary('fadd', th, addRoundToOdd(ctx, tl, lo));
  // A zero factor makes the product an exact signed zero: the sum alone rounds.
  const zeroFactor = b.or(b.compare('eq', a, b.f64(0)), b.compare('eq', b64, b.f64(0)));
  const value = b.select(zeroFactor, b.binary('fadd', p, c), general);
  // Splits must neither overflow nor lose bits to the subnormal range.
  const normalSized = (x: Temp): Temp => {
    const m = b.unary('fabs', x);
    return b.and(b.compare('fge', m, b.f64(2 ** -960)), b.compare('flt', m, b.f64(2 ** 995)));
  };
  const small = (x: Temp): Temp => b.compare('flt', b.unary('fabs', x), b.f64(2 ** 995));
  const absP = b.unary('fabs', p);
  const productInRange = b.and(b.compare('fge', absP, b.f64(2 ** -900)), b.compare('flt', absP, b.f64(2 ** 1000)));
  const generalOk = b.and(b.and(normalSized(a), normalSized(b64)), b.and(productInRange, small(c)));
  const ok = b.and(b.or(zeroFactor, generalOk), isFinite(ctx, value));
  return { value, ok };
}

/** RN32(a * b + c) for singles, through a double product and a sum rounded to odd. */
export function fusedMulAddF32(ctx: A64Context, a: Temp, b32: Temp, c: Temp): FusedResult {
  const b = ctx.b;
  const widen = (x: Temp): Temp => b.convert('fpromote', 'f64', x);
  const p = b.binary('fmul', widen(a), widen(b32));
  const value = b.convert('fdemote', 'f32', addRoundToOdd(ctx, p, widen(c)));
  const t = b.binary('fsub', value, value);
  return { value, ok: b.compare('eq', t, t) };
}

/**
 * Lane-wise fused multiply-add of f32x4 or f64x2 vectors, each lane through the scalar emulation;
 * a lane the emulation cannot do exactly comes out as NaN, which sends the caller's finiteness
 * check to the reference helper.
 */
export function fusedMulAddLanes(ctx: A64Context, shape: 'f32x4' | 'f64x2', a: Temp, b: Temp, c: Temp): Temp {
  const ir = ctx.b;
  const single = shape === 'f32x4';
  const fused = single ? fusedMulAddF32 : fusedMulAddF64;
  let out = c;
  for (let lane = 0; lane < (single ? 4 : 2); lane++) {
    const [x, y, z] = [a, b, c].map((v) => ir.vop(`${shape}.extract_lane`, [v], lane)) as [Temp, Temp, Temp];
    const r = fused(ctx, x, y, z);
    const nan = single ? ir.f32(NaN) : ir.f64(NaN);
    out = ir.vop(`${shape}.replace_lane`, [out, ir.select(r.ok, r.value, nan)], lane);
  }
  return out;
}
