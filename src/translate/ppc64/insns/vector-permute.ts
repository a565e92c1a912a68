/**
 * Vector and VSX permutes, splats, merges and bitwise logic (Power ISA 3.0 Book I 6.8, 6.9.1, 7.6):
 * vperm, vpermr, vpermxor, xxperm, xxpermr, vsldoi, vsplt{b,h,w}, vspltis{b,h,w}, xxspltib,
 * vmrg{h,l}{b,h,w}, xxpermdi, xxsldwi, xxmrg{h,l}w, xxspltw, xxbr{h,w,d,q}, vextract*, vinsert*,
 * xxextractuw, xxinsertw, xxsel, vsel, the VMX and VSX logical operations, vgbbd and vbpermq, and the
 * shifts of the whole register by bits (vsl, vsr) and by octets (vslo, vsro).
 *
 * Fixed permutes are i8x16.shuffle with selectors computed from PowerPC element numbers
 * (lanes.ts); the run-time controls of vperm and friends go through two swizzles.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { byteLane, dwordLane, shuffleOfElements } from '../lanes';
import { bits } from './forms';

/** Byte elements of a permute of element size `size`: element e of the 32-byte pair as bytes. */
function bytesOf(elements: readonly number[], size: number): number[] {
  return elements.flatMap((e) => Array.from({ length: size }, (_, i) => e * size + i));
}

/** result = shuffle of a||b by PowerPC byte elements. */
function permute(ctx: PpcContext, a: Temp, c: Temp, byteElements: readonly number[]): Temp {
  return ctx.b.vop('i8x16.shuffle', [a, c], shuffleOfElements(byteElements));
}

const vsldoi: PpcHandler = (ctx, f) => {
  const elements = Array.from({ length: 16 }, (_, k) => f.shb + k);
  ctx.setV(f.vrt, permute(ctx, ctx.v(f.vra), ctx.v(f.vrb), elements));
  return true;
};

/**
 * Byte k of the 32-byte a||c at index k of `index` (a v128 of byte indices 0..31), as two
 * swizzles (out-of-range indices give 0).
 */
function selectBytes(ctx: PpcContext, a: Temp, c: Temp, index: Temp): Temp {
  const b = ctx.b;
  const splat = (n: number): Temp => b.vop('i8x16.splat', [b.i32(n)]);
  // Element e of a is wasm lane 15-e; element e of c (e >= 16) is lane 31-e of c.
  const fromA = b.vop('i8x16.swizzle', [a, b.vop('i8x16.sub', [splat(15), index])]);
  const fromC = b.vop('i8x16.swizzle', [c, b.vop('i8x16.sub', [splat(31), index])]);
  return b.vop('v128.or', [fromA, fromC]);
}

/**
 * vperm/vpermr, xxperm/xxpermr: byte k = (A||B)[control byte k & 31], or [31 - (control byte k & 31)]
 * for the reversed forms. The VSX forms permute XA||XT under control of XB.
 */
function permuteBy(ctx: PpcContext, a: Temp, c: Temp, control: Temp, reversed: boolean): Temp {
  const b = ctx.b;
  const low = b.vop('v128.and', [control, b.vop('i8x16.splat', [b.i32(31)])]);
  const index = reversed ? b.vop('i8x16.sub', [b.vop('i8x16.splat', [b.i32(31)]), low]) : low;
  return selectBytes(ctx, a, c, index);
}
const vperm =
  (reversed: boolean): PpcHandler =>
  (ctx, f) => (ctx.setV(f.vrt, permuteBy(ctx, ctx.v(f.vra), ctx.v(f.vrb), ctx.v(f.vrc), reversed)), true);
const xxperm =
  (reversed: boolean): PpcHandler =>
  (ctx, f) => (ctx.setVs(xt(f), permuteBy(ctx, ctx.vs(xa(f)), ctx.vs(xt(f)), ctx.vs(xb(f)), reversed)), true);

