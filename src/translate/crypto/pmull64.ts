/**
 * The 128-bit carry-less product of two 64-bit polynomials (ARM ARM PolynomialMult; A64's PMULL
 * 1Q, A32's VMULL.P64), a helper working on the guest state: 32-bit carry-less products in plain
 * numbers.
 */
import type { Temp } from '../ir/block';
import type { IRBuilder } from '../ir/builder';
import { defineHelper } from '../ir/helpers';

/** Carry-less product of two 32-bit polynomials as [low, high] words. */
function clmul32(a: number, b: number): [number, number] {
  let [lo, hi] = [0, 0];
  for (let bit = 0; bit < 32; bit++) {
    if ((b >>> bit) & 1) {
      lo ^= a << bit;
      hi ^= bit === 0 ? 0 : a >>> (32 - bit);
    }
  }
  return [lo >>> 0, hi >>> 0];
}

/** State bytes d..d+15 = the product of the 64-bit values at state offsets n and m. */
const PMULL64 = defineHelper({
  name: 'pmull64',
  params: ['i32', 'i32', 'i32'],
  result: null,
  impl(h, d, n, m) {
    const base = h.stateBase >>> 0;
    const [a0, a1, b0, b1] = [Number(n), Number(n) + 4, Number(m), Number(m) + 4].map((at) =>
      h.view.getUint32(base + at, true),
    ) as [number, number, number, number];
    const [p0, p1, p2, p3] = [clmul32(a0, b0), clmul32(a0, b1), clmul32(a1, b0), clmul32(a1, b1)];
    // (a1 x^32 + a0)(b1 x^32 + b0) = p3 x^64 + (p1 + p2) x^32 + p0
    const words = [p0[0], p0[1] ^ p1[0] ^ p2[0], p3[0] ^ p1[1] ^ p2[1], p3[1]];
    words.forEach((word, i) => h.view.setUint32(base + Number(d) + 4 * i, word >>> 0, true));
  },
});

/** Emits the product of the doublewords at state offsets `n` and `m` into the 16 bytes at `d`. */
export function pmull64(b: IRBuilder, d: number, n: number, m: number): void {
  const args: Temp[] = [b.i32(d), b.i32(n), b.i32(m)];
  b.call(PMULL64, args);
}
