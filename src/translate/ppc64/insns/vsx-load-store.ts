/**
 * Vector and VSX storage access and GPR moves (Power ISA 3.0 Book I 6.7 and 7.6): lvx/stvx and their
 * element forms, lvsl/lvsr, the VSX vector loads and stores (lxvd2x, lxvw4x, lxvh8x, lxvb16x,
 * lxvdsx, lxvwsx, lxv/lxvx and the stores), the scalar ones (lxsdx, lxsd, lxsiwax, lxsiwzx,
 * lxsibzx, lxsihzx, lxsspx, lxssp and stores), and the moves between GPRs and VSRs (mtvsrd,
 * mfvsrd, mtvsrwz, ...), mfvscr and mtvscr.
 *
 * A whole-quadword access (lvx, lxv, lxvx) is one v128 access: its byte order is the executors'
 * business, and the result is the ISA's for either byte order. Element-wise forms (lxvd2x,
 * lxvw4x, lxvh8x, lxvb16x) access each element on its own, in element order, which is what those
 * instructions mean in both byte orders.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';
import { byteLane, dwordLane, lane, wordLane } from '../lanes';
import { VSCR } from '../state';
import { bits, x31 } from './forms';
import { demoteDouble, promoteSingle } from './fp-common';

/** XT/XS register number of X and XX forms: the TX/SX bit selects the upper 32 VSRs. */
const xt = (f: Record<string, number>): number => (f.tx << 5) | f.t;

/** VSR with doubleword 0 replaced by `v` (i64 or f64). */
export function withDword0(ctx: PpcContext, reg: number, v: Temp): Temp {
  return ctx.b.vop(v.type === 'i64' ? 'i64x2.replace_lane' : 'f64x2.replace_lane', [ctx.vs(reg), v], dwordLane(0));
}
/** Doubleword element k of a v128 as i64. */
export const dword = (ctx: PpcContext, v: Temp, k: number): Temp => ctx.b.vop('i64x2.extract_lane', [v], dwordLane(k));

/** A v128 of two doublewords given in element order. */
export function fromDwords(ctx: PpcContext, d0: Temp, d1: Temp): Temp {
  const b = ctx.b;
  return b.vop('i64x2.replace_lane', [b.vop('i64x2.splat', [d1]), d0], dwordLane(0));
}

const quadLoad =
  (aligned: boolean): ((ctx: PpcContext, ea: Temp) => Temp) =>
  (ctx, ea) =>
    ctx.b.load('v128', aligned ? ctx.b.and(ea, ctx.b.i64(-16)) : ea, 16);

/**
 * lvx/lvxl (16-byte aligned EA) into VR rt. Also lvebx/lvehx/lvewx: the ISA leaves every element
 * but the addressed one undefined, so loading the whole aligned quadword (one page, so no new
 * fault) puts the element where either byte order wants it.
 */
const lvx: PpcHandler = (ctx, f) => (ctx.setV(f.rt, quadLoad(true)(ctx, ctx.eaX(f.ra, f.rb))), true);
const stvx: PpcHandler = (ctx, f) => {
  ctx.b.store(ctx.b.and(ctx.eaX(f.ra, f.rb), ctx.b.i64(-16)), ctx.v(f.rt), 16);
  return true;
};

/**
 * stvebx/stvehx/stvewx: the bytes that stvx would store at EA (aligned down to the element size),
 * one element of VR rs. Which element that is depends on the byte order, which only the executors
 * know, so the quadword is stored, the element read back from EA in the guest's order, and the
 * quadword's old contents put back before the element is stored alone. A first store of EA's own
 * contents makes a fault report EA, as QEMU does. The other bytes of the quadword are rewritten
 * with their own values, so a store another thread makes to them at that moment can be lost.
 */
const stve =
  (size: 1 | 2 | 4): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const ea = b.and(ctx.eaX(f.ra, f.rb), b.i64(-size));
    b.store(ea, b.load('i32', ea, size), size);
    const quad = b.and(ea, b.i64(-16));
    const old = b.load('v128', quad, 16);
    b.store(quad, ctx.v(f.rt), 16);
    const element = b.load('i32', ea, size);
    b.store(quad, old, 16);
    b.store(ea, element, size);
    return true;
  };

/**
 * lvsl/lvsr: the permute control vectors for a misaligned quadword: bytes sh..sh+15 (lvsl) or
 * 16-sh..31-sh (lvsr), sh = EA & 15. Built as a splat of sh added to a constant ramp.
 */
