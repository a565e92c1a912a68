/**
 * SHA-1 instructions as 32-bit scalar IR on v128 operands (ARM ARM SHA1C/P/M, SHA1H, SHA1SU0,
 * SHA1SU1; the same in A64 and A32/T32).
 */
import type { Temp } from '../ir/block';
import type { IRBuilder } from '../ir/builder';
import { choose, fromWords, majority, rol, sum, xor3, words, type Ternary } from './words';

/** The round functions of SHA1C, SHA1P and SHA1M, by their opcode 0..2. */
export const SHA1_FUNCTIONS: readonly Ternary[] = [choose, xor3, majority];

/** SHA1C/P/M: four rounds over X = `abcd` (a..d), e = `e`'s low word and W = `w` with the round's function. */
export function sha1Hash(b: IRBuilder, abcd: Temp, e: Temp, w: Temp, f: Ternary): Temp {
  const x = words(b, abcd);
  const ws = words(b, w);
  let y = words(b, e)[0]!;
  for (let i = 0; i < 4; i++) {
    y = sum(b, y, rol(b, x[0]!, 5), f(b, x[1]!, x[2]!, x[3]!), ws[i]!);
    x[1] = rol(b, x[1]!, 30);
    // <Y, X> = ROL(Y:X, 32)
    x.unshift(y);
    y = x.pop()!;
  }
  return fromWords(b, x);
}

/** SHA1H: ROL(the low word, 30), zero-extended. */
export const sha1h = (b: IRBuilder, n: Temp): Temp => fromWords(b, [rol(b, words(b, n)[0]!, 30)]);

/** SHA1SU0: (n<63:0> : d<127:64>) ^ d ^ m. */
export function sha1su0(b: IRBuilder, d: Temp, n: Temp, m: Temp): Temp {
  const [x, y, z] = [words(b, d), words(b, n), words(b, m)];
  const high = [x[2]!, x[3]!, y[0]!, y[1]!];
  return fromWords(
    b,
    high.map((word, i) => xor3(b, word, x[i]!, z[i]!)),
  );
}

/** SHA1SU1: T = d ^ (n >> 32), each word rotated by 1, the top one also ^ ROL(T<31:0>, 2). */
export function sha1su1(b: IRBuilder, d: Temp, n: Temp): Temp {
  const [x, y] = [words(b, d), words(b, n)];
  const t = [b.xor(x[0]!, y[1]!), b.xor(x[1]!, y[2]!), b.xor(x[2]!, y[3]!), x[3]!];
  return fromWords(b, [
    rol(b, t[0]!, 1),
    rol(b, t[1]!, 1),
    rol(b, t[2]!, 1),
    b.xor(rol(b, t[3]!, 1), rol(b, t[0]!, 2)),
  ]);
}
