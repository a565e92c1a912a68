/**
 * The scalar IR ops that are single WebAssembly instructions, run by the interpreter and by V8's
 * WebAssembly on random and edge-value inputs; results must be equal (any NaN matching any NaN where
 * WebAssembly leaves NaN bits nondeterministic). The opcodes are written out here from the
 * WebAssembly specification rather than taken from the backend, so the oracle shares nothing with
 * the code it checks. Division and remainder inputs on which WebAssembly traps are skipped: the IR
 * defines those cases itself (see interpreter.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Temp } from '../../src/translate/ir/block';
import type { IRBuilder } from '../../src/translate/ir/builder';
import type { ValType } from '../../src/translate/ir/ops';
import { evaluate } from './ir-harness';
import { constOf, equalUpToNaNBits, littleEndian, randomInput } from './oracle-values';
import { Random, seedOf } from './random';
import { ARG_STRIDE, RESULT_AT, SIZE, wasmOracle } from './wasm-oracle';

const TRIALS = 200;

interface Case {
  name: string;
  args: ValType[];
  result: ValType;
  opcode: number[];
  build: (b: IRBuilder, args: Temp[]) => Temp;
  /** NaN results may carry any NaN bits. */
  anyNaN?: boolean;
}

const cases: Case[] = [];
const INT_WIDTHS = [
  ['i32', 0],
  ['i64', 1],
] as const;

// Integer binary ops in opcode order from i32.add (0x6a) / i64.add (0x7c).
const INT_BINARY = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'] as const;
for (const [t, i] of INT_WIDTHS) {
  INT_BINARY.forEach((op, k) =>
    cases.push({ name: `${t}.${op}`, args: [t, t], result: t, opcode: [[0x6a, 0x7c][i]! + k], build: (b, [x, y]) => b.binary(op, x!, y!) }),
  );
  (['clz', 'ctz', 'popcnt'] as const).forEach((op, k) =>
    cases.push({ name: `${t}.${op}`, args: [t], result: t, opcode: [[0x67, 0x79][i]! + k], build: (b, [x]) => b.unary(op, x!) }),
  );
  (['sext8', 'sext16'] as const).forEach((op, k) =>
    cases.push({ name: `${t}.${op}`, args: [t], result: t, opcode: [[0xc0, 0xc2][i]! + k], build: (b, [x]) => b.unary(op, x!) }),
  );
  (['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'] as const).forEach((op, k) =>
    cases.push({ name: `${t}.${op}`, args: [t, t], result: 'i32', opcode: [[0x46, 0x51][i]! + k], build: (b, [x, y]) => b.compare(op, x!, y!) }),
  );
}
cases.push({ name: 'i64.sext32', args: ['i64'], result: 'i64', opcode: [0xc4], build: (b, [x]) => b.unary('sext32', x!) });

const FLOAT_WIDTHS = [
  ['f32', 0],
  ['f64', 1],
] as const;
for (const [t, i] of FLOAT_WIDTHS) {
  (['fabs', 'fneg', 'fceil', 'ffloor', 'ftruncf', 'fnearest', 'fsqrt'] as const).forEach((op, k) =>
    cases.push({
      name: `${t}.${op}`,
      args: [t],
      result: t,
      opcode: [[0x8b, 0x99][i]! + k],
      build: (b, [x]) => b.unary(op, x!),
      anyNaN: op !== 'fabs' && op !== 'fneg',
    }),
  );
  (['fadd', 'fsub', 'fmul', 'fdiv', 'fmin', 'fmax', 'fcopysign'] as const).forEach((op, k) =>
    cases.push({
      name: `${t}.${op}`,
      args: [t, t],
      result: t,
      opcode: [[0x92, 0xa0][i]! + k],
      build: (b, [x, y]) => b.binary(op, x!, y!),
      anyNaN: op !== 'fcopysign',
    }),
  );
  (['eq', 'ne', 'flt', 'fgt', 'fle', 'fge'] as const).forEach((op, k) =>
    cases.push({ name: `${t}.${op}`, args: [t, t], result: 'i32', opcode: [[0x5b, 0x61][i]! + k], build: (b, [x, y]) => b.compare(op, x!, y!) }),
  );
}

