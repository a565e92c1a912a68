/**
 * Test support for the V8 oracle tests: random argument bytes of each value type, the IR constant
 * holding exactly those bytes, and result comparison that accepts any NaN where WebAssembly leaves
 * NaN bits nondeterministic.
 */
import type { Temp } from '../../src/translate/ir/block';
import type { IRBuilder } from '../../src/translate/ir/builder';
import type { ValType } from '../../src/translate/ir/ops';
import { EDGE_INTS, Random, edgeFloat64 } from './random';
import { SIZE } from './wasm-oracle';

/** +0, -0, 1, -1, +infinity, a quiet and a signalling NaN, as f32 and f64 bit patterns. */
const FEW_F32 = [0n, 0x80000000n, 0x3f800000n, 0xbf800000n, 0x7f800000n, 0x7fc00000n, 0x7f800001n];
const FEW_F64 = [0n, 1n << 63n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n,
  0x7ff8000000000000n, 0x7ff0000000000001n];

/** Random bytes for a value of `type`: random bits, integer edges or float edge patterns. */
export function randomInput(rng: Random, type: ValType): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  if (rng.below(4) === 0) {
    // Lanes from a few values, so equal operands and +0/-0 pairs meet often.
    const [bits, values] = rng.below(2) === 0 ? [32, FEW_F32] : [64, FEW_F64];
    for (let at = 0; at < 16; at += bits / 8) {
      if (bits === 32) view.setUint32(at, Number(rng.pick(values)), true);
      else view.setBigUint64(at, rng.pick(values), true);
    }
  } else {
    for (const half of [0, 8]) {
      const choice = rng.below(3);
      const v = choice === 0 ? rng.u64() : choice === 1 ? edgeFloat64(rng) : rng.pick(EDGE_INTS);
      view.setBigUint64(half, v, true);
    }
  }
  // Small integers too: shift counts in and beyond range, small divisors.
  if ((type === 'i32' || type === 'i64') && rng.below(3) === 0) view.setInt32(0, rng.below(140) - 4, true);
  return bytes.slice(0, SIZE[type]);
}

/** The IR constant with exactly these bytes (floats through reinterpret, so NaN bits are kept). */
export function constOf(b: IRBuilder, type: ValType, bytes: Uint8Array): Temp {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (type) {
    case 'i32':
      return b.i32(view.getInt32(0, true));
    case 'i64':
      return b.i64(view.getBigUint64(0, true));
    case 'f32':
      return b.convert('reinterpret', 'f32', b.i32(view.getInt32(0, true)));
    case 'f64':
      return b.convert('reinterpret', 'f64', b.i64(view.getBigUint64(0, true)));
    case 'v128':
      return b.v128(bytes);
  }
}

export const littleEndian = (bytes: Uint8Array): bigint =>
  bytes.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);

/** Equal, or NaN on both sides in every float lane of `bits` where the values differ. */
export function equalUpToNaNBits(a: bigint, b: bigint, bits: 32 | 64, width: number): boolean {
  const exp = bits === 32 ? 0x7f800000n : 0x7ff0000000000000n;
  const frac = bits === 32 ? 0x7fffffn : 0xfffffffffffffn;
  const isNaN = (x: bigint): boolean => (x & exp) === exp && (x & frac) !== 0n;
  for (let at = 0; at < width; at += bits) {
    const [x, y] = [BigInt.asUintN(bits, a >> BigInt(at)), BigInt.asUintN(bits, b >> BigInt(at))];
    if (x !== y && !(isNaN(x) && isNaN(y))) return false;
  }
  return true;
}
