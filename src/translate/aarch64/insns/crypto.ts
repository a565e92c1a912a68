/**
 * A64 cryptographic extension (ARM ARM C4.1.x "Cryptographic AES", "Cryptographic three-register
 * SHA", "Cryptographic two-register SHA", and PMULL/PMULL2 of 64-bit elements): FEAT_AES with
 * FEAT_PMULL, FEAT_SHA1 and FEAT_SHA256, as the Cortex-A53/A57/A72 have them, and ARMv8.2's
 * FEAT_SHA512 and FEAT_SHA3 (`max`), written from the ARM ARM's pseudocode (AESSubBytes,
 * AESMixColumns, SHA1/SHA256/SHA512 hash, PolynomialMult).
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

/** The two 64-bit lanes of Vn. */
const doublewords = (ctx: A64Context, n: number): [Temp, Temp] => {
  const v = ctx.v(n);
  return [ctx.b.vop('i64x2.extract_lane', [v], 0), ctx.b.vop('i64x2.extract_lane', [v], 1)];
};

function setDoublewords(ctx: A64Context, d: number, low: Temp, high: Temp): void {
  const b = ctx.b;
  ctx.setV(d, b.vop('i64x2.replace_lane', [b.vop('i64x2.splat', [low]), high], 1));
}

const ror64 = (ctx: A64Context, x: Temp, n: number): Temp => ctx.b.binary('rotr', x, ctx.b.i64(n));
/** ROR(x, a) ^ ROR(x, b) ^ (x >> c) for c < 0 taken as ROR(x, -c): SHA-512's sigma and Sigma functions. */
const sigma64 = (ctx: A64Context, x: Temp, a: number, b: number, c: number): Temp =>
  xor3(ctx, ror64(ctx, x, a), ror64(ctx, x, b), c < 0 ? ror64(ctx, x, -c) : ctx.b.shrU(x, ctx.b.i64(c)));

/** SHA512H, SHA512H2, SHA512SU1 (Vd, Vn, Vm) and RAX1 (FEAT_SHA3), by opcode. */
const sha512ThreeReg: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const [d, n, m] = [f.rd!, f.rn!, f.rm!];
  const [x0, x1] = doublewords(ctx, n);
  const [y0, y1] = doublewords(ctx, m);
  const [w0, w1] = doublewords(ctx, d);
  const sum64 = (...terms: Temp[]): Temp => terms.reduce((acc, t) => b.add(acc, t));
  switch (f.op) {
    case 0: {
      // SHA512H
      const chooseHigh = b.xor(b.and(y1, x0), b.and(b.xor(y1, b.i64(-1)), x1));
      const high = sum64(chooseHigh, sigma64(ctx, y1, 14, 18, -41), w1);
      const tmp = b.add(high, y0);
      const chooseLow = b.xor(b.and(tmp, y1), b.and(b.xor(tmp, b.i64(-1)), x0));
      setDoublewords(ctx, d, sum64(chooseLow, sigma64(ctx, tmp, 14, 18, -41), w0), high);
      return true;
    }
    case 1: {
      // SHA512H2
      const high = sum64(majority64(ctx, x0, y1, y0), sigma64(ctx, y0, 28, 34, -39), w1);
      const low = sum64(majority64(ctx, high, y0, y1), sigma64(ctx, high, 28, 34, -39), w0);
      setDoublewords(ctx, d, low, high);
      return true;
    }
    case 2:
      // SHA512SU1
      setDoublewords(
        ctx,
        d,
        sum64(w0, sigma64(ctx, x0, 19, 61, 6), y0),
        sum64(w1, sigma64(ctx, x1, 19, 61, 6), y1),
      );
      return true;
    default: {
      // RAX1: Vn ^ ROL(Vm, 1) per doubleword
      const rol1 = (v: Temp): Temp => ror64(ctx, v, 63);
      setDoublewords(ctx, d, b.xor(x0, rol1(y0)), b.xor(x1, rol1(y1)));
      return true;
    }
  }
};

/** (x & y) ^ (x & z) ^ (y & z), SHA512H2's form of Maj. */
const majority64 = (ctx: A64Context, x: Temp, y: Temp, z: Temp): Temp =>
  xor3(ctx, ctx.b.and(x, y), ctx.b.and(x, z), ctx.b.and(y, z));

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
  setDoublewords(ctx, f.rd!, ror64(ctx, b.xor(x0, y0), f.imm6!), ror64(ctx, b.xor(x1, y1), f.imm6!));
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
