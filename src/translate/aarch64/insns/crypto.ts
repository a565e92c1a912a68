/**
 * A64 cryptographic extension (ARM ARM C4.1.x "Cryptographic AES", "Cryptographic three-register
 * SHA", "Cryptographic two-register SHA", and PMULL/PMULL2 of 64-bit elements): FEAT_AES with
 * FEAT_PMULL, FEAT_SHA1 and FEAT_SHA256, as the Cortex-A53/A57/A72 have them, and ARMv8.2's
 * FEAT_SHA512 and FEAT_SHA3 (`max`), written from the ARM ARM's pseudocode (SHA512 hash).
 *
 * AES, SHA-1 and SHA-256 are the IR builders of src/translate/crypto, which A32 and T32 share;
 * this file has their decode rows and register access, and SHA-512 and SHA-3 (64-bit scalar IR).
 */
import type { Temp } from '../../ir/block';
import { aesRound, invMixColumns, mixColumns } from '../../crypto/aes';
import { pmull64 as emitPmull64 } from '../../crypto/pmull64';
import { SHA1_FUNCTIONS, sha1Hash, sha1h, sha1su0, sha1su1 } from '../../crypto/sha1';
import { sha256Hash, sha256su0, sha256su1 } from '../../crypto/sha256';
import { choose, majority, ror, sum, xor3 } from '../../crypto/words';
import type { A64Context, A64Handler } from '../context';
import { vreg } from '../state';

const aes: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const [d, n] = [f.rd!, f.rn!];
  const result = [
    () => aesRound(b, ctx.v(d), ctx.v(n), false),
    () => aesRound(b, ctx.v(d), ctx.v(n), true),
    () => mixColumns(b, ctx.v(n)),
    () => invMixColumns(b, ctx.v(n)),
  ][f.op!]!();
  ctx.setV(d, result);
  return true;
};

const shaThreeReg: A64Handler = (ctx, f) => {
  const [d, n, m] = [f.rd!, f.rn!, f.rm!];
  const b = ctx.b;
  const op = f.op!;
  if (op < 3) ctx.setV(d, sha1Hash(b, ctx.v(d), ctx.v(n), ctx.v(m), SHA1_FUNCTIONS[op]!));
  else if (op === 3) ctx.setV(d, sha1su0(b, ctx.v(d), ctx.v(n), ctx.v(m)));
  else if (op === 4) ctx.setV(d, sha256Hash(b, ctx.v(d), ctx.v(n), ctx.v(m), true));
  else if (op === 5) ctx.setV(d, sha256Hash(b, ctx.v(n), ctx.v(d), ctx.v(m), false));
  else if (op === 6) ctx.setV(d, sha256su1(b, ctx.v(d), ctx.v(n), ctx.v(m)));
  else return false;
  return true;
};

const shaTwoReg: A64Handler = (ctx, f) => {
  const [d, n] = [f.rd!, f.rn!];
  const b = ctx.b;
  if (f.op === 0) ctx.setV(d, sha1h(b, ctx.v(n)));
  else if (f.op === 1) ctx.setV(d, sha1su1(b, ctx.v(d), ctx.v(n)));
  else if (f.op === 2) ctx.setV(d, sha256su0(b, ctx.v(d), ctx.v(n)));
  else return false;
  return true;
};

/** PMULL/PMULL2 (1Q): Vd = the 128-bit carry-less product of Vn's and Vm's 64-bit elements, the low ones or (PMULL2) the high ones. */
const pmull64: A64Handler = (ctx, f) => {
  const half = f.q! ? 8 : 0;
  emitPmull64(ctx.b, vreg(f.rd!), vreg(f.rn!) + half, vreg(f.rm!) + half);
  return true;
};

/** The two 64-bit lanes of Vn. */
const doublewords = (ctx: A64Context, n: number): [Temp, Temp] => {
  const v = ctx.v(n);
  return [ctx.b.vop('i64x2.extract_lane', [v], 0), ctx.b.vop('i64x2.extract_lane', [v], 1)];
};

function setDoublewords(ctx: A64Context, d: number, low: Temp, high: Temp): void {
  const b = ctx.b;
  ctx.setV(d, b.vop('i64x2.replace_lane', [b.vop('i64x2.splat', [low]), high], 1));
}

/** ROR(x, a) ^ ROR(x, b) ^ (x >> c) for c < 0 taken as ROR(x, -c): SHA-512's sigma and Sigma functions. */
const sigma64 = (ctx: A64Context, x: Temp, a: number, b: number, c: number): Temp =>
  xor3(ctx.b, ror(ctx.b, x, a), ror(ctx.b, x, b), c < 0 ? ror(ctx.b, x, -c) : ctx.b.shrU(x, ctx.b.i64(c)));

