/**
 * Vector cryptographic helpers of Power ISA 2.07 (Book I 5.11): vshasigmaw and vshasigmad, the
 * SHA-256 and SHA-512 sigma functions per element. ST picks the message schedule's lower-case
 * sigmas (0) or the compression's upper-case ones (1); bit i of SIX picks sigma 0 or 1 for word
 * element i (doubleword element i uses bit 2i). And vpmsum{b,h,w,d} (5.11.1), the polynomial
 * (carry-less) multiply-sum CRC folding uses.
 */
import type { Temp } from '../../ir/block';
import { defineHelper } from '../../ir/helpers';
import type { PpcContext, PpcHandler } from '../context';
import { lane } from '../lanes';
import { bits } from './forms';

/** [rotate, rotate, rotate-or-shift] amounts; the third is a shift where `shift` is set. */
interface Sigma {
  amounts: readonly [number, number, number];
  shift: boolean;
}
/** Indexed by [ST][sigma 0 or 1] (FIPS 180-4 4.1.2, 4.1.3). */
const WORD_SIGMAS: readonly (readonly [Sigma, Sigma])[] = [
  [
    { amounts: [7, 18, 3], shift: true },
    { amounts: [17, 19, 10], shift: true },
  ],
  [
    { amounts: [2, 13, 22], shift: false },
    { amounts: [6, 11, 25], shift: false },
  ],
];
const DOUBLEWORD_SIGMAS: readonly (readonly [Sigma, Sigma])[] = [
  [
    { amounts: [1, 8, 7], shift: true },
    { amounts: [19, 61, 6], shift: true },
  ],
  [
    { amounts: [28, 34, 39], shift: false },
    { amounts: [14, 18, 41], shift: false },
  ],
];

function sigma(ctx: PpcContext, shape: 'i32x4' | 'i64x2', v: Temp, s: Sigma): Temp {
  const b = ctx.b;
  const width = shape === 'i32x4' ? 32 : 64;
  const shr = (n: number): Temp => b.vop(`${shape}.shr_u`, [v, b.i32(n)]);
  const rotr = (n: number): Temp => b.vop('v128.or', [shr(n), b.vop(`${shape}.shl`, [v, b.i32(width - n)])]);
  const [r1, r2, r3] = s.amounts;
  return b.vop('v128.xor', [b.vop('v128.xor', [rotr(r1), rotr(r2)]), s.shift ? shr(r3) : rotr(r3)]);
}

const shaSigma =
  (shape: 'i32x4' | 'i64x2'): PpcHandler =>
  (ctx, f) => {
    const count = shape === 'i32x4' ? 4 : 2;
    const size = 16 / count;
    const [sigma0, sigma1] = (shape === 'i32x4' ? WORD_SIGMAS : DOUBLEWORD_SIGMAS)[f.st]!;
    const v = ctx.v(f.vra);
    // All-ones bytes in the lanes of the elements whose SIX bit asks for sigma 1.
    const mask = new Uint8Array(16);
    for (let i = 0; i < count; i++) {
      const sixBit = (f.six >> (3 - (i * 4) / count)) & 1;
      if (sixBit) mask.fill(0xff, lane(count as 2 | 4, i) * size, (lane(count as 2 | 4, i) + 1) * size);
    }
    const b = ctx.b;
    ctx.setV(f.vrt, b.vop('v128.bitselect', [sigma(ctx, shape, v, sigma1), sigma(ctx, shape, v, sigma0), b.v128(mask)]));
    return true;
  };

/** The carry-less product of two polynomials over GF(2). */
function clmul(a: bigint, b: bigint): bigint {
  let r = 0n;
  for (let i = 0n; b >> i; i++) if ((b >> i) & 1n) r ^= a << i;
  return r;
}

/**
 * One doubleword of vpmsum's result (`low` 0: doubleword element 0): each even-odd pair of
 * `bytes`-sized elements of VRA and VRB gives the XOR of the two carry-less products, an element of
 * twice the size in the pair's place.
 */
const polynomialMultiplySum = defineHelper({
  name: 'ppc64_vpmsum',
  params: ['i64', 'i64', 'i64', 'i64', 'i32', 'i32'],
  result: 'i64',
  impl: (_ctx, aHigh, aLow, bHigh, bLow, bytes, low) => {
    const quad = (high: bigint, lowHalf: bigint): bigint =>
      (BigInt.asUintN(64, high) << 64n) | BigInt.asUintN(64, lowHalf);
    const a = quad(aHigh as bigint, aLow as bigint);
    const b = quad(bHigh as bigint, bLow as bigint);
    const width = BigInt((bytes as number) * 8);
    const mask = (1n << width) - 1n;
    let r = 0n;
    for (let shift = 0n; shift < 128n; shift += 2n * width) {
      const at = (v: bigint, s: bigint): bigint => (v >> s) & mask;
      r |= (clmul(at(a, shift + width), at(b, shift + width)) ^ clmul(at(a, shift), at(b, shift))) << shift;
    }
    return BigInt.asUintN(64, low ? r : r >> 64n);
  },
});
const vpmsum =
  (bytes: 1 | 2 | 4 | 8): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [va, vb] = [ctx.v(f.vra), ctx.v(f.vrb)];
    // Doubleword element 0 is i64x2 lane 1.
    const half = (v: Temp, l: number): Temp => b.vop('i64x2.extract_lane', [v], l);
    const args = [half(va, 1), half(va, 0), half(vb, 1), half(vb, 0), b.i32(bytes)];
    const [high, low] = [0, 1].map((l) => b.call(polynomialMultiplySum, [...args, b.i32(l)])!);
    ctx.setV(f.vrt, b.vop('i64x2.replace_lane', [b.vop('i64x2.splat', [low!]), high!], 1));
    return true;
  };

const SHA = (xo: number): string => `000100 vrt:5 vra:5 st:1 six:4 ${bits(xo, 11)}`;
const VX = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 ${bits(xo, 11)}`;

export const VECTOR_CRYPTO_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  [SHA(1666), 'vshasigmaw', shaSigma('i32x4')],
  [SHA(1730), 'vshasigmad', shaSigma('i64x2')],
  [VX(1032), 'vpmsumb', vpmsum(1)],
  [VX(1096), 'vpmsumh', vpmsum(2)],
  [VX(1160), 'vpmsumw', vpmsum(4)],
  [VX(1224), 'vpmsumd', vpmsum(8)],
];