const lvs =
  (right: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const sh = b.wrap(b.and(ctx.eaX(f.ra, f.rb), b.i64(15)));
    const ramp = new Uint8Array(16);
    for (let k = 0; k < 16; k++) ramp[byteLane(k)] = right ? 16 + k : k;
    const splat = b.vop('i8x16.splat', [sh]);
    ctx.setV(f.rt, b.vop(right ? 'i8x16.sub' : 'i8x16.add', [b.v128(ramp), splat]));
    return true;
  };

/** [shape, scalar type] of the elements of each size. */
const ELEMENT: Record<1 | 2 | 4 | 8, ['i8x16' | 'i16x8' | 'i32x4' | 'i64x2', 'i32' | 'i64']> = {
  1: ['i8x16', 'i32'],
  2: ['i16x8', 'i32'],
  4: ['i32x4', 'i32'],
  8: ['i64x2', 'i64'],
};
/**
 * lxvd2x, lxvw4x, lxvh8x, lxvb16x and their stores: element k at EA + k * size, each element an
 * access of its own in the guest's byte order (so lxvb16x's bytes land in element order in both).
 */
const loadElements =
  (size: 1 | 2 | 4 | 8): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [shape, type] = ELEMENT[size];
    const count = (16 / size) as 2 | 4 | 8 | 16;
    const ea = ctx.eaX(f.ra, f.rb);
    let v = b.v128(new Uint8Array(16));
    for (let k = 0; k < count; k++) {
      v = b.vop(`${shape}.replace_lane`, [v, b.load(type, b.add(ea, b.i64(size * k)), size)], lane(count, k));
    }
    ctx.setVs(xt(f), v);
    return true;
  };
const storeElements =
  (size: 1 | 2 | 4 | 8): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const [shape] = ELEMENT[size];
    const count = (16 / size) as 2 | 4 | 8 | 16;
    const extract = size <= 2 ? `${shape}.extract_lane_u` : `${shape}.extract_lane`;
    const ea = ctx.eaX(f.ra, f.rb);
    const v = ctx.vs(xt(f));
    for (let k = 0; k < count; k++) b.store(b.add(ea, b.i64(size * k)), b.vop(extract, [v], lane(count, k)), size);
    return true;
  };
/** lxvwsx: the word at EA in every word element. */
const lxvwsx: PpcHandler = (ctx, f) => {
  ctx.setVs(xt(f), ctx.b.vop('i32x4.splat', [ctx.b.load('i32', ctx.eaX(f.ra, f.rb), 4)]));
  return true;
};
const lxvdsx: PpcHandler = (ctx, f) => {
  ctx.setVs(xt(f), ctx.b.vop('i64x2.splat', [ctx.b.load('i64', ctx.eaX(f.ra, f.rb), 8)]));
  return true;
};
/** lxvx/stxvx: the whole quadword at an unaligned EA. */
const lxvx: PpcHandler = (ctx, f) => (ctx.setVs(xt(f), quadLoad(false)(ctx, ctx.eaX(f.ra, f.rb))), true);
const stxvx: PpcHandler = (ctx, f) => (ctx.b.store(ctx.eaX(f.ra, f.rb), ctx.vs(xt(f)), 16), true);
/** lxv/stxv (DQ form): XT = TX || T with TX after the opcode bits. */
const lxv: PpcHandler = (ctx, f) => (ctx.setVs(xt(f), quadLoad(false)(ctx, ctx.ea(f.ra, f.dq * 16))), true);
const stxv: PpcHandler = (ctx, f) => (ctx.b.store(ctx.ea(f.ra, f.dq * 16), ctx.vs(xt(f)), 16), true);

/** Scalar loads into doubleword 0 of a VSR (doubleword 1 is undefined by the ISA and kept here). */
type ScalarLoad = (ctx: PpcContext, ea: Temp) => Temp;
const dwordLoad: ScalarLoad = (ctx, ea) => ctx.b.load('i64', ea, 8);
const singleLoad: ScalarLoad = (ctx, ea) => promoteSingle(ctx, ctx.b.load('f32', ea, 4));
const intLoad =
  (size: 1 | 2 | 4, signed = false): ScalarLoad =>
  (ctx, ea) =>
    ctx.b.load('i64', ea, size, signed);

