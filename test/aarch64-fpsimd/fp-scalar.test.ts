/**
 * Scalar floating point against qemu-aarch64: every snippet runs on the same inputs (special float
 * patterns, random bits) under qemu and through tsemu (WebAssembly backend and IR interpreter), in
 * each FPCR rounding mode and with default-NaN and flush-to-zero, and must give the same V
 * registers, X registers, NZCV and FPSR IOC/DZC bits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FPSR_DZC, FPSR_IOC } from '../../src/translate/aarch64/insns/fp-soft';
import { EXECUTORS, describeMismatches, makeVecInputs, preassembleVec, runQemuVec, runTsemuVec } from './vector-differential';

const SNIPPETS: string[][] = [
  ...['fadd', 'fsub', 'fmul', 'fdiv', 'fmax', 'fmin', 'fmaxnm', 'fminnm', 'fnmul'].flatMap((op) => [
    [`${op} d0, d1, d2`],
    [`${op} s0, s1, s2`],
  ]),
  ...['fabs', 'fneg', 'fsqrt', 'fmov', 'frintn', 'frinta', 'frintp', 'frintm', 'frintz', 'frintx', 'frinti'].flatMap(
    (op) => [[`${op} d0, d1`], [`${op} s0, s1`]],
  ),
  ...['fmadd', 'fmsub', 'fnmadd', 'fnmsub'].flatMap((op) => [[`${op} d0, d1, d2, d3`], [`${op} s0, s1, s2, s3`]]),
  ['fcmp d1, d2'],
  ['fcmpe s1, s2'],
  ['fcmp d1, #0.0'],
  ['fcmpe s1, #0.0'],
  ['fccmp d1, d2, #4, eq'],
  ['fccmpe s1, s2, #9, lt'],
  ['fcsel d0, d1, d2, lt'],
  ['fcsel s0, s1, s2, hi'],
  ['fmov d0, #1.5'],
  ['fmov s0, #-0.125'],
  ['fmov d0, #31.0'],
  ['fmov x0, d1'],
  ['fmov w0, s1'],
  ['fmov d0, x1'],
  ['fmov s0, w1'],
  ['fmov x0, v1.d[1]'],
  ['fmov v0.d[1], x1'],
  ['fcvt d0, s1'],
  ['fcvt s0, d1'],
  ['fcvt h0, s1'],
  ['fcvt s0, h1'],
  ['fcvt d0, h1'],
  ['fcvt h0, d1'],
  ['scvtf d0, x1'],
  ['ucvtf s0, w1'],
  ['scvtf d0, w1'],
  ['ucvtf d0, x1'],
  ['scvtf s0, x1'],
  ['scvtf s0, x1, #16'],
  ['ucvtf d0, w1, #3'],
  ['fcvtzs x0, d1'],
  ['fcvtzu w0, s1'],
  ['fcvtzs w0, d1, #8'],
  ['fcvtzu x0, s1, #40'],
  ['fcvtns x0, d1'],
  ['fcvtnu w0, s1'],
  ['fcvtas x0, d1'],
  ['fcvtau w0, d1'],
  ['fcvtps x0, s1'],
  ['fcvtpu x0, d1'],
  ['fcvtms w0, d1'],
  ['fcvtmu w0, s1'],
  ['.inst 0x1e7e0020 // fjcvtzs w0, d1 (ARMv8.3 JSCVT, unknown to the v8.2 assembler)'],
];

const FPCRS: [string, number][] = [
  ['round to nearest', 0],
  ['round upward', 1 << 22],
  ['round downward', 2 << 22],
  ['round toward zero', 3 << 22],
  ['default NaN', 1 << 25],
  ['flush to zero', 1 << 24],
];

const FPSR_CHECKED = BigInt(FPSR_IOC | FPSR_DZC);
const FPSR_SLOT = 8 + 4 + 1;

describe.each(FPCRS)('scalar FP against qemu-aarch64, %s', (_name, fpcr) => {
  const inputs = makeVecInputs(24, fpcr);
  let want: bigint[][][] = [];
  beforeAll(async () => {
    preassembleVec(SNIPPETS);
    want = await runQemuVec(SNIPPETS, inputs);
  });
  it.each(SNIPPETS.map((s, i) => [s.join('; '), i] as const))('%s', (_text, i) => {
    const snippet = SNIPPETS[i]!;
    const mask = (rows: bigint[][]): bigint[][] =>
      rows.map((r) => r.map((v, k) => (k === FPSR_SLOT ? v & FPSR_CHECKED : v)));
    for (const [name, execute] of EXECUTORS) {
      const got = mask(runTsemuVec(snippet, inputs, execute));
      expect(describeMismatches([...snippet, `(${name})`], inputs, mask(want[i]!), got).slice(0, 5)).toEqual([]);
    }
  });
});