/** SHA512H, SHA512H2, SHA512SU1 (Vd, Vn, Vm) and RAX1 (FEAT_SHA3), by opcode. */
const sha512ThreeReg: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const [d, n, m] = [f.rd!, f.rn!, f.rm!];
  const [x0, x1] = doublewords(ctx, n);
  const [y0, y1] = doublewords(ctx, m);
  const [w0, w1] = doublewords(ctx, d);
  switch (f.op) {
    case 0: {
      // SHA512H
      const high = sum(b, choose(b, y1, x0, x1), sigma64(ctx, y1, 14, 18, -41), w1);
      const tmp = b.add(high, y0);
      setDoublewords(ctx, d, sum(b, choose(b, tmp, y1, x0), sigma64(ctx, tmp, 14, 18, -41), w0), high);
      return true;
    }
    case 1: {
      // SHA512H2
      const high = sum(b, majority(b, x0, y1, y0), sigma64(ctx, y0, 28, 34, -39), w1);
      const low = sum(b, majority(b, high, y0, y1), sigma64(ctx, high, 28, 34, -39), w0);
      setDoublewords(ctx, d, low, high);
      return true;
    }
    case 2:
      // SHA512SU1
      setDoublewords(
        ctx,
        d,
        sum(b, w0, sigma64(ctx, x0, 19, 61, 6), y0),
        sum(b, w1, sigma64(ctx, x1, 19, 61, 6), y1),
      );
      return true;
    default: {
      // RAX1: Vn ^ ROL(Vm, 1) per doubleword
      const rol1 = (v: Temp): Temp => ror(b, v, 63);
      setDoublewords(ctx, d, b.xor(x0, rol1(y0)), b.xor(x1, rol1(y1)));
      return true;
    }
  }
};

/** SHA512SU0: each doubleword plus sigma0 of its neighbour (Vd's high one, then Vn's low one). */
const sha512su0: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const [w0, w1] = doublewords(ctx, f.rd!);
  const [x0] = doublewords(ctx, f.rn!);
  setDoublewords(ctx, f.rd!, b.add(w0, sigma64(ctx, w1, 1, 8, 7)), b.add(w1, sigma64(ctx, x0, 1, 8, 7)));
  return true;
};

/** EOR3 (Vn ^ Vm ^ Va) and BCAX (Vn ^ (Vm & ~Va)), FEAT_SHA3. */
const eor3Bcax: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const [vn, vm, va] = [ctx.v(f.rn!), ctx.v(f.rm!), ctx.v(f.ra!)];
  const second = f.op === 0 ? b.vop('v128.xor', [vm, va]) : b.vop('v128.andnot', [vm, va]);
  ctx.setV(f.rd!, b.vop('v128.xor', [vn, second]));
  return true;
};

/** XAR: ROR(Vn ^ Vm, imm6) per doubleword, FEAT_SHA3. */
const xar: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const [x0, x1] = doublewords(ctx, f.rn!);
  const [y0, y1] = doublewords(ctx, f.rm!);
  setDoublewords(ctx, f.rd!, ror(b, b.xor(x0, y0), f.imm6!), ror(b, b.xor(x1, y1), f.imm6!));
  return true;
};

export const AES_ROWS = [['01001110 00 10100 001 op:2 10 rn:5 rd:5', 'AESE/AESD/AESMC/AESIMC', aes]] as const;

/** PMULL/PMULL2 of 64-bit elements (size = 3 of SIMD three different's PMULL), which FEAT_PMULL adds. */
export const PMULL64_ROWS = [
  ['0 q:1 0 01110 11 1 rm:5 1110 00 rn:5 rd:5', 'PMULL/PMULL2 (1Q)', pmull64],
] as const;

export const SHA1_ROWS = [
  ['01011110 00 0 rm:5 0 0 op:2 00 rn:5 rd:5', 'SHA1C/SHA1P/SHA1M/SHA1SU0', shaThreeReg],
  ['01011110 00 10100 0000 op:1 10 rn:5 rd:5', 'SHA1H/SHA1SU1', shaTwoReg],
] as const;

export const SHA256_ROWS = [
  [
    '01011110 00 0 rm:5 0 1 op:2 00 rn:5 rd:5',
    'SHA256H/SHA256H2/SHA256SU1',
    (ctx, f) => shaThreeReg(ctx, { ...f, op: 4 + f.op! }),
  ],
  ['01011110 00 10100 00010 10 rn:5 rd:5', 'SHA256SU0', (ctx, f) => shaTwoReg(ctx, { ...f, op: 2 })],
] as const satisfies readonly (readonly [string, string, A64Handler])[];

export const SHA512_ROWS = [
  ['11001110 011 rm:5 1 0 00 0 op:1 rn:5 rd:5', 'SHA512H/SHA512H2', sha512ThreeReg],
  ['11001110 011 rm:5 1 0 00 10 rn:5 rd:5', 'SHA512SU1', (ctx, f) => sha512ThreeReg(ctx, { ...f, op: 2 })],
  ['11001110 110 00000 1000 00 rn:5 rd:5', 'SHA512SU0', sha512su0],
] as const satisfies readonly (readonly [string, string, A64Handler])[];

export const SHA3_ROWS = [
  ['11001110 0 0 op:1 rm:5 0 ra:5 rn:5 rd:5', 'EOR3/BCAX', eor3Bcax],
  ['11001110 011 rm:5 1 0 00 11 rn:5 rd:5', 'RAX1', (ctx, f) => sha512ThreeReg(ctx, { ...f, op: 3 })],
  ['11001110 100 rm:5 imm6:6 rn:5 rd:5', 'XAR', xar],
] as const satisfies readonly (readonly [string, string, A64Handler])[];
