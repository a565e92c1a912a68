/**
 * The AES instructions of Power ISA 2.07 (Book I 5.11.1): vcipher, vcipherlast, vncipher,
 * vncipherlast and vsbox, one round (or SubBytes alone) on the 128-bit state in VRA with the round
 * key in VRB. State byte i is byte element i (from the most significant end), column-major as in
 * FIPS-197. The orders are the ISA's: vcipher is ShiftRows, SubBytes, MixColumns, then the key;
 * vncipher is InvShiftRows, InvSubBytes, the key, then InvMixColumns.
 *
 * One helper computes a round and returns one doubleword of the result; the handler calls it once
 * per doubleword, and the second call finds the round the first computed.
 */
import type { Temp } from '../../ir/block';
import { defineHelper, type HelperValue } from '../../ir/helpers';
import type { PpcHandler } from '../context';
import { bits } from './forms';

/** Multiplication in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1. */
function gmul(a: number, b: number): number {
  let r = 0;
  for (; b; b >>= 1) {
    if (b & 1) r ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
  }
  return r;
}

/** The S-box (FIPS-197 5.1.1): the multiplicative inverse followed by the affine transformation. */
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  let inverse = 0;
  for (let y = 1; y < 256 && x; y++) {
    if (gmul(x, y) === 1) {
      inverse = y;
      break;
    }
  }
  let s = inverse;
  for (let i = 1; i <= 4; i++) s ^= ((inverse << i) | (inverse >> (8 - i))) & 0xff;
  SBOX[x] = s ^ 0x63;
  INV_SBOX[SBOX[x]!] = x;
}

/** [row r of column c] = byte 4c + r; ShiftRows takes row r from column c + r: the source of each byte. */
const shiftSources = (inverse: boolean): Uint8Array =>
  Uint8Array.from({ length: 16 }, (_, i) => {
    const [c, r] = [i >> 2, i & 3];
    return 4 * ((c + (inverse ? 4 - r : r)) & 3) + r;
  });
const SHIFT_SOURCES = [shiftSources(false), shiftSources(true)] as const;
const shiftRows = (s: Uint8Array, inverse: boolean): Uint8Array => SHIFT_SOURCES[inverse ? 1 : 0].map((k) => s[k]!);

/** Products by each MixColumns coefficient, indexed by the byte. */
const PRODUCTS = new Map([1, 2, 3, 9, 11, 13, 14].map((m) => [m, Uint8Array.from({ length: 256 }, (_, x) => gmul(x, m))]));

/** The product tables of MixColumns' coefficients (2 3 1 1) and InvMixColumns' (14 11 13 9). */
const MIX = [[2, 3, 1, 1], [14, 11, 13, 9]].map((row) => row.map((k) => PRODUCTS.get(k)!));

/** MixColumns or InvMixColumns, column by column. */
function mixColumns(s: Uint8Array, inverse: boolean): Uint8Array {
  const m = MIX[inverse ? 1 : 0]!;
  const out = new Uint8Array(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let v = 0;
      for (let k = 0; k < 4; k++) v ^= m[(k - r + 4) & 3]![s[4 * c + k]!]!;
      out[4 * c + r] = v;
    }
  }
  return out;
}

/** What a round does (vsbox has no key and no shift). */
interface Round {
  inverse: boolean;
  shift: boolean;
  mix: boolean;
  key: boolean;
}

const ROUNDS: readonly Round[] = [
  { inverse: false, shift: true, mix: true, key: true }, // vcipher
  { inverse: false, shift: true, mix: false, key: true }, // vcipherlast
  { inverse: true, shift: true, mix: true, key: true }, // vncipher
  { inverse: true, shift: true, mix: false, key: true }, // vncipherlast
  { inverse: false, shift: false, mix: false, key: false }, // vsbox
];

/** Bytes 0..7 of `out` from `dword` (byte 0 the most significant), through two 32-bit words. */
function putDword(out: Uint8Array, at: number, dword: bigint): void {
  const words = [Number((dword >> 32n) & 0xffffffffn), Number(dword & 0xffffffffn)];
  for (let i = 0; i < 8; i++) out[at + i] = (words[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
}

const bytesOf = (high: bigint, low: bigint): Uint8Array => {
  const out = new Uint8Array(16);
  putDword(out, 0, high);
  putDword(out, 8, low);
  return out;
};

const doubleword = (s: Uint8Array, which: number): bigint => {
  const word = (at: number): bigint => BigInt(((s[at]! << 24) | (s[at + 1]! << 16) | (s[at + 2]! << 8) | s[at + 3]!) >>> 0);
  return (word(which * 8) << 32n) | word(which * 8 + 4);
};

/** The round computed last, by its operands: the handler's second call (the other doubleword) reuses it. */
let last: { operands: readonly HelperValue[]; state: Uint8Array } | undefined;

function round(operands: readonly HelperValue[]): Uint8Array {
  if (last && last.operands.every((v, i) => v === operands[i])) return last.state;
  const [aHigh, aLow, keyHigh, keyLow, kind] = operands;
  const step = ROUNDS[kind as number]!;
  const box = step.inverse ? INV_SBOX : SBOX;
  let s = bytesOf(aHigh as bigint, aLow as bigint);
  if (step.shift) s = shiftRows(s, step.inverse);
  s = s.map((x) => box[x]!);
  const key = bytesOf(keyHigh as bigint, keyLow as bigint);
  if (step.mix && !step.inverse) s = mixColumns(s, false);
  if (step.key) s = s.map((x, i) => x ^ key[i]!);
  if (step.mix && step.inverse) s = mixColumns(s, true);
  last = { operands, state: s };
  return s;
}

const aesRound = defineHelper({
  name: 'ppc64_aes_round',
  params: ['i64', 'i64', 'i64', 'i64', 'i32', 'i32'],
  result: 'i64',
  impl: (_ctx, aHigh, aLow, keyHigh, keyLow, kind, which) => doubleword(round([aHigh, aLow, keyHigh, keyLow, kind]), which as number),
});

const aes =
  (kind: number): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const a = ctx.v(f.vra);
    const key = ROUNDS[kind]!.key ? ctx.v(f.vrb) : a;
    // Doubleword element 0 is i64x2 lane 1.
    const half = (v: Temp, l: number): Temp => b.vop('i64x2.extract_lane', [v], l);
    const args = [half(a, 1), half(a, 0), half(key, 1), half(key, 0), b.i32(kind)];
    const [high, low] = [0, 1].map((which) => b.call(aesRound, [...args, b.i32(which)])!);
    ctx.setV(f.vrt, b.vop('i64x2.replace_lane', [b.vop('i64x2.splat', [low!]), high!], 1));
    return true;
  };

const VX = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 ${bits(xo, 11)}`;

export const VECTOR_AES_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  [VX(1288), 'vcipher', aes(0)],
  [VX(1289), 'vcipherlast', aes(1)],
  [VX(1352), 'vncipher', aes(2)],
  [VX(1353), 'vncipherlast', aes(3)],
  [`000100 vrt:5 vra:5 00000 ${bits(1480, 11)}`, 'vsbox', aes(4)],
];
