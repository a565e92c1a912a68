/**
 * Decoding of FP/SIMD instructions, assembled by GNU as: each reaches the table row of its ARM ARM
 * encoding group, and encodings of features our ID registers do not advertise (crypto, SHA, FP16
 * arithmetic, 64-bit PMULL) stay undefined so the guest gets SIGILL.
 */
import { describe, expect, it } from 'vitest';
import { assembleWords, decodeWord } from '../aarch64-int/toolchain';

const ROWS: [string, string][] = [
  ['fadd d0, d1, d2', 'FP 2-source'],
  ['fsqrt s0, s1', 'FP 1-source'],
  ['fcvt h0, d1', 'FP 1-source'],
  ['fcmpe d0, #0.0', 'FCMP/FCMPE'],
  ['fccmp s0, s1, #0, ne', 'FCCMP/FCCMPE'],
  ['fcsel d0, d1, d2, ge', 'FCSEL'],
  ['fmov s0, #2.0', 'FMOV (scalar, immediate)'],
  ['fnmsub d0, d1, d2, d3', 'FMADD/FMSUB/FNMADD/FNMSUB'],
  ['fcvtzs x0, d1', 'FP<->integer conversion'],
  ['fmov x0, v1.d[1]', 'FP<->integer conversion'],
  ['scvtf s0, w1, #5', 'FP<->fixed-point conversion'],
  ['movi v0.2d, #0', 'SIMD modified immediate'],
  ['fmov v0.4s, #1.0', 'SIMD modified immediate'],
  ['dup v0.8h, w1', 'SIMD copy'],
  ['umov w0, v1.b[3]', 'SIMD copy'],
  ['mov d0, v1.d[1]', 'SIMD scalar DUP (element)'],
  ['ushr v0.4s, v1.4s, #3', 'SIMD shift by immediate'],
  ['uxtl v0.8h, v1.8b', 'SIMD shift by immediate'],
  ['shl d0, d1, #2', 'SIMD scalar shift by immediate'],
  ['bsl v0.16b, v1.16b, v2.16b', 'SIMD logical (three same)'],
  ['fmla v0.4s, v1.4s, v2.4s', 'SIMD FP three same'],
  ['uqadd v0.8h, v1.8h, v2.8h', 'SIMD integer three same'],
  ['fabd d0, d1, d2', 'SIMD scalar FP three same'],
  ['cmhi d0, d1, d2', 'SIMD scalar integer three same'],
  ['umull2 v0.4s, v1.8h, v2.8h', 'SIMD three different'],
  ['fmla v0.2d, v1.2d, v2.d[1]', 'SIMD vector x indexed element'],
  ['fmul s0, s1, v2.s[3]', 'SIMD scalar x indexed element'],
  ['cnt v0.16b, v1.16b', 'SIMD two-register misc'],
  ['fcvtzs d0, d1', 'SIMD scalar two-register misc'],
  ['uminv b0, v1.16b', 'SIMD across lanes'],
  ['addp d0, v1.2d', 'SIMD scalar pairwise'],
  ['zip2 v0.4s, v1.4s, v2.4s', 'SIMD permute (ZIP/UZP/TRN)'],
  ['ext v0.16b, v1.16b, v2.16b, #8', 'SIMD EXT'],
  ['tbx v0.16b, {v1.16b, v2.16b, v3.16b}, v4.16b', 'SIMD TBL/TBX'],
];

/** The cryptographic extension's encodings (as words: the test assembler has no +crypto), with the row that takes each. */
const CRYPTO: [number, string, string][] = [
  [0x4e284820, 'aese v0.16b, v1.16b', 'AESE/AESD/AESMC/AESIMC'],
  [0x4e286820, 'aesmc v0.16b, v1.16b', 'AESE/AESD/AESMC/AESIMC'],
  [0x5e024020, 'sha256h q0, q1, v2.4s', 'SHA256H/SHA256H2/SHA256SU1'],
  [0x5e280820, 'sha1h s0, s1', 'SHA1H/SHA1SU1'],
  [0x0ee2e020, 'pmull v0.1q, v1.1d, v2.1d', 'PMULL/PMULL2 (1Q)'],
];

/** Encodings outside the advertised features, with what they are. */
const UNDEFINED: [number, string][] = [
  [0x1ee22820, 'fadd h0, h1, h2 (FP16)'],
  [0x1e260020 | (3 << 22), 'fmov w0, h1 (FP16)'],
  [0x0e401400, 'fadd v0.4h, v0.4h, v0.4h (FP16 three same)'],
];

describe('FP/SIMD decoding', () => {
  const words = assembleWords(ROWS.map(([src]) => src));
  it.each(ROWS.map(([src, row], i) => [src, row, i] as const))('%s -> %s', (_src, row, i) => {
    const d = decodeWord(words[i]!);
    expect(d.name).toBe(row);
    expect(d.undefinedTrap).toBe(false);
  });
  it.each(CRYPTO)('0x%s (%s) -> %s', (word, _src, row) => {
    const d = decodeWord(word);
    expect(d.name).toBe(row);
    expect(d.undefinedTrap).toBe(false);
  });
  it.each(UNDEFINED)('0x%s is undefined (%s)', (word) => {
    expect(decodeWord(word).undefinedTrap).toBe(true);
  });
});
