/**
 * A64 cryptographic extension (ARM ARM C4.1.x "Cryptographic AES", "Cryptographic three-register
 * SHA", "Cryptographic two-register SHA", and PMULL/PMULL2 of 64-bit elements): FEAT_AES with
 * FEAT_PMULL, FEAT_SHA1 and FEAT_SHA256, as the Cortex-A53/A57/A72 have them, written from the
 * ARM ARM's pseudocode (AESSubBytes, AESMixColumns, SHA1/SHA256 hash, PolynomialMult).
 *
 * AES and SHA are inline IR (vector ops for AES, 32-bit scalar ops on the lanes for SHA): as
 * helpers in JavaScript they cost more than the software paths libraries take without them
 * (OpenSSL's `enc -aes-128-cbc` 3.7 s against 2.3 s), since V8 reads and writes shared memory
 * byte by byte. PMULL's 64-bit carry-less product stays a helper.
 */
import type { Temp } from '../../ir/block';
import { defineHelper } from '../../ir/helpers';
import type { A64Context, A64Handler } from '../context';
import { vreg } from '../state';

/** x * 2 in GF(2^8) with AES's polynomial x^8 + x^4 + x^3 + x + 1. */
const xtime = (x: number): number => ((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff;

/** The S-box and its inverse: the multiplicative inverse (by logarithms to the base 3) and the affine map (FIPS-197 5.1.1). */
const [SBOX, INV_SBOX] = ((): [Uint8Array, Uint8Array] => {
  const exp = new Uint8Array(255);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++, x ^= xtime(x)) {
    exp[i] = x;
    log[x] = i;
  }
  const sbox = new Uint8Array(256);
  const inverse = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    const inv = x === 0 ? 0 : exp[(255 - log[x]!) % 255]!;
    let s = inv;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >> (8 - r))) & 0xff;
    sbox[x] = s ^ 0x63;
    inverse[s ^ 0x63] = x;
  }
  return [sbox, inverse];
})();

/**
 * The state is 16 bytes, column-major: byte 4c + r is row r of column c. ShiftRows takes row r of
 * column c from column c + r, InvShiftRows from column c - r.
 */
const shiftRows = (dir: 1 | -1): Uint8Array =>
  Uint8Array.from({ length: 16 }, (_, i) => (i & 3) + 4 * (((i >> 2) + dir * (i & 3)) & 3));
/** Each column's bytes rotated by `k` rows: row r takes row r + k. */
const rotateColumns = (k: number): Uint8Array =>
  Uint8Array.from({ length: 16 }, (_, i) => (i & ~3) | ((i + k) & 3));

const splat8 = (ctx: A64Context, value: number): Temp => ctx.b.v128(new Uint8Array(16).fill(value));

/** SubBytes through `box`: swizzle looks up 16 entries and gives 0 beyond them, so each sixteenth of the table takes the bytes whose top nibble selects it. */
function subBytes(ctx: A64Context, x: Temp, box: Uint8Array): Temp {
  const b = ctx.b;
  let result: Temp | undefined;
  for (let k = 0; k < 16; k++) {
    const part = b.vop('i8x16.swizzle', [
      b.v128(box.subarray(16 * k, 16 * k + 16)),
      b.vop('v128.xor', [x, splat8(ctx, 16 * k)]),
    ]);
    result = result ? b.vop('v128.or', [result, part]) : part;
  }
  return result!;
}

/** Each byte times 2 in GF(2^8). */
function xtimes(ctx: A64Context, x: Temp): Temp {
  const b = ctx.b;
  const carries = b.vop('i8x16.lt_s', [x, splat8(ctx, 0)]);
  return b.vop('v128.xor', [
    b.vop('i8x16.shl', [x, b.i32(1)]),
    b.vop('v128.and', [carries, splat8(ctx, 0x1b)]),
  ]);
}

const rotated = (ctx: A64Context, x: Temp, k: number): Temp =>
  ctx.b.vop('i8x16.shuffle', [x, x], rotateColumns(k));