/** vpermxor: byte k = VRA byte (high nibble of VRC byte k) ^ VRB byte (its low nibble). */
const vpermxor: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const control = ctx.v(f.vrc);
  const high = b.vop('i8x16.shr_u', [control, b.i32(4)]);
  const low = b.vop('v128.and', [control, b.vop('i8x16.splat', [b.i32(15)])]);
  const zero = b.v128(new Uint8Array(16));
  const fromA = selectBytes(ctx, ctx.v(f.vra), zero, high);
  const fromB = selectBytes(ctx, ctx.v(f.vrb), zero, low);
  ctx.setV(f.vrt, b.vop('v128.xor', [fromA, fromB]));
  return true;
};

/** vsplt{b,h,w}: element uim of VRB in every element. */
const vsplt =
  (size: 1 | 2 | 4): PpcHandler =>
  (ctx, f) => {
    const count = 16 / size;
    if (f.uim >= count) return false;
    const v = ctx.v(f.vrb);
    ctx.setV(f.vrt, permute(ctx, v, v, bytesOf(Array(count).fill(f.uim), size)));
    return true;
  };
/** vspltis{b,h,w}: the sign-extended 5-bit immediate in every element. */
const vspltis =
  (shape: 'i8x16' | 'i16x8' | 'i32x4'): PpcHandler =>
  (ctx, f) => {
    ctx.setV(f.vrt, ctx.b.vop(`${shape}.splat`, [ctx.b.i32(f.sim)]));
    return true;
  };

/** vmrgh (high = false) / vmrgl: elements of VRA and VRB interleaved from the first or second half. */
const merge =
  (size: 1 | 2 | 4, low: boolean, vsx = false): PpcHandler =>
  (ctx, f) => {
    const count = 16 / size;
    const half = count / 2;
    const elements: number[] = [];
    for (let i = 0; i < half; i++) elements.push((low ? half : 0) + i, count + (low ? half : 0) + i);
    const [a, c] = vsx ? [ctx.vs(xa(f)), ctx.vs(xb(f))] : [ctx.v(f.vra), ctx.v(f.vrb)];
    const r = permute(ctx, a, c, bytesOf(elements, size));
    if (vsx) ctx.setVs(xt(f), r);
    else ctx.setV(f.vrt, r);
    return true;
  };

/** vmrgew/vmrgow: even (or odd) words of VRA and VRB interleaved. */
const mergeWords =
  (odd: boolean): PpcHandler =>
  (ctx, f) => {
    const first = odd ? 1 : 0;
    const words = [first, 4 + first, first + 2, 4 + first + 2];
    ctx.setV(f.vrt, permute(ctx, ctx.v(f.vra), ctx.v(f.vrb), bytesOf(words, 4)));
    return true;
  };

// XX3-form register numbers (AX, BX, TX extend A, B, T to 6 bits).
const xt = (f: Record<string, number>): number => (f.tx << 5) | f.t;
const xa = (f: Record<string, number>): number => (f.ax << 5) | f.a;
const xb = (f: Record<string, number>): number => (f.bx << 5) | f.b;

/** xxpermdi: doubleword DM[0] of XA, then DM[1] of XB. */
const xxpermdi: PpcHandler = (ctx, f) => {
  const d0 = (f.dm >> 1) & 1;
  const d1 = f.dm & 1;
  const elements = [...Array.from({ length: 8 }, (_, i) => d0 * 8 + i), ...Array.from({ length: 8 }, (_, i) => 16 + d1 * 8 + i)];
  ctx.setVs(xt(f), permute(ctx, ctx.vs(xa(f)), ctx.vs(xb(f)), elements));
  return true;
};
/** xxsldwi: words shw..shw+3 of XA||XB. */
const xxsldwi: PpcHandler = (ctx, f) => {
  const elements = Array.from({ length: 16 }, (_, k) => f.shw * 4 + k);
  ctx.setVs(xt(f), permute(ctx, ctx.vs(xa(f)), ctx.vs(xb(f)), elements));
  return true;
};
const xxspltw: PpcHandler = (ctx, f) => {
  const v = ctx.vs(xb(f));
  ctx.setVs(xt(f), permute(ctx, v, v, bytesOf([f.uim, f.uim, f.uim, f.uim], 4)));
  return true;
};

