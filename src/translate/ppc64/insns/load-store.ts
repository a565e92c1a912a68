/**
 * Fixed-point and floating-point loads and stores (Power ISA 3.0 Book I 3.3.2-3.3.6, 4.6.2-4.6.3):
 * D, DS and X forms with their update variants, byte-reversed loads and stores, the multiple-word
 * forms, the FPR ones (lfs/lfd/stfs/stfd, lfiwax/lfiwzx/stfiwx, the pairs lfdp/stfdp/lfdpx/stfdpx),
 * and lq/stq (3.3.4, user-mode since ISA 2.07).
 *
 * The guest's byte order is applied by the executors; emitters only say size and sign. Update forms
 * write the effective address back to RA after the access.
 */
import type { Temp } from '../../ir/block';
import type { MemAccess } from '../../ir/ops';
import type { PpcContext, PpcHandler } from '../context';
import { x31 } from './forms';
import { demoteDouble, promoteSingle } from './fp-common';
import { dword, fromDwords } from './vsx-load-store';

type Size = MemAccess['size'];

/** How an access moves data between a register and memory. */
export interface Transfer {
  load(ctx: PpcContext, reg: number, ea: Temp): void;
  store(ctx: PpcContext, reg: number, ea: Temp): void;
}

/** A GPR of `size` bytes, sign-extending on load when `signed`, byte-reversed when `reversed`. */
function gprTransfer(size: Size, signed = false, reversed = false): Transfer {
  return {
    load(ctx, rt, ea) {
      const b = ctx.b;
      let v = b.load('i64', ea, size, signed);
      if (reversed) v = b.shrU(b.unary('bswap', v), b.i64(64 - size * 8));
      ctx.setR(rt, v);
    },
    store(ctx, rs, ea) {
      const b = ctx.b;
      let v = ctx.r(rs);
      if (reversed) v = b.shrU(b.unary('bswap', v), b.i64(64 - size * 8));
      b.store(ea, v, size);
    },
  };
}

/** lfs/stfs: single precision in memory, double in the FPR. */
const FLOAT_SINGLE: Transfer = {
  load(ctx, ft, ea) {
    ctx.setF(ft, promoteSingle(ctx, ctx.b.load('f32', ea, 4)));
  },
  store(ctx, fs, ea) {
    ctx.b.store(ea, demoteDouble(ctx, ctx.f(fs)), 4);
  },
};
/** lfd/stfd: the FPR's 64 bits as they are (NaN payloads survive). */
const FLOAT_DOUBLE: Transfer = {
  load(ctx, ft, ea) {
    ctx.setF(ft, ctx.b.load('i64', ea, 8));
  },
  store(ctx, fs, ea) {
    ctx.b.store(ea, ctx.fBits(fs), 8);
  },
};
/** lfiwax/lfiwzx/stfiwx: a word between memory and the FPR's low word. */
function floatWord(signed: boolean): Transfer {
  return {
    load(ctx, ft, ea) {
      ctx.setF(ft, ctx.b.load('i64', ea, 4, signed));
    },
    store(ctx, fs, ea) {
      ctx.b.store(ea, ctx.fBits(fs), 4);
    },
  };
}

/** D/DS-form access at (RA|0) + disp; `update` writes the EA back to RA. */
const dForm =
  (t: Transfer, load: boolean, update: boolean, scale = 1): PpcHandler =>
  (ctx, f) => {
    if (update && f.ra === 0) return false;
    const ea = ctx.ea(f.ra, f.d * scale);
    if (load) t.load(ctx, f.rt, ea);
    else t.store(ctx, f.rt, ea);
    if (update) ctx.setR(f.ra, ea);
    return true;
  };
/** X-form access at (RA|0) + RB. */
const xForm =
  (t: Transfer, load: boolean, update: boolean): PpcHandler =>
  (ctx, f) => {
    if (update && f.ra === 0) return false;
    const ea = ctx.eaX(f.ra, f.rb);
    if (load) t.load(ctx, f.rt, ea);
    else t.store(ctx, f.rt, ea);
    if (update) ctx.setR(f.ra, ea);
    return true;
  };