/** MixColumns: row r = 2 a[r] ^ 3 a[r+1] ^ a[r+2] ^ a[r+3] = 2 (a[r] ^ a[r+1]) ^ a[r+1] ^ a[r+2] ^ a[r+3]. */
function mixColumns(ctx: A64Context, a: Temp): Temp {
  const b = ctx.b;
  const [r1, r2, r3] = [rotated(ctx, a, 1), rotated(ctx, a, 2), rotated(ctx, a, 3)];
  return b.vop('v128.xor', [
    xtimes(ctx, b.vop('v128.xor', [a, r1])),
    b.vop('v128.xor', [r1, b.vop('v128.xor', [r2, r3])]),
  ]);
}

/** InvMixColumns as MixColumns of a[r] ^ 4 (a[r] ^ a[r+2]) (the factoring of FIPS-197's inverse matrix). */
function invMixColumns(ctx: A64Context, a: Temp): Temp {
  const b = ctx.b;
  const four = xtimes(ctx, xtimes(ctx, b.vop('v128.xor', [a, rotated(ctx, a, 2)])));
  return mixColumns(ctx, b.vop('v128.xor', [a, four]));
}

const aes: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const [d, n] = [f.rd!, f.rn!];
  switch (f.op) {
    case 0: // AESE: AddRoundKey, ShiftRows, SubBytes
    case 1: {
      // AESD: AddRoundKey, InvShiftRows, InvSubBytes
      const key = b.vop('v128.xor', [ctx.v(d), ctx.v(n)]);
      const shifted = b.vop('i8x16.shuffle', [key, key], shiftRows(f.op === 0 ? 1 : -1));
      ctx.setV(d, subBytes(ctx, shifted, f.op === 0 ? SBOX : INV_SBOX));
      return true;
    }
    case 2:
      ctx.setV(d, mixColumns(ctx, ctx.v(n)));
      return true;
    default:
      ctx.setV(d, invMixColumns(ctx, ctx.v(n)));
      return true;
  }
};

/** The four 32-bit words of Vn. */
const words = (ctx: A64Context, n: number): Temp[] => {
  const v = ctx.v(n);
  return [0, 1, 2, 3].map((lane) => ctx.b.vop('i32x4.extract_lane', [v], lane));
};

/** Vd = the words w (missing ones 0). */
function setWords(ctx: A64Context, d: number, w: readonly Temp[]): void {
  const b = ctx.b;
  let v = b.v128(new Uint8Array(16));
  w.forEach((word, lane) => (v = b.vop('i32x4.replace_lane', [v, word], lane)));
  ctx.setV(d, v);
}

type Ternary = (ctx: A64Context, x: Temp, y: Temp, z: Temp) => Temp;
const rol = (ctx: A64Context, x: Temp, n: number): Temp => ctx.b.binary('rotr', x, ctx.b.i32(32 - n));
const ror = (ctx: A64Context, x: Temp, n: number): Temp => ctx.b.binary('rotr', x, ctx.b.i32(n));
const xor3 = (ctx: A64Context, x: Temp, y: Temp, z: Temp): Temp => ctx.b.xor(ctx.b.xor(x, y), z);
const sum = (ctx: A64Context, ...terms: Temp[]): Temp => terms.reduce((acc, t) => ctx.b.add(acc, t));
const choose: Ternary = (ctx, x, y, z) => ctx.b.xor(ctx.b.and(ctx.b.xor(y, z), x), z);
const majority: Ternary = (ctx, x, y, z) => ctx.b.or(ctx.b.and(x, y), ctx.b.and(ctx.b.or(x, y), z));

/** SHA1C/P/M: four rounds over X = Vd (a..d), e = Sn and W = Vm with the round's function. */
function sha1Hash(ctx: A64Context, d: number, n: number, m: number, f: Ternary): void {
  const x = words(ctx, d);
  const w = words(ctx, m);
  let y = words(ctx, n)[0]!;
  for (let e = 0; e < 4; e++) {
    y = sum(ctx, y, rol(ctx, x[0]!, 5), f(ctx, x[1]!, x[2]!, x[3]!), w[e]!);
    x[1] = rol(ctx, x[1]!, 30);
    // <Y, X> = ROL(Y:X, 32)
    x.unshift(y);
    y = x.pop()!;
  }
  setWords(ctx, d, x);
}