/** xxspltib: the 8-bit immediate in every byte. */
const xxspltib: PpcHandler = (ctx, f) => (ctx.setVs(xt(f), ctx.b.vop('i8x16.splat', [ctx.b.i32(f.imm8)])), true);

/** xxbr{h,w,d,q}: the bytes of each element of `size` bytes reversed. */
const byteReverse =
  (size: 2 | 4 | 8 | 16): PpcHandler =>
  (ctx, f) => {
    const elements = Array.from({ length: 16 }, (_, k) => k - (k % size) + (size - 1 - (k % size)));
    const v = ctx.vs(xb(f));
    ctx.setVs(xt(f), permute(ctx, v, v, elements));
    return true;
  };

/**
 * vextractu{b,h,w}, vextractd, xxextractuw: bytes uim..uim+size-1 of the source, zero-extended into
 * doubleword 0; doubleword 1 is zero. (A uim past 16 - size is undefined by the ISA; the bytes past
 * the end read as zero here.)
 */
function extractBytes(ctx: PpcContext, v: Temp, size: number, uim: number): Temp {
  // Byte elements 16.. of the second source are zero.
  const elements = Array.from({ length: 16 }, (_, k) =>
    k >= 8 - size && k < 8 && uim + k - (8 - size) < 16 ? uim + k - (8 - size) : 16,
  );
  return permute(ctx, v, ctx.b.v128(new Uint8Array(16)), elements);
}
/** vinsert{b,h,w,d}, xxinsertw: the `size`-byte element at the right of doubleword 0 of the source into bytes uim.. of the target. */
function insertBytes(ctx: PpcContext, target: Temp, source: Temp, size: number, uim: number): Temp {
  const elements = Array.from({ length: 16 }, (_, k) => (k >= uim && k < uim + size ? 16 + 8 - size + k - uim : k));
  return permute(ctx, target, source, elements);
}
const vextract =
  (size: 1 | 2 | 4 | 8): PpcHandler =>
  (ctx, f) => (ctx.setV(f.vrt, extractBytes(ctx, ctx.v(f.vrb), size, f.uim)), true);
const vinsert =
  (size: 1 | 2 | 4 | 8): PpcHandler =>
  (ctx, f) => (ctx.setV(f.vrt, insertBytes(ctx, ctx.v(f.vrt), ctx.v(f.vrb), size, f.uim)), true);
const xxextractuw: PpcHandler = (ctx, f) => (ctx.setVs(xt(f), extractBytes(ctx, ctx.vs(xb(f)), 4, f.uim)), true);
const xxinsertw: PpcHandler = (ctx, f) => (ctx.setVs(xt(f), insertBytes(ctx, ctx.vs(xt(f)), ctx.vs(xb(f)), 4, f.uim)), true);

type Logic = (ctx: PpcContext, a: Temp, c: Temp) => Temp;
const vnot = (ctx: PpcContext, v: Temp): Temp => ctx.b.vop('v128.not', [v]);
const LOGIC: readonly [string, number, number, Logic][] = [
  // [name, VMX VX opcode, VSX XX3 opcode, operation]
  ['and', 1028, 130, (c, a, d) => c.b.vop('v128.and', [a, d])],
  ['andc', 1092, 138, (c, a, d) => c.b.vop('v128.andnot', [a, d])],
  ['or', 1156, 146, (c, a, d) => c.b.vop('v128.or', [a, d])],
  ['xor', 1220, 154, (c, a, d) => c.b.vop('v128.xor', [a, d])],
  ['nor', 1284, 162, (c, a, d) => vnot(c, c.b.vop('v128.or', [a, d]))],
  ['orc', 1348, 170, (c, a, d) => c.b.vop('v128.or', [a, vnot(c, d)])],
  ['nand', 1412, 178, (c, a, d) => vnot(c, c.b.vop('v128.and', [a, d]))],
  ['eqv', 1668, 186, (c, a, d) => vnot(c, c.b.vop('v128.xor', [a, d]))],
];
const vmxLogic =
  (op: Logic): PpcHandler =>
  (ctx, f) => (ctx.setV(f.vrt, op(ctx, ctx.v(f.vra), ctx.v(f.vrb))), true);
