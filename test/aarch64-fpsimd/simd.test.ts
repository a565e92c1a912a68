/**
 * Advanced SIMD against qemu-aarch64: each snippet runs on the same V/X register inputs under qemu
 * and through tsemu (WebAssembly backend and IR interpreter) and must leave the same V0..V7,
 * X0..X3 and NZCV. FP snippets also run with directed rounding, flush-to-zero and default NaN, and
 * float arithmetic (not compares) must raise the same FPSR IOC/DZC bits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FPSR_DZC, FPSR_IOC } from '../../src/translate/aarch64/insns/fp-soft';
import { EXECUTORS, describeMismatches, makeVecInputs, preassembleVec, runQemuVec, runTsemuVec } from './vector-differential';

const INT_THREE_SAME = ['add', 'sub', 'mul', 'mla', 'mls', 'cmeq', 'cmgt', 'cmhi', 'cmge', 'cmhs', 'cmtst', 'umax', 'umin',
  'smax', 'smin', 'umaxp', 'uminp', 'smaxp', 'sminp', 'addp', 'sqadd', 'uqadd', 'sqsub', 'uqsub', 'sshl', 'ushl',
  'urhadd', 'srhadd', 'shadd', 'uhadd', 'shsub', 'uhsub', 'sabd', 'uabd', 'saba', 'uaba', 'srshl', 'urshl', 'sqshl',
  'uqshl', 'sqrshl', 'uqrshl'];
const NO_64 = new Set(['mul', 'mla', 'mls', 'umax', 'umin', 'smax', 'smin', 'umaxp', 'uminp', 'smaxp', 'sminp', 'urhadd',
  'srhadd', 'shadd', 'uhadd', 'shsub', 'uhsub', 'sabd', 'uabd', 'saba', 'uaba']);

const INT_SNIPPETS: string[][] = [
  ...INT_THREE_SAME.flatMap((op) =>
    ['16b', '8b', '8h', '4h', '4s', '2s', '2d']
      .filter((a) => !(a === '2d' && NO_64.has(op)))
      .map((a) => [`${op} v0.${a}, v1.${a}, v2.${a}`]),
  ),
  ['pmul v0.16b, v1.16b, v2.16b'],
  ...['sqdmulh', 'sqrdmulh'].flatMap((op) => ['8h', '4s'].map((a) => [`${op} v0.${a}, v1.${a}, v2.${a}`])),
  ...['and', 'bic', 'orr', 'orn', 'eor', 'bsl', 'bit', 'bif'].flatMap((op) => [[`${op} v0.16b, v1.16b, v2.16b`], [`${op} v0.8b, v1.8b, v2.8b`]]),
  ...['add', 'sub', 'cmeq', 'cmgt', 'cmhi', 'cmge', 'cmhs', 'cmtst', 'sshl', 'ushl', 'srshl', 'urshl'].map((op) => [`${op} d0, d1, d2`]),
  ...['sqadd', 'uqadd', 'sqsub', 'uqsub', 'sqshl', 'uqshl'].flatMap((op) => [[`${op} b0, b1, b2`], [`${op} s0, s1, s2`], [`${op} d0, d1, d2`]]),
  ['sqdmulh h0, h1, h2'],
  // two-register misc
  ...['16b', '8b', '8h', '4s', '2d'].flatMap((a) => ['abs', 'neg', 'cmeq', 'cmgt', 'cmge', 'cmle', 'cmlt', 'sqabs', 'sqneg', 'suqadd', 'usqadd']
    .map((op) => [['cmeq', 'cmgt', 'cmge', 'cmle', 'cmlt'].includes(op) ? `${op} v0.${a}, v1.${a}, #0` : `${op} v0.${a}, v1.${a}`])),
  ...['16b', '4h', '4s'].flatMap((a) => [[`cls v0.${a}, v1.${a}`], [`clz v0.${a}, v1.${a}`]]),
  ['cnt v0.16b, v1.16b'], ['cnt v0.8b, v1.8b'], ['not v0.16b, v1.16b'], ['rbit v0.8b, v1.8b'],
  ['rev16 v0.16b, v1.16b'], ['rev32 v0.8h, v1.8h'], ['rev32 v0.16b, v1.16b'], ['rev64 v0.4s, v1.4s'], ['rev64 v0.8b, v1.8b'],
  ...['8b', '4h', '2s'].flatMap((a) => {
    const wide = { '8b': '8h', '4h': '4s', '2s': '2d' }[a]!;
    const hi = { '8b': '16b', '4h': '8h', '2s': '4s' }[a]!;
    return ['xtn', 'sqxtn', 'uqxtn', 'sqxtun'].flatMap((op) => [[`${op} v0.${a}, v1.${wide}`], [`${op}2 v0.${hi}, v1.${wide}`]])
      .concat([[`saddlp v0.${wide.replace('8h', '4h').replace('4s', '2s').replace('2d', '1d')}, v1.${a}`], [`uaddlp v0.${wide}, v1.${hi}`],
        [`uadalp v0.${wide}, v1.${hi}`], [`sadalp v0.${wide}, v1.${hi}`], [`shll v0.${wide}, v1.${a}, #${{ '8b': 8, '4h': 16, '2s': 32 }[a]}`],
        [`shll2 v0.${wide}, v1.${hi}, #${{ '8b': 8, '4h': 16, '2s': 32 }[a]}`]]);
  }),
  ['abs d0, d1'], ['neg d0, d1'], ['cmeq d0, d1, #0'], ['cmlt d0, d1, #0'], ['sqxtn b0, h1'], ['uqxtn s0, d1'], ['sqxtun h0, s1'],
  // across lanes
  ...['addv', 'umaxv', 'uminv', 'smaxv', 'sminv', 'uaddlv', 'saddlv'].flatMap((op) =>
    ['16b', '8b', '8h', '4h', '4s'].map((a) => {
      const r = { '16b': 'b', '8b': 'b', '8h': 'h', '4h': 'h', '4s': 's' }[a]!;
      const wide = { b: 'h', h: 's', s: 'd' }[r]!;
      return [`${op} ${op.endsWith('lv') ? wide : r}0, v1.${a}`];
    }),
  ),
  ['addp d0, v1.2d'],
  // copy and immediates
  ['dup v0.16b, v1.b[5]'], ['dup v0.4h, v1.h[7]'], ['dup v0.2d, v1.d[1]'], ['dup v0.4s, w1'], ['dup v0.8b, w1'], ['dup v0.2d, x1'],
  ['ins v0.s[3], w1'], ['ins v0.d[1], x1'], ['ins v0.b[9], v1.b[15]'], ['mov v0.h[2], v1.h[6]'],
  ['umov w0, v1.b[7]'], ['umov w0, v1.h[3]'], ['umov w0, v1.s[3]'], ['umov x0, v1.d[1]'],
  ['smov w0, v1.b[7]'], ['smov x0, v1.h[3]'], ['smov x0, v1.s[3]'], ['dup b0, v1.b[3]'], ['mov d0, v1.d[1]'], ['mov s0, v1.s[2]'],
  ['movi v0.16b, #0xa5'], ['movi v0.8b, #0x3c'], ['movi v0.4s, #0x42, lsl #16'], ['movi v0.2d, #0xff00ff0000ffff00'],
  ['movi d0, #0xffff0000ffff0000'], ['movi v0.4h, #0x12, lsl #8'], ['movi v0.2s, #0x56, msl #8'], ['mvni v0.4s, #0x7, lsl #24'],
  ['mvni v0.8h, #0x80'], ['mvni v0.2s, #0x11, msl #16'], ['orr v0.4s, #0x1, lsl #8'], ['bic v0.8h, #0xff'], ['bic v0.2s, #0x3, lsl #24'],
  ['fmov v0.4s, #1.5'], ['fmov v0.2d, #-3.0'], ['fmov v0.2s, #0.25'],
  // shifts
  ...['16b', '8h', '4s', '2d', '8b', '2s'].flatMap((a) => {
    const max = { '16b': 8, '8b': 8, '8h': 16, '4s': 32, '2s': 32, '2d': 64 }[a]!;
    return [1, max >> 1, max].flatMap((s) => ['sshr', 'ushr', 'ssra', 'usra', 'srshr', 'urshr', 'srsra', 'ursra', 'sri']
      .map((op) => [`${op} v0.${a}, v1.${a}, #${s}`]))
      .concat([0, 1, max - 1].flatMap((s) => ['shl', 'sli', 'sqshl', 'uqshl', 'sqshlu'].map((op) => [`${op} v0.${a}, v1.${a}, #${s}`])));
  }),
  ...[['8b', '8h', '16b', 8], ['4h', '4s', '8h', 16], ['2s', '2d', '4s', 32]].flatMap(([n, w, h, max]) =>
    [1, 3, max as number].flatMap((s) => ['shrn', 'rshrn', 'sqshrn', 'uqshrn', 'sqrshrn', 'uqrshrn', 'sqshrun', 'sqrshrun']
      .flatMap((op) => [[`${op} v0.${n}, v1.${w}, #${s}`], [`${op}2 v0.${h}, v1.${w}, #${s}`]]))
      .concat([0, 3].flatMap((s) => [[`sshll v0.${w}, v1.${n}, #${s}`], [`ushll2 v0.${w}, v1.${h}, #${s}`]]))),
  ['sxtl v0.8h, v1.8b'], ['uxtl2 v0.2d, v1.4s'],
  ['sshr d0, d1, #63'], ['ushr d0, d1, #64'], ['shl d0, d1, #3'], ['sli d0, d1, #7'], ['sri d0, d1, #9'], ['ursra d0, d1, #5'],
  ['sqshl s0, s1, #5'], ['uqshrn h0, s1, #4'], ['sqrshrun b0, h1, #2'],
  // three different
  ...[['8b', '8h', '16b'], ['4h', '4s', '8h'], ['2s', '2d', '4s']].flatMap(([n, w, h]) =>
    ['saddl', 'uaddl', 'ssubl', 'usubl', 'smull', 'umull', 'smlal', 'umlal', 'smlsl', 'umlsl', 'sabdl', 'uabdl', 'sabal', 'uabal']
      .flatMap((op) => [[`${op} v0.${w}, v1.${n}, v2.${n}`], [`${op}2 v0.${w}, v1.${h}, v2.${h}`]])
      .concat(['saddw', 'uaddw', 'ssubw', 'usubw'].flatMap((op) => [[`${op} v0.${w}, v1.${w}, v2.${n}`], [`${op}2 v0.${w}, v1.${w}, v2.${h}`]]))
      .concat(['addhn', 'raddhn', 'subhn', 'rsubhn'].flatMap((op) => [[`${op} v0.${n}, v1.${w}, v2.${w}`], [`${op}2 v0.${h}, v1.${w}, v2.${w}`]]))),
  ...['sqdmull', 'sqdmlal', 'sqdmlsl'].flatMap((op) => [[`${op} v0.4s, v1.4h, v2.4h`], [`${op}2 v0.2d, v1.4s, v2.4s`]]),
  ['pmull v0.8h, v1.8b, v2.8b'], ['pmull2 v0.8h, v1.16b, v2.16b'],
  // by element
  ['mul v0.8h, v1.8h, v2.h[5]'], ['mul v0.2s, v1.2s, v2.s[3]'], ['mla v0.4s, v1.4s, v2.s[1]'], ['mls v0.4h, v1.4h, v2.h[7]'],
  ['smull v0.4s, v1.4h, v2.h[3]'], ['umlal2 v0.2d, v1.4s, v2.s[2]'], ['smlsl v0.4s, v1.4h, v2.h[1]'], ['sqdmulh v0.8h, v1.8h, v2.h[2]'],
  ['sqrdmulh v0.4s, v1.4s, v2.s[3]'],
  // permute, ext, table lookup
  ...['zip1', 'zip2', 'uzp1', 'uzp2', 'trn1', 'trn2'].flatMap((op) => ['16b', '8b', '8h', '4h', '4s', '2s', '2d'].map((a) => [`${op} v0.${a}, v1.${a}, v2.${a}`])),
  ['ext v0.16b, v1.16b, v2.16b, #3'], ['ext v0.8b, v1.8b, v2.8b, #7'], ['ext v0.16b, v1.16b, v2.16b, #15'],
  ['tbl v0.16b, {v1.16b}, v2.16b'], ['tbl v0.8b, {v1.16b, v2.16b}, v3.8b'], ['tbl v0.16b, {v1.16b, v2.16b, v3.16b}, v4.16b'],
  ['tbl v0.16b, {v4.16b, v5.16b, v6.16b, v7.16b}, v1.16b'], ['tbx v0.16b, {v1.16b, v2.16b}, v3.16b'], ['tbx v0.8b, {v1.16b}, v2.8b'],
  ['movi v2.16b, #0x1f', 'tbl v0.16b, {v1.16b, v2.16b}, v3.16b'],
];

const FP_THREE_SAME = ['fadd', 'fsub', 'fmul', 'fdiv', 'fmax', 'fmin', 'fmaxnm', 'fminnm', 'fmla', 'fmls', 'fabd', 'fmulx',
  'faddp', 'fmaxp', 'fminp', 'fmaxnmp', 'fminnmp', 'frecps', 'frsqrts', 'fcmeq', 'fcmge', 'fcmgt', 'facge', 'facgt'];
const FP_SNIPPETS: string[][] = [
  ...FP_THREE_SAME.flatMap((op) => ['4s', '2s', '2d'].map((a) => [`${op} v0.${a}, v1.${a}, v2.${a}`])),
  ...['fabd', 'fmulx', 'fcmeq', 'fcmge', 'fcmgt', 'facge', 'facgt', 'frecps', 'frsqrts'].flatMap((op) => [[`${op} d0, d1, d2`], [`${op} s0, s1, s2`]]),
  ...['fabs', 'fneg', 'fsqrt', 'frintn', 'frinta', 'frintp', 'frintm', 'frintz', 'frintx', 'frinti', 'fcvtzs', 'fcvtzu', 'fcvtns',
    'fcvtnu', 'fcvtas', 'fcvtau', 'fcvtps', 'fcvtms', 'scvtf', 'ucvtf'].flatMap((op) => ['4s', '2s', '2d'].map((a) => [`${op} v0.${a}, v1.${a}`])),
  ...['fcmeq', 'fcmge', 'fcmgt', 'fcmle', 'fcmlt'].flatMap((op) => [[`${op} v0.4s, v1.4s, #0.0`], [`${op} v0.2d, v1.2d, #0.0`], [`${op} d0, d1, #0.0`]]),
  ['fcvtzs d0, d1'], ['fcvtzu s0, s1'], ['fcvtns d0, d1'], ['fcvtas s0, s1'], ['scvtf d0, d1'], ['ucvtf s0, s1'],
  ['scvtf v0.4s, v1.4s, #7'], ['ucvtf v0.2d, v1.2d, #33'], ['fcvtzs v0.4s, v1.4s, #4'], ['fcvtzu v0.2d, v1.2d, #60'],
  ['fcvtzs s0, s1, #3'], ['scvtf d0, d1, #12'],
  ['fcvtn v0.2s, v1.2d'], ['fcvtn2 v0.4s, v1.2d'], ['fcvtl v0.2d, v1.2s'], ['fcvtl2 v0.2d, v1.4s'],
  ['fcvtn v0.4h, v1.4s'], ['fcvtl2 v0.4s, v1.8h'],
  ['fmaxv s0, v1.4s'], ['fminv s0, v1.4s'], ['fmaxnmv s0, v1.4s'], ['fminnmv s0, v1.4s'],
  ['faddp s0, v1.2s'], ['faddp d0, v1.2d'], ['fmaxp d0, v1.2d'], ['fminnmp s0, v1.2s'],
  ['fmul v0.4s, v1.4s, v2.s[3]'], ['fmla v0.2d, v1.2d, v2.d[1]'], ['fmls v0.2s, v1.2s, v2.s[0]'], ['fmulx v0.4s, v1.4s, v2.s[1]'],
  ['fmul d0, d1, v2.d[1]'], ['fmla s0, s1, v2.s[2]'],
  ['fcvtxn v0.2s, v1.2d'], ['fcvtxn2 v0.4s, v1.2d'], ['fcvtxn s0, d1'], ['frecpx d0, d1'], ['frecpx s0, s1'],
  ['frecpe v0.4s, v1.4s'], ['frsqrte v0.2d, v1.2d'], ['urecpe v0.4s, v1.4s'], ['ursqrte v0.2s, v1.2s'],
];

const FPSR_SLOT = 8 + 4 + 1;
const FP_COMPARE = /^(fcm|fac)/;

function check(snippets: string[][], fpcr: number, fpsrMask: (snippet: string[]) => bigint): void {
  const inputs = makeVecInputs(12, fpcr);
  let want: bigint[][][] = [];
  beforeAll(async () => {
    preassembleVec(snippets);
    want = await runQemuVec(snippets, inputs);
  });
  it.each(snippets.map((s, i) => [s.join('; '), i] as const))('%s', (_text, i) => {
    const snippet = snippets[i]!;
    const mask = fpsrMask(snippet);
    const masked = (rows: bigint[][]): bigint[][] => rows.map((r) => r.map((v, k) => (k === FPSR_SLOT ? v & mask : v)));
    for (const [name, execute] of EXECUTORS) {
      const got = masked(runTsemuVec(snippet, inputs, execute));
      expect(describeMismatches([...snippet, `(${name})`], inputs, masked(want[i]!), got).slice(0, 4)).toEqual([]);
    }
  });
}

const fpFlags = (s: string[]): bigint => (FP_COMPARE.test(s[0]!) ? 0n : BigInt(FPSR_IOC | FPSR_DZC));

describe('SIMD integer against qemu-aarch64', () => check(INT_SNIPPETS, 0, () => 0n));
describe.each([
  ['round to nearest', 0],
  ['round upward', 1 << 22],
  ['flush to zero', 1 << 24],
  ['default NaN', 1 << 25],
])('SIMD floating point against qemu-aarch64, %s', (_name, fpcr) => check(FP_SNIPPETS, fpcr, fpFlags));
