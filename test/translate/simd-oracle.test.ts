/**
 * Every vector op of ir/simd.ts run by the interpreter and by V8's WebAssembly SIMD (the oracle
 * whose lane semantics the table adopts) on random and edge-value inputs; results must be equal.
 *
 * Where WebAssembly leaves a NaN result's bits nondeterministic (float arithmetic, rounding,
 * promotion and demotion) a NaN lane matches any NaN lane; everything else, including the bit-exact
 * float ops (abs, neg, pmin, pmax, lane moves), must match bit for bit.
 */
import { describe, expect, it } from 'vitest';
import type { Temp } from '../../src/translate/ir/block';
import type { IRBuilder } from '../../src/translate/ir/builder';
import type { ValType } from '../../src/translate/ir/ops';
import { SIMD_OPS } from '../../src/translate/ir/simd';
import { evaluate } from './ir-harness';
import { EDGE_INTS, Random, edgeFloat64, seedOf } from './random';
import { ARG_STRIDE, RESULT_AT, SIZE, simdOracle } from './wasm-oracle';

const TRIALS = 48;
const LANES: Record<string, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2, v128: 1 };
/** Float ops whose NaN results may carry any NaN bits. */
const NAN_NONDETERMINISTIC =
  /^f(32x4|64x2)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64x2_zero|promote_low_f32x4)$/;

/** +0, -0, 1, -1, +infinity, a quiet and a signalling NaN, as f32 and f64 bit patterns. */
const FEW_F32 = [0n, 0x80000000n, 0x3f800000n, 0xbf800000n, 0x7f800000n, 0x7fc00000n, 0x7f800001n];
const FEW_F64 = [0n, 1n << 63n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n,
  0x7ff8000000000000n, 0x7ff0000000000001n];

/** Random input bytes for a value of `type`: random bits, integer edges or float edge patterns. */
function randomInput(rng: Random, type: ValType): Uint8Array {
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
  // Shift counts: mostly in range, sometimes beyond the lane width.
  if (type === 'i32' && rng.below(2) === 0) view.setInt32(0, rng.below(140), true);
  return bytes.subarray(0, SIZE[type]);
}

/** The IR constant with exactly these bytes (floats through reinterpret, so NaN bits are kept). */
function constOf(b: IRBuilder, type: ValType, bytes: Uint8Array): Temp {
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

const littleEndian = (bytes: Uint8Array): bigint =>
  bytes.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);

/** Equal, or both NaN in every lane where they differ (for ops with nondeterministic NaN bits). */
function sameResult(name: string, type: ValType, a: bigint, b: bigint): boolean {
  if (a === b) return true;
  if (!NAN_NONDETERMINISTIC.test(name)) return false;
  const bits = name.startsWith('f32x4') && !name.includes('promote') ? 32 : 64;
  const width = type === 'v128' ? 128 : SIZE[type] * 8;
  const exp = bits === 32 ? 0x7f800000n : 0x7ff0000000000000n;
  const frac = bits === 32 ? 0x7fffffn : 0xfffffffffffffn;
  const isNaN = (x: bigint): boolean => (x & exp) === exp && (x & frac) !== 0n;
  for (let at = 0; at < width; at += bits) {
    const [x, y] = [BigInt.asUintN(bits, a >> BigInt(at)), BigInt.asUintN(bits, b >> BigInt(at))];
    if (x !== y && !(isNaN(x) && isNaN(y))) return false;
  }
  return true;
}

describe('vector ops against V8 WebAssembly SIMD', () => {
  for (const [name, op] of Object.entries(SIMD_OPS)) {
    it(name, () => {
      const rng = new Random(seedOf(name));
      const lanes = LANES[name.slice(0, name.indexOf('.'))]!;
      let oracle = op.imm ? undefined : simdOracle(op);
      const mismatches: string[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const lane =
          op.imm === 'lane'
            ? rng.below(lanes)
            : op.imm === 'shuffle'
              ? Uint8Array.from({ length: 16 }, () => rng.below(32))
              : undefined;
        if (op.imm) oracle = simdOracle(op, lane);
        const inputs = op.args.map((type) => randomInput(rng, type));
        inputs.forEach((bytes, i) => oracle!.memory.set(bytes, ARG_STRIDE * i));
        oracle!.run();
        const expected = littleEndian(oracle!.memory.slice(RESULT_AT, RESULT_AT + SIZE[op.result]));
        const actual = evaluate((b) =>
          b.vop(
            name,
            op.args.map((type, i) => constOf(b, type, inputs[i]!)),
            lane,
          ),
        );
        if (!sameResult(name, op.result, actual, expected)) {
          const args = inputs.map((x) => littleEndian(x).toString(16)).join(', ');
          mismatches.push(`(${args}${lane === undefined ? '' : `; lane ${lane}`}): ${actual.toString(16)} vs ${expected.toString(16)}`);
        }
      }
      expect(mismatches.slice(0, 3), `${mismatches.length} of ${TRIALS} trials differ (interpreter vs V8)`).toEqual([]);
    });
  }
});