const vsxLogic =
  (op: Logic): PpcHandler =>
  (ctx, f) => (ctx.setVs(xt(f), op(ctx, ctx.vs(xa(f)), ctx.vs(xb(f)))), true);

/** vsel / xxsel: bits of the second source where the mask is 1, of the first where 0. */
const vsel: PpcHandler = (ctx, f) => {
  ctx.setV(f.vrt, ctx.b.vop('v128.bitselect', [ctx.v(f.vrb), ctx.v(f.vra), ctx.v(f.vrc)]));
  return true;
};
const xxsel: PpcHandler = (ctx, f) => {
  const xc = (f.cx << 5) | f.c;
  ctx.setVs(xt(f), ctx.b.vop('v128.bitselect', [ctx.vs(xb(f)), ctx.vs(xa(f)), ctx.vs(xc)]));
  return true;
};

/**
 * vgbbd's doubleword operation: the 8x8 bit matrix of the bytes transposed (byte i bit j, both
 * counted from the most significant end, to byte j bit i), in three rounds that swap ever larger
 * blocks across the diagonal (Hacker's Delight, transpose8). glibc's POWER8 string functions run
 * vgbbd in their loops; a helper doing it bit by bit in BigInt was 6 % of lua5.4's CPU time.
 */
function transposeBitMatrix(b: PpcContext['b'], x: Temp): Temp {
  const round = (x: Temp, keep: bigint, move: bigint, shift: number): Temp => {
    const up = b.shl(b.and(x, b.i64(move)), b.i64(shift));
    const down = b.and(b.shrU(x, b.i64(shift)), b.i64(move));
    return b.or(b.and(x, b.i64(keep)), b.or(up, down));
  };
  x = round(x, 0xaa55aa55aa55aa55n, 0x00aa00aa00aa00aan, 7);
  x = round(x, 0xcccc3333cccc3333n, 0x0000cccc0000ccccn, 14);
  return round(x, 0xf0f0f0f00f0f0f0fn, 0x00000000f0f0f0f0n, 28);
}
const vgbbd: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const v = ctx.v(f.vrb);
  const lanes = [0, 1].map((l) => transposeBitMatrix(b, b.vop('i64x2.extract_lane', [v], l)));
  ctx.setV(f.vrt, b.vop('i64x2.replace_lane', [b.vop('i64x2.splat', [lanes[0]!]), lanes[1]!], 1));
  return true;
};

/** 0x80 >> j in byte lane j < 8: the mask of bit j of a byte (from the most significant), for a swizzle. */
const BIT_OF_BYTE = Uint8Array.from({ length: 16 }, (_, j) => (j < 8 ? 0x80 >> j : 0));

/**
 * vbpermq: a 16-bit result in doubleword element 0 (bits 48:63), doubleword 1 zero. Its bit i is
 * the bit of VRA that byte element i of VRB indexes (from the most significant end), 0 where that
 * index is 128 or more. glibc's POWER8 strlen, strchr and memchr run it in their loops (a helper
 * gathering the bits one by one was 1 to 6 % of lua5.4's and sqlite3's CPU time), so it is done
 * in SIMD: swizzles pick each index's byte of VRA and its bit's mask (an index of 128 or more
 * picks lane 240 or above, which gives 0), and i8x16.bitmask gathers the tests. Element i is lane
 * 15 - i (lanes.ts), and the result's bit for element i is bit 15 - i: the lane order is the bits'.
 */
const vbpermq: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const index = ctx.v(f.vrb);
  const splat = (byte: number): Temp => b.vop('i8x16.splat', [b.i32(byte)]);
  const laneOfByte = b.vop('i8x16.sub', [splat(byteLane(0)), b.vop('i8x16.shr_u', [index, b.i32(3)])]);
  const bytes = b.vop('i8x16.swizzle', [ctx.v(f.vra), laneOfByte]);
  const masks = b.vop('i8x16.swizzle', [b.v128(BIT_OF_BYTE), b.vop('v128.and', [index, splat(7)])]);
  const bits = b.vop('i8x16.bitmask', [b.vop('i8x16.ne', [b.vop('v128.and', [bytes, masks]), splat(0)])]);
  ctx.setV(f.vrt, b.vop('i64x2.replace_lane', [splat(0), b.zext(bits)], dwordLane(0)));
  return true;
};