type ScalarStore = (ctx: PpcContext, ea: Temp, v: Temp) => void;
const dwordStore: ScalarStore = (ctx, ea, v) => ctx.b.store(ea, dword(ctx, v, 0), 8);
const singleStore: ScalarStore = (ctx, ea, v) =>
  ctx.b.store(ea, demoteDouble(ctx, ctx.b.vop('f64x2.extract_lane', [v], dwordLane(0))), 4);
const intStore =
  (size: 1 | 2 | 4): ScalarStore =>
  (ctx, ea, v) =>
    ctx.b.store(ea, ctx.b.wrap(dword(ctx, v, 0)), size);

const scalarX =
  (load: ScalarLoad): PpcHandler =>
  (ctx, f) => {
    const reg = xt(f);
    ctx.setVs(reg, withDword0(ctx, reg, load(ctx, ctx.eaX(f.ra, f.rb))));
    return true;
  };
const scalarStoreX =
  (store: ScalarStore): PpcHandler =>
  (ctx, f) => {
    store(ctx, ctx.eaX(f.ra, f.rb), ctx.vs(xt(f)));
    return true;
  };
/** lxsd/lxssp/stxsd/stxssp (DS form): VR rt, i.e. VSR 32+rt. */
const scalarDs =
  (load: ScalarLoad): PpcHandler =>
  (ctx, f) => {
    ctx.setVs(32 + f.rt, withDword0(ctx, 32 + f.rt, load(ctx, ctx.ea(f.ra, f.ds * 4))));
    return true;
  };
const scalarStoreDs =
  (store: ScalarStore): PpcHandler =>
  (ctx, f) => {
    store(ctx, ctx.ea(f.ra, f.ds * 4), ctx.v(f.rt));
    return true;
  };

// Moves between GPRs and VSRs.
const mfvsrd: PpcHandler = (ctx, f) => (ctx.setR(f.ra, dword(ctx, ctx.vs(xt(f)), 0)), true);
const mfvsrwz: PpcHandler = (ctx, f) => (ctx.setR(f.ra, ctx.b.and(dword(ctx, ctx.vs(xt(f)), 0), ctx.b.i64(0xffffffff))), true);
const mfvsrld: PpcHandler = (ctx, f) => (ctx.setR(f.ra, dword(ctx, ctx.vs(xt(f)), 1)), true);
const mtvsr =
  (value: (ctx: PpcContext, ra: number) => Temp): PpcHandler =>
  (ctx, f) => {
    const reg = xt(f);
    ctx.setVs(reg, withDword0(ctx, reg, value(ctx, f.ra)));
    return true;
  };
const mtvsrdd: PpcHandler = (ctx, f) => (ctx.setVs(xt(f), fromDwords(ctx, ctx.r0z(f.ra), ctx.r(f.rb))), true);
const mtvsrws: PpcHandler = (ctx, f) => (ctx.setVs(xt(f), ctx.b.vop('i32x4.splat', [ctx.w(f.ra)])), true);

const mfvscr: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  ctx.setV(f.rt, b.vop('i32x4.replace_lane', [b.vop('i32x4.splat', [b.i32(0)]), b.get(VSCR, 'i32')], wordLane(3)));
  return true;
};
const mtvscr: PpcHandler = (ctx, f) => {
  ctx.b.set(VSCR, ctx.b.vop('i32x4.extract_lane', [ctx.v(f.rb)], wordLane(3)));
  return true;
};

const XX = 't:5 ra:5 rb:5';
const XX_TX = 'tx:1';

