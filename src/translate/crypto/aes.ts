/**
 * AES rounds as vector IR (ARM ARM AESSubBytes, AESShiftRows, AESMixColumns and their inverses;
 * FIPS-197 5.1), shared by the A64 and A32/T32 frontends: the state is one v128, 16 bytes
 * column-major (byte 4c + r is row r of column c).
 */
import type { Temp } from '../ir/block';
import type { IRBuilder } from '../ir/builder';

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

/** ShiftRows takes row r of column c from column c + r, InvShiftRows from column c - r. */
const shiftRows = (dir: 1 | -1): Uint8Array =>
  Uint8Array.from({ length: 16 }, (_, i) => (i & 3) + 4 * (((i >> 2) + dir * (i & 3)) & 3));
/** Each column's bytes rotated by `k` rows: row r takes row r + k. */
const rotateColumns = (k: number): Uint8Array =>
  Uint8Array.from({ length: 16 }, (_, i) => (i & ~3) | ((i + k) & 3));

const splat8 = (b: IRBuilder, value: number): Temp => b.v128(new Uint8Array(16).fill(value));

/** SubBytes through `box`: swizzle looks up 16 entries and gives 0 beyond them, so each sixteenth of the table takes the bytes whose top nibble selects it. */
function subBytes(b: IRBuilder, x: Temp, box: Uint8Array): Temp {
  let result: Temp | undefined;
  for (let k = 0; k < 16; k++) {
    const part = b.vop('i8x16.swizzle', [
      b.v128(box.subarray(16 * k, 16 * k + 16)),
      b.vop('v128.xor', [x, splat8(b, 16 * k)]),
    ]);
    result = result ? b.vop('v128.or', [result, part]) : part;
  }
  return result!;
}

/** Each byte times 2 in GF(2^8). */
function xtimes(b: IRBuilder, x: Temp): Temp {
  const carries = b.vop('i8x16.lt_s', [x, splat8(b, 0)]);
  return b.vop('v128.xor', [
    b.vop('i8x16.shl', [x, b.i32(1)]),
    b.vop('v128.and', [carries, splat8(b, 0x1b)]),
  ]);
}

const rotated = (b: IRBuilder, x: Temp, k: number): Temp => b.vop('i8x16.shuffle', [x, x], rotateColumns(k));

/** AESE (decrypt false: AddRoundKey, ShiftRows, SubBytes) or AESD (AddRoundKey, InvShiftRows, InvSubBytes) of `state` with `key`. */
export function aesRound(b: IRBuilder, state: Temp, key: Temp, decrypt: boolean): Temp {
  const added = b.vop('v128.xor', [state, key]);
  const shifted = b.vop('i8x16.shuffle', [added, added], shiftRows(decrypt ? -1 : 1));
  return subBytes(b, shifted, decrypt ? INV_SBOX : SBOX);
}

/** MixColumns: row r = 2 a[r] ^ 3 a[r+1] ^ a[r+2] ^ a[r+3] = 2 (a[r] ^ a[r+1]) ^ a[r+1] ^ a[r+2] ^ a[r+3]. */
export function mixColumns(b: IRBuilder, a: Temp): Temp {
  const [r1, r2, r3] = [rotated(b, a, 1), rotated(b, a, 2), rotated(b, a, 3)];
  return b.vop('v128.xor', [
    xtimes(b, b.vop('v128.xor', [a, r1])),
    b.vop('v128.xor', [r1, b.vop('v128.xor', [r2, r3])]),
  ]);
}

/** InvMixColumns as MixColumns of a[r] ^ 4 (a[r] ^ a[r+2]) (the factoring of FIPS-197's inverse matrix). */
export function invMixColumns(b: IRBuilder, a: Temp): Temp {
  const four = xtimes(b, xtimes(b, b.vop('v128.xor', [a, rotated(b, a, 2)])));
  return mixColumns(b, b.vop('v128.xor', [a, four]));
}
