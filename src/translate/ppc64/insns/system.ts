/**
 * Special-purpose register moves and storage control (Power ISA 3.0 Book I 3.3.17, Book II 4):
 * mfspr/mtspr of the registers user code may touch (XER, LR, CTR, DSCR, VRSAVE, PPR, TAR, and the
 * time base through mfspr 268/269 and mftb; mfpvr, which Linux emulates), mfcr/mfocrf/mtcrf/mtocrf,
 * mcrxrx, setb, the cache
 * instructions (dcbz zeroes a 128-byte block, the others are hints with nothing to do without a
 * cache model) and the barriers.
 */
import type { Temp } from '../../ir/block';
import { defineHelper } from '../../ir/helpers';
import type { PpcContext, PpcHandler } from '../context';
import { CTR, DSCR, LR, PPR, TAR, VRSAVE, XER_BC, XER_CA, XER_CA32, XER_OV, XER_OV32, XER_SO } from '../state';
import { x31 } from './forms';

/** Time base frequency Linux reports for POWER8/9 (/proc/cpuinfo "timebase"). */
export const TIMEBASE_HZ = 512_000_000n;

const readTimeBase = defineHelper({
  name: 'ppc64_timebase',
  params: [],
  result: 'i64',
  impl: () => (process.hrtime.bigint() * TIMEBASE_HZ) / 1_000_000_000n,
});

/** XER bit positions (from the least significant end) of its separately kept bits. */
const XER_BITS: readonly [number, number][] = [
  [XER_SO, 31],
  [XER_OV, 30],
  [XER_CA, 29],
  [XER_OV32, 19],
  [XER_CA32, 18],
];

function readXer(ctx: PpcContext): Temp {
  const b = ctx.b;
  let v = b.get(XER_BC, 'i32');
  for (const [slot, bit] of XER_BITS) v = b.or(v, b.shl(b.get(slot, 'i32'), b.i32(bit)));
  return b.zext(v);
}
function writeXer(ctx: PpcContext, value: Temp): void {
  const b = ctx.b;
  const w = b.wrap(value);
  for (const [slot, bit] of XER_BITS) b.set(slot, b.and(b.shrU(w, b.i32(bit)), b.i32(1)));
  b.set(XER_BC, b.and(w, b.i32(0x7f)));
}

/** 64-bit SPRs user code reads and writes as plain state. */
const PLAIN_SPRS: Record<number, number> = { 8: LR, 9: CTR, 3: DSCR, 896: PPR, 815: TAR };

/** The Processor Version Register's SPR number. */
const PVR = 287;

const sprNumber = (f: Record<string, number>): number => (f.sprh << 5) | f.sprl;

const mfspr: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const spr = sprNumber(f);
  const plain = PLAIN_SPRS[spr];
  if (plain !== undefined) ctx.setR(f.rt, b.get(plain, 'i64'));
  else if (spr === 1) ctx.setR(f.rt, readXer(ctx));
  else if (spr === 256) ctx.setR(f.rt, b.get(VRSAVE, 'i32'));
  else if (spr === 268) ctx.setR(f.rt, b.call(readTimeBase, [])!);
  else if (spr === 269) ctx.setR(f.rt, b.shrU(b.call(readTimeBase, [])!, b.i64(32)));
  // Reading the PVR is privileged; Linux emulates it for user code (arch/powerpc/kernel/traps.c).
  else if (spr === PVR) ctx.setR(f.rt, b.i64(ctx.pvr));
  else return false;
  return true;
};
const mtspr: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const spr = sprNumber(f);
  const plain = PLAIN_SPRS[spr];
  if (plain !== undefined) b.set(plain, ctx.r(f.rt));
  else if (spr === 1) writeXer(ctx, ctx.r(f.rt));
  else if (spr === 256) b.set(VRSAVE, ctx.w(f.rt));
  else return false;
  return true;
};

/** The CR fields selected by an 8-bit field mask (bit 7 = CR0) packed as in mfcr. */
function packCr(ctx: PpcContext, fxm: number): Temp {
  const b = ctx.b;
  let v = b.i32(0);
  for (let fld = 0; fld < 8; fld++) {
    if (fxm & (0x80 >> fld)) v = b.or(v, b.shl(ctx.cr(fld), b.i32(28 - 4 * fld)));
  }
  return b.zext(v);
}
const mfcr: PpcHandler = (ctx, f) => (ctx.setR(f.rt, packCr(ctx, 0xff)), true);
/** mfocrf: exactly one field selected, the others read as 0 (as QEMU and POWER9 do). */
const mfocrf: PpcHandler = (ctx, f) => {
  if (f.fxm === 0 || (f.fxm & (f.fxm - 1)) !== 0) return false;
  ctx.setR(f.rt, packCr(ctx, f.fxm));
  return true;
};
const mtcrf: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const w = ctx.w(f.rs);
  for (let fld = 0; fld < 8; fld++) {
    if (f.fxm & (0x80 >> fld)) ctx.setCr(fld, b.and(b.shrU(w, b.i32(28 - 4 * fld)), b.i32(15)));
  }
  return true;
};