/** lmw/stmw: registers rt..r31 as consecutive words. */
const multiple =
  (load: boolean): PpcHandler =>
  (ctx, f) => {
    const word = gprTransfer(4);
    const base = ctx.ea(f.ra, f.d);
    for (let r = f.rt; r < 32; r++) {
      const ea = ctx.b.add(base, ctx.b.i64((r - f.rt) * 4));
      if (load) word.load(ctx, r, ea);
      else word.store(ctx, r, ea);
    }
    return true;
  };

/**
 * A register pair as one 16-byte access, whose byte order the executors apply to the whole
 * quadword: the first register holds the high doubleword, so in little-endian mode it comes from
 * EA+8 and the second from EA, as the ISA says. `read`/`write` give the registers' 64 bits.
 */
function pairTransfer(read: (ctx: PpcContext, n: number) => Temp, write: (ctx: PpcContext, n: number, v: Temp) => void): Transfer {
  return {
    load(ctx, rt, ea) {
      const v = ctx.b.load('v128', ea, 16);
      write(ctx, rt, dword(ctx, v, 0));
      write(ctx, rt + 1, dword(ctx, v, 1));
    },
    store(ctx, rs, ea) {
      ctx.b.store(ea, fromDwords(ctx, read(ctx, rs), read(ctx, rs + 1)), 16);
    },
  };
}

/** lq/stq's GPR pair RTp, RTp+1 (RTp even). */
export const QUAD = pairTransfer(
  (ctx, n) => ctx.r(n),
  (ctx, n, v) => ctx.setR(n, v),
);
/**
 * lfdp/stfdp/lfdpx/stfdpx's FPR pair. An odd FRTp is an invalid form that QEMU carries out on
 * FRTp and FRTp+1 (FPR 32 being VSR 32's doubleword 0), and so does this.
 */
const FLOAT_PAIR = pairTransfer(
  (ctx, n) => ctx.fBits(n),
  (ctx, n, v) => ctx.setF(n, v),
);

/**
 * lq (DQ form, the low 4 bits reserved and ignored) and stq (DS form): an odd RTp, and RA = RTp
 * for lq, are invalid forms, illegal instructions as in QEMU. No alignment is required: Linux
 * emulates a misaligned lq/stq after the alignment interrupt, and QEMU accesses it as it is.
 */
const quad =
  (load: boolean): PpcHandler =>
  (ctx, f) => {
    if (f.rt & 1 || (load && f.rt === f.ra)) return false;
    return dForm(QUAD, load, false, load ? 16 : 4)(ctx, f);
  };

const LBZ = gprTransfer(1);
const LHZ = gprTransfer(2);
const LHA = gprTransfer(2, true);
const LWZ = gprTransfer(4);
const LWA = gprTransfer(4, true);
const LD = gprTransfer(8);

/** [primary opcode, transfer, load] of the D forms, each with its update form at opcode + 1. */
const D_FORMS: readonly [number, Transfer, boolean, string][] = [
  [32, LWZ, true, 'lwz'],
  [34, LBZ, true, 'lbz'],
  [36, LWZ, false, 'stw'],
  [38, LBZ, false, 'stb'],
  [40, LHZ, true, 'lhz'],
  [42, LHA, true, 'lha'],
  [44, LHZ, false, 'sth'],
  [48, FLOAT_SINGLE, true, 'lfs'],
  [50, FLOAT_DOUBLE, true, 'lfd'],
  [52, FLOAT_SINGLE, false, 'stfs'],
  [54, FLOAT_DOUBLE, false, 'stfd'],
];