/**
 * The shift count of vsl/vsr (bits 125:127 of VRB) or vslo/vsro (bits 121:124): the ISA leaves the
 * result undefined unless every byte holds the same count, and QEMU and POWER hardware use the last.
 */
function shiftCount(ctx: PpcContext, vrb: number, octets: boolean): Temp {
  const b = ctx.b;
  const last = b.vop('i8x16.extract_lane_u', [ctx.v(vrb)], byteLane(15));
  return octets ? b.and(b.shrU(last, b.i32(3)), b.i32(15)) : b.and(last, b.i32(7));
}

/** vsl/vsr: VRA shifted by 0-7 bits as one 128-bit value, the bits crossing between doublewords kept. */
const shiftBits =
  (left: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const a = ctx.v(f.vra);
    const sh = shiftCount(ctx, f.vrb, false);
    const [toward, away] = left ? ['i64x2.shl', 'i64x2.shr_u'] : ['i64x2.shr_u', 'i64x2.shl'];
    // The bits leaving each doubleword, shifted by 64 - sh in two steps so that sh = 0 leaves none.
    const leaving = b.vop(away, [b.vop(away, [a, b.i32(1)]), b.sub(b.i32(63), sh)]);
    // They enter the other doubleword: left shifts move the low one's into the high one (wasm lane 0 to 1).
    const zero = b.v128(new Uint8Array(16));
    const moved = b.vop('i8x16.shuffle', [leaving, zero], crossDoubleword(left));
    ctx.setV(f.vrt, b.vop('v128.or', [b.vop(toward, [a, sh]), moved]));
    return true;
  };
/** i8x16.shuffle selectors of (v, zero) that move wasm lane 0's doubleword into lane 1 (left) or back. */
function crossDoubleword(left: boolean): Uint8Array {
  const sel = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    sel[i] = left ? 16 + i : 8 + i;
    sel[8 + i] = left ? i : 16 + i;
  }
  return sel;
}

/** vslo/vsro: VRA shifted by 0-15 octets; a swizzle index out of range gives the zero bytes shifted in. */
const shiftOctets =
  (left: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const n = b.vop('i8x16.splat', [shiftCount(ctx, f.vrb, true)]);
    // Wasm lane i (byte element 15-i) takes lane i - n for left shifts, i + n for right ones.
    const iota = b.v128(Uint8Array.from({ length: 16 }, (_, i) => i));
    const index = b.vop(left ? 'i8x16.sub' : 'i8x16.add', [iota, n]);
    ctx.setV(f.vrt, b.vop('i8x16.swizzle', [ctx.v(f.vra), index]));
    return true;
  };

const VX = (xo: number): string => `000100 vrt:5 vra:5 vrb:5 ${bits(xo, 11)}`;
const XX3 = (xo: number): string => `111100 t:5 a:5 b:5 ${bits(xo, 8)} ax:1 bx:1 tx:1`;
const SPLAT = (xo: number): string => `000100 vrt:5 uim:5 vrb:5 ${bits(xo, 11)}`;
const VX_UIM = (xo: number): string => `000100 vrt:5 0 uim:4 vrb:5 ${bits(xo, 11)}`;
/** XX2 form of extended opcode 475, whose bits 11:15 select the operation (xxbr*). */
const XX2_SEL = (sel: number): string => `111100 t:5 ${bits(sel, 5)} b:5 ${bits(475, 9)} bx:1 tx:1`;
const SPLAT_IMM = (xo: number): string => `000100 vrt:5 sim:s5 00000 ${bits(xo, 11)}`;

