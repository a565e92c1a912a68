/**
 * Vector arithmetic on the whole register as one unsigned quadword (Power ISA 2.07 Book I 6.9.1):
 * vadduqm, vaddeuqm and the carry-outs vaddcuq, vaddecuq, the subtractions vsubuqm, vsubeuqm,
 * vsubcuq, vsubecuq, and the word carry-outs vaddcuw, vsubcuw. Go's P-256 and big-number code chain
 * these for multi-precision arithmetic.
 *
 * Everything is one add with carry: a - b is a + ~b + 1, and the extended forms take the carry-in
 * from bit 127 (the least significant bit) of VRC. A carry-out is the quadword 0 or 1.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { bits } from './forms';
import { dword, fromDwords } from './vsx-load-store';

/** a + b + carryIn (i64 0 or 1) as 128-bit numbers: the doublewords of the sum and the carry-out. */
function addWithCarry(ctx: PpcContext, a: Temp, c: Temp, carryIn: Temp): { high: Temp; low: Temp; carry: Temp } {
  const b = ctx.b;
  // One doubleword: the sum wraps below either addend exactly when it carries.
  const step = (x: Temp, y: Temp, cin: Temp): [Temp, Temp] => {
    const partial = b.add(x, y);
    const sum = b.add(partial, cin);
    const carry = b.or(b.compare('lt_u', partial, x), b.compare('lt_u', sum, partial));
    return [sum, b.zext(carry)];
  };
  const [low, middle] = step(dword(ctx, a, 1), dword(ctx, c, 1), carryIn);
  const [high, carry] = step(dword(ctx, a, 0), dword(ctx, c, 0), middle);
  return { high, low, carry };
}

/**
 * The quadword operation: `subtract` adds ~VRB; `extended` takes the carry-in from VRC, else it is
 * 0 (1 for subtract).
 */
const quad =
  (subtract: boolean, extended: boolean, carryOut: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const second = subtract ? b.vop('v128.not', [ctx.v(f.vrb)]) : ctx.v(f.vrb);
    const carryIn = extended ? b.and(dword(ctx, ctx.v(f.vrc), 1), b.i64(1)) : b.i64(subtract ? 1 : 0);
    const r = addWithCarry(ctx, ctx.v(f.vra), second, carryIn);
    ctx.setV(f.vrt, carryOut ? fromDwords(ctx, b.i64(0), r.carry) : fromDwords(ctx, r.high, r.low));
    return true;
  };

/** vaddcuw: the carry out of each word sum (it wraps below VRA); vsubcuw: no borrow (VRA >= VRB unsigned). */
const wordCarry =
  (subtract: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [a, c] = [ctx.v(f.vra), ctx.v(f.vrb)];
    const mask = subtract ? b.vop('i32x4.ge_u', [a, c]) : b.vop('i32x4.lt_u', [b.vop('i32x4.add', [a, c]), a]);
    ctx.setV(f.vrt, b.vop('i32x4.shr_u', [mask, b.i32(31)]));
    return true;
  };

const VX = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 ${bits(xo, 11)}`;
const VA = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 vrc:5 ${bits(xo, 6)}`;

export const VECTOR_QUAD_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  [VX(256), 'vadduqm', quad(false, false, false)],
  [VX(320), 'vaddcuq', quad(false, false, true)],
  [VA(60), 'vaddeuqm', quad(false, true, false)],
  [VA(61), 'vaddecuq', quad(false, true, true)],
  [VX(1280), 'vsubuqm', quad(true, false, false)],
  [VX(1344), 'vsubcuq', quad(true, false, true)],
  [VA(62), 'vsubeuqm', quad(true, true, false)],
  [VA(63), 'vsubecuq', quad(true, true, true)],
  [VX(384), 'vaddcuw', wordCarry(false)],
  [VX(1408), 'vsubcuw', wordCarry(true)],
];