type Conversion = Parameters<IRBuilder['convert']>[0];
const CONVERSIONS: [Conversion, ValType, ValType, number[]][] = [
  ['wrap', 'i64', 'i32', [0xa7]],
  ['sext', 'i32', 'i64', [0xac]],
  ['zext', 'i32', 'i64', [0xad]],
  ['ftrunc_s', 'f32', 'i32', [0xfc, 0x00]],
  ['ftrunc_u', 'f32', 'i32', [0xfc, 0x01]],
  ['ftrunc_s', 'f64', 'i32', [0xfc, 0x02]],
  ['ftrunc_u', 'f64', 'i32', [0xfc, 0x03]],
  ['ftrunc_s', 'f32', 'i64', [0xfc, 0x04]],
  ['ftrunc_u', 'f32', 'i64', [0xfc, 0x05]],
  ['ftrunc_s', 'f64', 'i64', [0xfc, 0x06]],
  ['ftrunc_u', 'f64', 'i64', [0xfc, 0x07]],
  ['fconv_s', 'i32', 'f32', [0xb2]],
  ['fconv_u', 'i32', 'f32', [0xb3]],
  ['fconv_s', 'i64', 'f32', [0xb4]],
  ['fconv_u', 'i64', 'f32', [0xb5]],
  ['fdemote', 'f64', 'f32', [0xb6]],
  ['fconv_s', 'i32', 'f64', [0xb7]],
  ['fconv_u', 'i32', 'f64', [0xb8]],
  ['fconv_s', 'i64', 'f64', [0xb9]],
  ['fconv_u', 'i64', 'f64', [0xba]],
  ['fpromote', 'f32', 'f64', [0xbb]],
  ['reinterpret', 'f32', 'i32', [0xbc]],
  ['reinterpret', 'f64', 'i64', [0xbd]],
  ['reinterpret', 'i32', 'f32', [0xbe]],
  ['reinterpret', 'i64', 'f64', [0xbf]],
];
for (const [op, from, to, opcode] of CONVERSIONS) {
  cases.push({
    name: `${op} ${from}>${to}`,
    args: [from],
    result: to,
    opcode,
    build: (b, [x]) => b.convert(op, to, x!),
    anyNaN: op === 'fdemote' || op === 'fpromote',
  });
}

describe('scalar ops against V8 WebAssembly', () => {
  for (const c of cases) {
    it(c.name, () => {
      const rng = new Random(seedOf(c.name));
      const oracle = wasmOracle(c.args, c.result, c.opcode);
      const mismatches: string[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const inputs = c.args.map((type) => randomInput(rng, type));
        inputs.forEach((bytes, i) => oracle.memory.set(bytes, ARG_STRIDE * i));
        try {
          oracle.run();
        } catch (e) {
          if (e instanceof WebAssembly.RuntimeError && /div|rem/.test(c.name)) continue;
          throw e;
        }
        const width = SIZE[c.result] * 8;
        const expected = littleEndian(oracle.memory.slice(RESULT_AT, RESULT_AT + SIZE[c.result]));
        const actual = evaluate((b) => c.build(b, c.args.map((type, i) => constOf(b, type, inputs[i]!))));
        const same = c.anyNaN ? equalUpToNaNBits(actual, expected, width as 32 | 64, width) : actual === expected;
        if (!same) {
          const args = inputs.map((x) => littleEndian(x).toString(16)).join(', ');
          mismatches.push(`(${args}): ${actual.toString(16)} vs ${expected.toString(16)}`);
        }
      }
      expect(mismatches.slice(0, 3), `${mismatches.length} of ${TRIALS} trials differ (interpreter vs V8)`).toEqual([]);
    });
  }
});