/** SHA256H (part1: the result is X) / SHA256H2 (Y): four rounds over X, Y and W = Vm. */
function sha256Hash(ctx: A64Context, d: number, xReg: number, yReg: number, m: number, part1: boolean): void {
  const [x, y, w] = [words(ctx, xReg), words(ctx, yReg), words(ctx, m)];
  for (let e = 0; e < 4; e++) {
    const sigma1 = xor3(ctx, ror(ctx, y[0]!, 6), ror(ctx, y[0]!, 11), ror(ctx, y[0]!, 25));
    const sigma0 = xor3(ctx, ror(ctx, x[0]!, 2), ror(ctx, x[0]!, 13), ror(ctx, x[0]!, 22));
    const t = sum(ctx, y[3]!, sigma1, choose(ctx, y[0]!, y[1]!, y[2]!), w[e]!);
    const xTop = ctx.b.add(t, x[3]!);
    const yTop = sum(ctx, t, sigma0, majority(ctx, x[0]!, x[1]!, x[2]!));
    // <Y, X> = ROL(Y:X, 32): each half's top word moves into the bottom of the other.
    x.splice(3, 1);
    y.splice(3, 1);
    x.unshift(yTop);
    y.unshift(xTop);
  }
  setWords(ctx, d, part1 ? x : y);
}

const sha3Reg: A64Handler = (ctx, f) => {
  const [d, n, m] = [f.rd!, f.rn!, f.rm!];
  const b = ctx.b;
  switch (f.op) {
    case 0:
      sha1Hash(ctx, d, n, m, choose);
      return true;
    case 1:
      sha1Hash(ctx, d, n, m, (c, x, y, z) => xor3(c, x, y, z));
      return true;
    case 2:
      sha1Hash(ctx, d, n, m, majority);
      return true;
    case 3: {
      // SHA1SU0: (Vn<63:0> : Vd<127:64>) ^ Vd ^ Vm
      const [x, y, z] = [words(ctx, d), words(ctx, n), words(ctx, m)];
      const high = [x[2]!, x[3]!, y[0]!, y[1]!];
      setWords(
        ctx,
        d,
        high.map((word, i) => xor3(ctx, word, x[i]!, z[i]!)),
      );
      return true;
    }
    case 4:
      sha256Hash(ctx, d, d, n, m, true);
      return true;
    case 5:
      sha256Hash(ctx, d, n, d, m, false);
      return true;
    case 6: {
      // SHA256SU1: T0 = Vm<31:0> : Vn<127:32>; the first two results from Vm's top half, the last two from the first two.
      const [x, y, z] = [words(ctx, d), words(ctx, n), words(ctx, m)];
      const t0 = [y[1]!, y[2]!, y[3]!, z[0]!];
      const sigma = (elt: Temp): Temp =>
        xor3(ctx, ror(ctx, elt, 17), ror(ctx, elt, 19), b.shrU(elt, b.i32(10)));
      const result: Temp[] = [];
      for (let e = 0; e < 4; e++)
        result.push(sum(ctx, sigma(e < 2 ? z[e + 2]! : result[e - 2]!), x[e]!, t0[e]!));
      setWords(ctx, d, result);
      return true;
    }
    default:
      return false;
  }
};

const sha2Reg: A64Handler = (ctx, f) => {
  const [d, n] = [f.rd!, f.rn!];
  const b = ctx.b;
  switch (f.op) {
    case 0: // SHA1H: Sd = ROL(Sn, 30)
      setWords(ctx, d, [rol(ctx, words(ctx, n)[0]!, 30)]);
      return true;
    case 1: {
      // SHA1SU1: T = Vd ^ (Vn >> 32), each word rotated by 1, the top one also ^ ROL(T<31:0>, 2)
      const [x, y] = [words(ctx, d), words(ctx, n)];
      const t = [b.xor(x[0]!, y[1]!), b.xor(x[1]!, y[2]!), b.xor(x[2]!, y[3]!), x[3]!];
      setWords(ctx, d, [
        rol(ctx, t[0]!, 1),
        rol(ctx, t[1]!, 1),
        rol(ctx, t[2]!, 1),
        b.xor(rol(ctx, t[3]!, 1), rol(ctx, t[0]!, 2)),
      ]);
      return true;
    }
    case 2: {
      // SHA256SU0: T = Vn<31:0> : Vd<127:32>; each word's sigma0 plus Vd's word
      const x = words(ctx, d);
      const t = [x[1]!, x[2]!, x[3]!, words(ctx, n)[0]!];
      setWords(
        ctx,
        d,
        t.map((elt, e) =>
          b.add(xor3(ctx, ror(ctx, elt, 7), ror(ctx, elt, 18), b.shrU(elt, b.i32(3))), x[e]!),
        ),
      );
      return true;
    }
    default:
      return false;
  }
};

