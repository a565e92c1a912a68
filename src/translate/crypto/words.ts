/**
 * 32-bit scalar IR over the words of a v128 (the SHA-1 and SHA-256 instructions' operands) and
 * the rotations and sums the hash functions are made of.
 */
import type { Temp } from '../ir/block';
import type { IRBuilder } from '../ir/builder';

/** The four 32-bit words of `v`, least significant first. */
export const words = (b: IRBuilder, v: Temp): Temp[] =>
  [0, 1, 2, 3].map((lane) => b.vop('i32x4.extract_lane', [v], lane));

/** A v128 of the words `w` (missing ones 0). */
export function fromWords(b: IRBuilder, w: readonly Temp[]): Temp {
  let v = b.v128(new Uint8Array(16));
  w.forEach((word, lane) => (v = b.vop('i32x4.replace_lane', [v, word], lane)));
  return v;
}

export type Ternary = (b: IRBuilder, x: Temp, y: Temp, z: Temp) => Temp;
export const rol = (b: IRBuilder, x: Temp, n: number): Temp => b.binary('rotr', x, b.i32(32 - n));
/** `x` (i32 or i64) rotated right by `n`. */
export const ror = (b: IRBuilder, x: Temp, n: number): Temp => b.binary('rotr', x, b.imm(x, n));
export const xor3: Ternary = (b, x, y, z) => b.xor(b.xor(x, y), z);
export const sum = (b: IRBuilder, ...terms: Temp[]): Temp => terms.reduce((acc, t) => b.add(acc, t));
export const choose: Ternary = (b, x, y, z) => b.xor(b.and(b.xor(y, z), x), z);
export const majority: Ternary = (b, x, y, z) => b.or(b.and(x, y), b.and(b.or(x, y), z));