/** mcrxrx: CR field = OV, OV32, CA, CA32. */
const mcrxrx: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const bit = (slot: number, at: number): Temp => b.shl(b.get(slot, 'i32'), b.i32(at));
  ctx.setCr(f.bf, b.or(b.or(bit(XER_OV, 3), bit(XER_OV32, 2)), b.or(bit(XER_CA, 1), bit(XER_CA32, 0))));
  return true;
};

/** setb: -1 if CR[bfa].LT, else 1 if GT, else 0. */
const setb: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const field = ctx.cr(f.bfa);
  const lt = b.compare('ne', b.and(field, b.i32(8)), b.i32(0));
  const gt = b.compare('ne', b.and(field, b.i32(4)), b.i32(0));
  ctx.setR(f.rt, b.select(lt, b.i64(-1), b.select(gt, b.i64(1), b.i64(0))));
  return true;
};

/** Bytes dcbz clears: the cache block size reported in AT_DCACHEBSIZE. */
export const CACHE_BLOCK = 128;

const dcbz: PpcHandler = (ctx, f) => {
  const b = ctx.b;
  const block = b.and(ctx.eaX(f.ra, f.rb), b.i64(-CACHE_BLOCK));
  const zero = b.v128(new Uint8Array(16));
  for (let off = 0; off < CACHE_BLOCK; off += 16) b.store(b.add(block, b.i64(off)), zero, 16);
  return true;
};

/** Hints and barriers: nothing to do without a cache model. */
const nothing: PpcHandler = () => true;

/**
 * icbi: ends the block, asking the engine to discard the translations of the code at the address.
 * A store to translated code invalidates it already; this is for code changed through another
 * mapping of the same pages (a memfd mapped RW and RX, as dual-mapping JITs and libffi do).
 */
const icbi: PpcHandler = (ctx, f) => {
  ctx.b.exitFlushingCode(ctx.b.i64(ctx.pc + 4), ctx.eaX(f.ra, f.rb), CACHE_BLOCK);
  ctx.ended = true;
  return true;
};

export const SYSTEM_ROWS = [
  [x31('rt:5 sprl:5 sprh:5', 339, '0'), 'mfspr', mfspr],
  [x31('rt:5 sprl:5 sprh:5', 467, '0'), 'mtspr', mtspr],
  [x31('rt:5 sprl:5 sprh:5', 371, '0'), 'mftb', mfspr],
  [x31('rt:5 0 00000000 0', 19, '0'), 'mfcr', mfcr],
  [x31('rt:5 1 fxm:8 0', 19, '0'), 'mfocrf', mfocrf],
  [x31('rs:5 . fxm:8 0', 144, '0'), 'mtcrf', mtcrf],
  [x31('bf:3 00 00000 00000', 576, '0'), 'mcrxrx', mcrxrx],
  [x31('rt:5 bfa:3 00 00000', 128, '0'), 'setb', setb],
  [x31('00000 ra:5 rb:5', 1014, '0'), 'dcbz', dcbz],
  [x31('..... ra:5 rb:5', 278, '0'), 'dcbt', nothing],
  [x31('..... ra:5 rb:5', 246, '0'), 'dcbtst', nothing],
  [x31('000.. ra:5 rb:5', 86, '0'), 'dcbf', nothing],
  [x31('00000 ra:5 rb:5', 54, '0'), 'dcbst', nothing],
  [x31('00000 ra:5 rb:5', 982, '0'), 'icbi', icbi],
  [x31('..... ra:5 rb:5', 22, '0'), 'icbt', nothing],
  [x31('000.. ..... 00000', 598, '0'), 'sync', nothing],
  [x31('00000 00000 00000', 854, '0'), 'eieio', nothing],
  [x31('000.. 00000 00000', 30, '0'), 'wait', nothing],
  ['010011 00000 00000 00000 0010010110 0', 'isync', nothing],
] as const;