/** Carry-less product of two 32-bit polynomials as [low, high] words. */
function clmul32(a: number, b: number): [number, number] {
  let [lo, hi] = [0, 0];
  for (let bit = 0; bit < 32; bit++) {
    if ((b >>> bit) & 1) {
      lo ^= a << bit;
      hi ^= bit === 0 ? 0 : a >>> (32 - bit);
    }
  }
  return [lo >>> 0, hi >>> 0];
}

/** PMULL/PMULL2 (1Q): Vd = the 128-bit carry-less product of Vn's and Vm's 64-bit elements `half` (0 or 8 bytes in). */
const PMULL64 = defineHelper({
  name: 'a64.pmull64',
  params: ['i32', 'i32'],
  result: null,
  impl(h, regs, half) {
    const r = Number(regs);
    const base = h.stateBase >>> 0;
    const [d, n, m] = [
      base + vreg(r & 31),
      base + vreg((r >>> 5) & 31) + Number(half),
      base + vreg((r >>> 10) & 31) + Number(half),
    ];
    const [a0, a1, b0, b1] = [n, n + 4, m, m + 4].map((at) => h.view.getUint32(at, true)) as [
      number,
      number,
      number,
      number,
    ];
    const [p0, p1, p2, p3] = [clmul32(a0, b0), clmul32(a0, b1), clmul32(a1, b0), clmul32(a1, b1)];
    // (a1 x^32 + a0)(b1 x^32 + b0) = p3 x^64 + (p1 + p2) x^32 + p0
    const words = [p0[0], p0[1] ^ p1[0] ^ p2[0], p3[0] ^ p1[1] ^ p2[1], p3[1]];
    words.forEach((word, i) => h.view.setUint32(d + 4 * i, word >>> 0, true));
  },
});

const pmull64: A64Handler = (ctx, f) => {
  const b = ctx.b;
  b.call(PMULL64, [b.i32(f.rd! | (f.rn! << 5) | (f.rm! << 10)), b.i32(f.q! ? 8 : 0)]);
  return true;
};

export const AES_ROWS = [['01001110 00 10100 001 op:2 10 rn:5 rd:5', 'AESE/AESD/AESMC/AESIMC', aes]] as const;

/** PMULL/PMULL2 of 64-bit elements (size = 3 of SIMD three different's PMULL), which FEAT_PMULL adds. */
export const PMULL64_ROWS = [
  ['0 q:1 0 01110 11 1 rm:5 1110 00 rn:5 rd:5', 'PMULL/PMULL2 (1Q)', pmull64],
] as const;

export const SHA1_ROWS = [
  ['01011110 00 0 rm:5 0 0 op:2 00 rn:5 rd:5', 'SHA1C/SHA1P/SHA1M/SHA1SU0', sha3Reg],
  ['01011110 00 10100 0000 op:1 10 rn:5 rd:5', 'SHA1H/SHA1SU1', sha2Reg],
] as const;

export const SHA256_ROWS = [
  [
    '01011110 00 0 rm:5 0 1 op:2 00 rn:5 rd:5',
    'SHA256H/SHA256H2/SHA256SU1',
    (ctx, f) => sha3Reg(ctx, { ...f, op: 4 + f.op! }),
  ],
  ['01011110 00 10100 00010 10 rn:5 rd:5', 'SHA256SU0', (ctx, f) => sha2Reg(ctx, { ...f, op: 2 })],
] as const satisfies readonly (readonly [string, string, A64Handler])[];
