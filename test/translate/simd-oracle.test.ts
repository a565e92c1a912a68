/**
 * Every vector op of ir/simd.ts run by the interpreter and by V8's WebAssembly SIMD (the oracle
 * whose lane semantics the table adopts) on random and edge-value inputs; results must be equal.
 *
 * Where WebAssembly leaves a NaN result's bits nondeterministic (float arithmetic, rounding,
 * promotion and demotion) a NaN lane matches any NaN lane; everything else, including the bit-exact
 * float ops (abs, neg, pmin, pmax, lane moves), must match bit for bit.
 */
import { describe, expect, it } from 'vitest';
import type { ValType } from '../../src/translate/ir/ops';
import { SIMD_OPS } from '../../src/translate/ir/simd';
import { evaluate } from './ir-harness';
import { constOf, equalUpToNaNBits, littleEndian, randomInput } from './oracle-values';
import { Random, seedOf } from './random';
import { ARG_STRIDE, RESULT_AT, SIZE, simdOracle } from './wasm-oracle';

const TRIALS = 48;
const LANES: Record<string, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2, v128: 1 };
/** Float ops whose NaN results may carry any NaN bits. */
const NAN_NONDETERMINISTIC =
  /^f(32x4|64x2)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64x2_zero|promote_low_f32x4)$/;

/** Equal, or both NaN in every lane where they differ (for ops with nondeterministic NaN bits). */
function sameResult(name: string, type: ValType, a: bigint, b: bigint): boolean {
  if (a === b) return true;
  if (!NAN_NONDETERMINISTIC.test(name)) return false;
  const bits = name.startsWith('f32x4') && !name.includes('promote') ? 32 : 64;
  return equalUpToNaNBits(a, b, bits, SIZE[type] * 8);
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