export const VECTOR_PERMUTE_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  ['000100 vrt:5 vra:5 vrb:5 vrc:5 101011', 'vperm', vperm(false)],
  ['000100 vrt:5 vra:5 vrb:5 vrc:5 111011', 'vpermr', vperm(true)],
  ['000100 vrt:5 vra:5 vrb:5 vrc:5 101101', 'vpermxor', vpermxor],
  ['000100 vrt:5 vra:5 vrb:5 0 shb:4 101100', 'vsldoi', vsldoi],
  ['000100 vrt:5 vra:5 vrb:5 vrc:5 101010', 'vsel', vsel],
  [SPLAT(524), 'vspltb', vsplt(1)],
  [SPLAT(588), 'vsplth', vsplt(2)],
  [SPLAT(652), 'vspltw', vsplt(4)],
  [SPLAT_IMM(780), 'vspltisb', vspltis('i8x16')],
  [SPLAT_IMM(844), 'vspltish', vspltis('i16x8')],
  [SPLAT_IMM(908), 'vspltisw', vspltis('i32x4')],
  [VX(12), 'vmrghb', merge(1, false)],
  [VX(76), 'vmrghh', merge(2, false)],
  [VX(140), 'vmrghw', merge(4, false)],
  [VX(268), 'vmrglb', merge(1, true)],
  [VX(332), 'vmrglh', merge(2, true)],
  [VX(396), 'vmrglw', merge(4, true)],
  [VX(1932), 'vmrgew', mergeWords(false)],
  [VX(1676), 'vmrgow', mergeWords(true)],
  [VX(1292), 'vgbbd', vgbbd],
  [VX(1356), 'vbpermq', vbpermq],
  [VX(452), 'vsl', shiftBits(true)],
  [VX(708), 'vsr', shiftBits(false)],
  [VX(1036), 'vslo', shiftOctets(true)],
  [VX(1100), 'vsro', shiftOctets(false)],
  ...LOGIC.map(([name, vmx, , op]) => [VX(vmx), `v${name}`, vmxLogic(op)] as const),
  ...LOGIC.map(([name, , vsx, op]) => [XX3(vsx), `xxl${name}`, vsxLogic(op)] as const),
  ['111100 t:5 a:5 b:5 0 dm:2 01010 ax:1 bx:1 tx:1', 'xxpermdi', xxpermdi],
  ['111100 t:5 a:5 b:5 0 shw:2 00010 ax:1 bx:1 tx:1', 'xxsldwi', xxsldwi],
  [XX3(18), 'xxmrghw', merge(4, false, true)],
  [XX3(50), 'xxmrglw', merge(4, true, true)],
  [`111100 t:5 000 uim:2 b:5 ${bits(164, 9)} bx:1 tx:1`, 'xxspltw', xxspltw],
  ['111100 t:5 a:5 b:5 c:5 11 cx:1 ax:1 bx:1 tx:1', 'xxsel', xxsel],
  [XX3(26), 'xxperm', xxperm(false)],
  [XX3(58), 'xxpermr', xxperm(true)],
  [`111100 t:5 00 imm8:8 ${bits(360, 10)} tx:1`, 'xxspltib', xxspltib],
  [XX2_SEL(7), 'xxbrh', byteReverse(2)],
  [XX2_SEL(15), 'xxbrw', byteReverse(4)],
  [XX2_SEL(23), 'xxbrd', byteReverse(8)],
  [XX2_SEL(31), 'xxbrq', byteReverse(16)],
  [`111100 t:5 0 uim:4 b:5 ${bits(165, 9)} bx:1 tx:1`, 'xxextractuw', xxextractuw],
  [`111100 t:5 0 uim:4 b:5 ${bits(181, 9)} bx:1 tx:1`, 'xxinsertw', xxinsertw],
  [VX_UIM(525), 'vextractub', vextract(1)],
  [VX_UIM(589), 'vextractuh', vextract(2)],
  [VX_UIM(653), 'vextractuw', vextract(4)],
  [VX_UIM(717), 'vextractd', vextract(8)],
  [VX_UIM(781), 'vinsertb', vinsert(1)],
  [VX_UIM(845), 'vinserth', vinsert(2)],
  [VX_UIM(909), 'vinsertw', vinsert(4)],
  [VX_UIM(973), 'vinsertd', vinsert(8)],
];
