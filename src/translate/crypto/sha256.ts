/**
 * SHA-256 instructions as 32-bit scalar IR on v128 operands (ARM ARM SHA256H, SHA256H2,
 * SHA256SU0, SHA256SU1; the same in A64 and A32/T32).
 */
import type { Temp } from '../ir/block';
import type { IRBuilder } from '../ir/builder';
import { choose, fromWords, majority, ror, sum, xor3, words } from './words';

/** SHA256H (part1: the result is X) / SHA256H2 (Y): four rounds over X, Y and W. */
export function sha256Hash(b: IRBuilder, xv: Temp, yv: Temp, w: Temp, part1: boolean): Temp {
  const [x, y, ws] = [words(b, xv), words(b, yv), words(b, w)];
  for (let e = 0; e < 4; e++) {
    const sigma1 = xor3(b, ror(b, y[0]!, 6), ror(b, y[0]!, 11), ror(b, y[0]!, 25));
    const sigma0 = xor3(b, ror(b, x[0]!, 2), ror(b, x[0]!, 13), ror(b, x[0]!, 22));
    const t = sum(b, y[3]!, sigma1, choose(b, y[0]!, y[1]!, y[2]!), ws[e]!);
    const xTop = b.add(t, x[3]!);
    const yTop = sum(b, t, sigma0, majority(b, x[0]!, x[1]!, x[2]!));
    // <Y, X> = ROL(Y:X, 32): each half's top word moves into the bottom of the other.
    x.splice(3, 1);
    y.splice(3, 1);
    x.unshift(yTop);
    y.unshift(xTop);
  }
  return fromWords(b, part1 ? x : y);
}

/** SHA256SU0: T = n<31:0> : d<127:32>; each word's sigma0 plus d's word. */
export function sha256su0(b: IRBuilder, d: Temp, n: Temp): Temp {
  const x = words(b, d);
  const t = [x[1]!, x[2]!, x[3]!, words(b, n)[0]!];
  return fromWords(
    b,
    t.map((elt, e) => b.add(xor3(b, ror(b, elt, 7), ror(b, elt, 18), b.shrU(elt, b.i32(3))), x[e]!)),
  );
}

/** SHA256SU1: T0 = m<31:0> : n<127:32>; the first two results from m's top half, the last two from the first two. */
export function sha256su1(b: IRBuilder, d: Temp, n: Temp, m: Temp): Temp {
  const [x, y, z] = [words(b, d), words(b, n), words(b, m)];
  const t0 = [y[1]!, y[2]!, y[3]!, z[0]!];
  const sigma = (elt: Temp): Temp => xor3(b, ror(b, elt, 17), ror(b, elt, 19), b.shrU(elt, b.i32(10)));
  const result: Temp[] = [];
  for (let e = 0; e < 4; e++) result.push(sum(b, sigma(e < 2 ? z[e + 2]! : result[e - 2]!), x[e]!, t0[e]!));
  return fromWords(b, result);
}