export const VSX_LOAD_STORE_ROWS = [
  [x31('rt:5 ra:5 rb:5', 103, '0'), 'lvx', lvx],
  [x31('rt:5 ra:5 rb:5', 359, '0'), 'lvxl', lvx],
  [x31('rt:5 ra:5 rb:5', 231, '0'), 'stvx', stvx],
  [x31('rt:5 ra:5 rb:5', 487, '0'), 'stvxl', stvx],
  [x31('rt:5 ra:5 rb:5', 7, '0'), 'lvebx', lvx],
  [x31('rt:5 ra:5 rb:5', 39, '0'), 'lvehx', lvx],
  [x31('rt:5 ra:5 rb:5', 71, '0'), 'lvewx', lvx],
  [x31('rt:5 ra:5 rb:5', 135, '0'), 'stvebx', stve(1)],
  [x31('rt:5 ra:5 rb:5', 167, '0'), 'stvehx', stve(2)],
  [x31('rt:5 ra:5 rb:5', 199, '0'), 'stvewx', stve(4)],
  [x31('rt:5 ra:5 rb:5', 6, '0'), 'lvsl', lvs(false)],
  [x31('rt:5 ra:5 rb:5', 38, '0'), 'lvsr', lvs(true)],
  [x31(XX, 844, XX_TX), 'lxvd2x', loadElements(8)],
  [x31(XX, 972, XX_TX), 'stxvd2x', storeElements(8)],
  [x31(XX, 780, XX_TX), 'lxvw4x', loadElements(4)],
  [x31(XX, 908, XX_TX), 'stxvw4x', storeElements(4)],
  [x31(XX, 812, XX_TX), 'lxvh8x', loadElements(2)],
  [x31(XX, 940, XX_TX), 'stxvh8x', storeElements(2)],
  [x31(XX, 876, XX_TX), 'lxvb16x', loadElements(1)],
  [x31(XX, 1004, XX_TX), 'stxvb16x', storeElements(1)],
  [x31(XX, 364, XX_TX), 'lxvwsx', lxvwsx],
  [x31(XX, 332, XX_TX), 'lxvdsx', lxvdsx],
  [x31(XX, 268, XX_TX), 'lxvx', lxvx],
  [x31(XX, 396, XX_TX), 'stxvx', stxvx],
  [x31(XX, 588, XX_TX), 'lxsdx', scalarX(dwordLoad)],
  [x31(XX, 716, XX_TX), 'stxsdx', scalarStoreX(dwordStore)],
  [x31(XX, 524, XX_TX), 'lxsspx', scalarX(singleLoad)],
  [x31(XX, 652, XX_TX), 'stxsspx', scalarStoreX(singleStore)],
  [x31(XX, 76, XX_TX), 'lxsiwax', scalarX(intLoad(4, true))],
  [x31(XX, 12, XX_TX), 'lxsiwzx', scalarX(intLoad(4))],
  [x31(XX, 140, XX_TX), 'stxsiwx', scalarStoreX(intStore(4))],
  [x31(XX, 781, XX_TX), 'lxsibzx', scalarX(intLoad(1))],
  [x31(XX, 813, XX_TX), 'lxsihzx', scalarX(intLoad(2))],
  [x31(XX, 909, XX_TX), 'stxsibx', scalarStoreX(intStore(1))],
  [x31(XX, 941, XX_TX), 'stxsihx', scalarStoreX(intStore(2))],
  [`111101 t:5 ra:5 dq:s12 tx:1 001`, 'lxv', lxv],
  [`111101 t:5 ra:5 dq:s12 tx:1 101`, 'stxv', stxv],
  ['111001 rt:5 ra:5 ds:s14 10', 'lxsd', scalarDs(dwordLoad)],
  ['111001 rt:5 ra:5 ds:s14 11', 'lxssp', scalarDs(singleLoad)],
  ['111101 rt:5 ra:5 ds:s14 10', 'stxsd', scalarStoreDs(dwordStore)],
  ['111101 rt:5 ra:5 ds:s14 11', 'stxssp', scalarStoreDs(singleStore)],
  [x31('t:5 ra:5 00000', 51, XX_TX), 'mfvsrd', mfvsrd],
  [x31('t:5 ra:5 00000', 115, XX_TX), 'mfvsrwz', mfvsrwz],
  [x31('t:5 ra:5 00000', 307, XX_TX), 'mfvsrld', mfvsrld],
  [x31('t:5 ra:5 00000', 179, XX_TX), 'mtvsrd', mtvsr((c, ra) => c.r(ra))],
  [x31('t:5 ra:5 00000', 211, XX_TX), 'mtvsrwa', mtvsr((c, ra) => c.b.sext(c.w(ra)))],
  [x31('t:5 ra:5 00000', 243, XX_TX), 'mtvsrwz', mtvsr((c, ra) => c.b.zext(c.w(ra)))],
  [x31(XX, 435, XX_TX), 'mtvsrdd', mtvsrdd],
  [x31('t:5 ra:5 00000', 403, XX_TX), 'mtvsrws', mtvsrws],
  [`000100 rt:5 00000 00000 ${bits(1540, 11)}`, 'mfvscr', mfvscr],
  [`000100 00000 00000 rb:5 ${bits(1604, 11)}`, 'mtvscr', mtvscr],
] as const;