/** [extended opcode, transfer, load, update] of the X forms (opcode 31). */
const X_FORMS: readonly [number, Transfer, boolean, boolean, string][] = [
  [23, LWZ, true, false, 'lwzx'],
  [55, LWZ, true, true, 'lwzux'],
  [87, LBZ, true, false, 'lbzx'],
  [119, LBZ, true, true, 'lbzux'],
  [151, LWZ, false, false, 'stwx'],
  [183, LWZ, false, true, 'stwux'],
  [215, LBZ, false, false, 'stbx'],
  [247, LBZ, false, true, 'stbux'],
  [279, LHZ, true, false, 'lhzx'],
  [311, LHZ, true, true, 'lhzux'],
  [343, LHA, true, false, 'lhax'],
  [375, LHA, true, true, 'lhaux'],
  [407, LHZ, false, false, 'sthx'],
  [439, LHZ, false, true, 'sthux'],
  [21, LD, true, false, 'ldx'],
  [53, LD, true, true, 'ldux'],
  [149, LD, false, false, 'stdx'],
  [181, LD, false, true, 'stdux'],
  [341, LWA, true, false, 'lwax'],
  [373, LWA, true, true, 'lwaux'],
  [534, gprTransfer(4, false, true), true, false, 'lwbrx'],
  [662, gprTransfer(4, false, true), false, false, 'stwbrx'],
  [790, gprTransfer(2, false, true), true, false, 'lhbrx'],
  [918, gprTransfer(2, false, true), false, false, 'sthbrx'],
  [532, gprTransfer(8, false, true), true, false, 'ldbrx'],
  [660, gprTransfer(8, false, true), false, false, 'stdbrx'],
  [535, FLOAT_SINGLE, true, false, 'lfsx'],
  [567, FLOAT_SINGLE, true, true, 'lfsux'],
  [599, FLOAT_DOUBLE, true, false, 'lfdx'],
  [631, FLOAT_DOUBLE, true, true, 'lfdux'],
  [663, FLOAT_SINGLE, false, false, 'stfsx'],
  [695, FLOAT_SINGLE, false, true, 'stfsux'],
  [727, FLOAT_DOUBLE, false, false, 'stfdx'],
  [759, FLOAT_DOUBLE, false, true, 'stfdux'],
  [855, floatWord(true), true, false, 'lfiwax'],
  [887, floatWord(false), true, false, 'lfiwzx'],
  [983, floatWord(false), false, false, 'stfiwx'],
  [791, FLOAT_PAIR, true, false, 'lfdpx'],
  [919, FLOAT_PAIR, false, false, 'stfdpx'],
];

const bits6 = (n: number): string => n.toString(2).padStart(6, '0');

export const LOAD_STORE_ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  ...D_FORMS.flatMap(([opcd, t, load, name]) => [
    [`${bits6(opcd)} rt:5 ra:5 d:s16`, name, dForm(t, load, false)] as const,
    [`${bits6(opcd + 1)} rt:5 ra:5 d:s16`, `${name}u`, dForm(t, load, true)] as const,
  ]),
  ['111010 rt:5 ra:5 d:s14 00', 'ld', dForm(LD, true, false, 4)],
  ['111010 rt:5 ra:5 d:s14 01', 'ldu', dForm(LD, true, true, 4)],
  ['111010 rt:5 ra:5 d:s14 10', 'lwa', dForm(LWA, true, false, 4)],
  ['111110 rt:5 ra:5 d:s14 00', 'std', dForm(LD, false, false, 4)],
  ['111110 rt:5 ra:5 d:s14 01', 'stdu', dForm(LD, false, true, 4)],
  ['111000 rt:5 ra:5 d:s12 ....', 'lq', quad(true)],
  ['111001 rt:5 ra:5 d:s14 00', 'lfdp', dForm(FLOAT_PAIR, true, false, 4)],
  ['111101 rt:5 ra:5 d:s14 00', 'stfdp', dForm(FLOAT_PAIR, false, false, 4)],
  ['111110 rt:5 ra:5 d:s14 10', 'stq', quad(false)],
  ['101110 rt:5 ra:5 d:s16', 'lmw', multiple(true)],
  ['101111 rt:5 ra:5 d:s16', 'stmw', multiple(false)],
  ...X_FORMS.map(([xo, t, load, update, name]) => [x31('rt:5 ra:5 rb:5', xo, '0'), name, xForm(t, load, update)] as const),
];
