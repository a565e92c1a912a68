/**
 * The DSP extension of ARMv6/v7 shared by A32 and T32: the parallel add/subtract family (S, Q, SH,
 * U, UQ, UH prefixes on ADD16, ASX, SAX, SUB16, ADD8, SUB8; GE from the S and U forms), SXTB16 and
 * UXTB16 (+A), the saturating QADD/QSUB/QDADD/QDSUB, the dual 16-bit multiplies SMLAD/SMLSD
 * (SMUAD/SMUSD) and SMLALD/SMLSLD, the most-significant-word multiplies SMMLA/SMMLS/SMMUL, USAD8
 * and USADA8, and SSAT16/USAT16. Q is sticky: only set, never cleared, by these.
 *
 * Each is one helper call (lane arithmetic in TypeScript); the frontends decode the operation and
 * pass its index in DSP_OPS.
 */
import type { Temp } from '../../ir/block';
import { defineHelper, type HelperContext } from '../../ir/helpers';
import type { ArmContext, ArmHandler } from '../context';
import { GE, QF } from '../state';

type Prefix = 's' | 'q' | 'sh' | 'u' | 'uq' | 'uh';
type LaneOp = 'add16' | 'asx' | 'sax' | 'sub16' | 'add8' | 'sub8';

/** Saturates to a signed or unsigned range; reports whether it did. */
function sat(v: number, bits: number, unsigned: boolean): [number, boolean] {
  const lo = unsigned ? 0 : -(2 ** (bits - 1));
  const hi = unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
  return v < lo ? [lo, true] : v > hi ? [hi, true] : [v, false];
}

const sx16 = (v: number): number => (v << 16) >> 16;
const sx8 = (v: number): number => (v << 24) >> 24;

/**
 * One parallel operation: `a` and `b` are Rn and Rm. Lane i of the result is a[i] + b[j] or
 * a[i] - b[j] per the operation (ASX/SAX cross the halves); GE gets one bit per byte, each
 * 16-bit lane setting two.
 */
function parallel(h: HelperContext, prefix: Prefix, op: LaneOp, a: number, b: number): number {
  const bytes = op === 'add8' || op === 'sub8';
  const width = bytes ? 8 : 16;
  const lanes = bytes ? 4 : 2;
  const unsigned = prefix[0] === 'u';
  const lane = (v: number, i: number): number => {
    const raw = (v >>> (i * width)) & (bytes ? 0xff : 0xffff);
    return unsigned ? raw : bytes ? sx8(raw) : sx16(raw);
  };
  let result = 0;
  let ge = 0;
  for (let i = 0; i < lanes; i++) {
    // ASX: lane 0 = a0 - b1, lane 1 = a1 + b0; SAX the other way round.
    const j = op === 'asx' || op === 'sax' ? 1 - i : i;
    const add = op === 'add16' || op === 'add8' || (op === 'asx' && i === 1) || (op === 'sax' && i === 0);
    const v = add ? lane(a, i) + lane(b, j) : lane(a, i) - lane(b, j);
    let out: number;
    if (prefix === 'q' || prefix === 'uq') out = sat(v, width, unsigned)[0];
    else if (prefix === 'sh' || prefix === 'uh') out = Math.floor(v / 2);
    else out = v;
    const geBit = unsigned ? (add ? v >= 2 ** width : v >= 0) : v >= 0;
    if (geBit) ge |= (bytes ? 1 : 3) << (i * (bytes ? 1 : 2));
    result |= (out & (bytes ? 0xff : 0xffff)) << (i * width);
  }
  if (prefix === 's' || prefix === 'u') h.view.setUint32(h.stateBase + GE, ge, true);
  return result | 0;
}

function setQ(h: HelperContext): void {
  h.view.setInt32(h.stateBase + QF, 1, true);
}

/** Signed 32-bit saturation setting Q. */
function sat32(h: HelperContext, v: number): number {
  const [r, did] = sat(v, 32, false);
  if (did) setQ(h);
  return r | 0;
}

/** Operations taking (a, b, c) and returning Rd. */
type Op = (h: HelperContext, a: number, b: number, c: number) => number;

const PREFIXES: readonly Prefix[] = ['s', 'q', 'sh', 'u', 'uq', 'uh'];
const LANE_OPS: readonly LaneOp[] = ['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8'];

/** Dual 16-bit products of Rn and Rm (Rm's halves swapped for the X forms). */
function dualProducts(a: number, b: number, swap: boolean): [number, number] {
  const m = swap ? ((b >>> 16) | (b << 16)) : b;
  return [sx16(a) * sx16(m), (a >> 16) * (m >> 16)];
}

const OPS: Record<string, Op> = {
  ...Object.fromEntries(
    PREFIXES.flatMap((p) => LANE_OPS.map((o): [string, Op] => [`${p}${o}`, (h, a, b) => parallel(h, p, o, a, b)])),
  ),
  // SXTB16/UXTB16 (+A): bytes 0 and 2 of the rotated Rm, extended to halves and added to Rn's halves (c = Rn, or 0).
  sxtb16: (_h, a, _b, c) => ((((c & 0xffff) + sx8(a)) & 0xffff) | ((((c >>> 16) + sx8(a >>> 16)) & 0xffff) << 16)) | 0,
  uxtb16: (_h, a, _b, c) => ((((c & 0xffff) + (a & 0xff)) & 0xffff) | ((((c >>> 16) + ((a >>> 16) & 0xff)) & 0xffff) << 16)) | 0,
  // a = Rm, b = Rn.
  qadd: (h, a, b) => sat32(h, (a | 0) + (b | 0)),
  qsub: (h, a, b) => sat32(h, (a | 0) - (b | 0)),
  qdadd: (h, a, b) => sat32(h, (a | 0) + sat32(h, 2 * (b | 0))),
  qdsub: (h, a, b) => sat32(h, (a | 0) - sat32(h, 2 * (b | 0))),
  // a = Rn, b = Rm, c = Ra (0 for the non-accumulating forms); Q on signed overflow.
  smlad: (h, a, b, c) => dualAccumulate(h, a, b, c, false, false),
  smladx: (h, a, b, c) => dualAccumulate(h, a, b, c, true, false),
  smlsd: (h, a, b, c) => dualAccumulate(h, a, b, c, false, true),
  smlsdx: (h, a, b, c) => dualAccumulate(h, a, b, c, true, true),
  smmla: (_h, a, b, c) => mostSignificant(a, b, c, false, false),
  smmlar: (_h, a, b, c) => mostSignificant(a, b, c, false, true),
  smmls: (_h, a, b, c) => mostSignificant(a, b, c, true, false),
  smmlsr: (_h, a, b, c) => mostSignificant(a, b, c, true, true),
  usada8: (_h, a, b, c) => {
    let sum = c;
    for (let i = 0; i < 32; i += 8) sum += Math.abs(((a >>> i) & 0xff) - ((b >>> i) & 0xff));
    return sum | 0;
  },
  // a = Rn, b = the saturation width.
  ssat16: (h, a, b) => saturateHalves(h, a, b, false),
  usat16: (h, a, b) => saturateHalves(h, a, b, true),
};

function dualAccumulate(h: HelperContext, a: number, b: number, c: number, swap: boolean, subtract: boolean): number {
  const [p0, p1] = dualProducts(a, b, swap);
  const sum = (subtract ? p0 - p1 : p0 + p1) + (c | 0);
  if (sum !== (sum | 0)) setQ(h);
  return sum | 0;
}

/** (Ra << 32 +/- Rn * Rm (+ 0x80000000 when rounding)) >> 32, exact in BigInt. */
function mostSignificant(a: number, b: number, c: number, subtract: boolean, round: boolean): number {
  const product = BigInt(a | 0) * BigInt(b | 0);
  const acc = BigInt(c | 0) << 32n;
  const v = (subtract ? acc - product : acc + product) + (round ? 0x80000000n : 0n);
  return Number(BigInt.asIntN(32, v >> 32n));
}

function saturateHalves(h: HelperContext, a: number, bits: number, unsigned: boolean): number {
  const [lo, qlo] = sat(sx16(a), bits, unsigned);
  const [hi, qhi] = sat(a >> 16, bits, unsigned);
  if (qlo || qhi) setQ(h);
  return ((lo & 0xffff) | ((hi & 0xffff) << 16)) | 0;
}

const NAMES = Object.keys(OPS);

const DSP = defineHelper({
  name: 'arm_dsp',
  params: ['i32', 'i32', 'i32', 'i32'],
  result: 'i32',
  impl: (h: HelperContext, op, a, b, c) => OPS[NAMES[Number(op)]!]!(h, Number(a), Number(b), Number(c)),
});

/** Rd = op(a, b, c). */
export function dsp(ctx: ArmContext, op: string, rd: number, a: Temp, b: Temp, c: Temp = ctx.b.i32(0)): boolean {
  const index = NAMES.indexOf(op);
  if (index < 0) return ctx.undefined();
  ctx.setR(rd, ctx.b.call(DSP, [ctx.b.i32(index), a, b, c])!);
  return true;
}

/** A parallel add/subtract by prefix and operation index (PREFIXES, LANE_OPS order); undefined for unallocated ones. */
export function parallelOp(ctx: ArmContext, prefix: number, op: number, rd: number, rn: number, rm: number): boolean {
  const p = PREFIXES[prefix];
  const o = LANE_OPS[op];
  if (!p || !o) return ctx.undefined();
  return dsp(ctx, `${p}${o}`, rd, ctx.r(rn), ctx.r(rm));
}

/** SMLALD/SMLSLD (X): RdHi:RdLo += (or -=) the dual 16-bit products (64-bit, no Q). */
const DUAL_LONG = defineHelper({
  name: 'arm_dual_long',
  params: ['i32', 'i32', 'i32', 'i64'],
  result: 'i64',
  impl: (_h: HelperContext, kind, a, b, acc) => {
    const [p0, p1] = dualProducts(Number(a), Number(b), (Number(kind) & 1) !== 0);
    const sum = BigInt(Number(kind) & 2 ? p0 - p1 : p0 + p1);
    return BigInt.asIntN(64, (acc as bigint) + sum);
  },
});

export function dualMultiplyLong(ctx: ArmContext, subtract: boolean, swap: boolean, rdlo: number, rdhi: number, rn: number, rm: number): true {
  const b = ctx.b;
  const acc = b.or(b.zext(ctx.r(rdlo)), b.shl(b.zext(ctx.r(rdhi)), b.i64(32)));
  const sum = b.call(DUAL_LONG, [b.i32((subtract ? 2 : 0) | (swap ? 1 : 0)), ctx.r(rn), ctx.r(rm), acc])!;
  ctx.setR(rdlo, b.wrap(sum));
  ctx.setR(rdhi, b.wrap(b.shrU(sum, b.i64(32))));
  return true;
}

/** SXTB16/UXTB16 (+A, rn !== 15): Rm rotated right by 8*rot. */
export function extendPairs(ctx: ArmContext, signed: boolean, rd: number, rn: number, rm: number, rot: number): boolean {
  const b = ctx.b;
  const v = rot ? b.binary('rotr', ctx.r(rm), b.i32(rot * 8)) : ctx.r(rm);
  return dsp(ctx, signed ? 'sxtb16' : 'uxtb16', rd, v, b.i32(0), rn === 15 ? b.i32(0) : ctx.r(rn));
}

type Row = readonly [string, string, ArmHandler];

/** A32 op1 (bits 22:20) -> prefix index, op2 (bits 7:5) -> operation index. */
const A32_PREFIX: Readonly<Record<number, number>> = { 1: 0, 2: 1, 3: 2, 5: 3, 6: 4, 7: 5 };
const A32_LANE_OP: Readonly<Record<number, number>> = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 7: 5 };
/** T32 op1 (bits 22:20) -> operation index, U:op2 (bits 6:4 of the second halfword) -> prefix index. */
const T32_LANE_OP: Readonly<Record<number, number>> = { 1: 0, 2: 1, 6: 2, 5: 3, 0: 4, 4: 5 };
const T32_PREFIX: Readonly<Record<number, number>> = { 0: 0, 1: 1, 2: 2, 4: 3, 5: 4, 6: 5 };
/** QADD family by its op field: A32 bits 22:21, T32 bits 5:4. */
const A32_QOPS = ['qadd', 'qsub', 'qdadd', 'qdsub'];
const T32_QOPS = ['qadd', 'qdadd', 'qsub', 'qdsub'];

const accumulator = (ctx: ArmContext, ra: number): Temp => (ra === 15 ? ctx.b.i32(0) : ctx.r(ra));
const dual = (ctx: ArmContext, f: Record<string, number>): boolean =>
  dsp(ctx, `sml${f.sub ? 's' : 'a'}d${f.x ? 'x' : ''}`, f.rd!, ctx.r(f.rn!), ctx.r(f.rm!), accumulator(ctx, f.ra!));
const mostSignificantRow = (subtract: boolean) => (ctx: ArmContext, f: Record<string, number>): boolean =>
  dsp(ctx, `smml${subtract ? 's' : 'a'}${f.r ? 'r' : ''}`, f.rd!, ctx.r(f.rn!), ctx.r(f.rm!), accumulator(ctx, f.ra!));
const saturateHalvesRow = (ctx: ArmContext, f: Record<string, number>): boolean =>
  dsp(ctx, f.u ? 'usat16' : 'ssat16', f.rd!, ctx.r(f.rn!), ctx.b.i32(f.u ? f.sat! : f.sat! + 1));

export const DSP_A32_ROWS: readonly Row[] = [
  ['.... 0110 0 op1:3 rn:4 rd:4 1111 op2:3 1 rm:4', 'parallel add/subtract', (ctx, f) =>
    parallelOp(ctx, A32_PREFIX[f.op1!] ?? -1, A32_LANE_OP[f.op2!] ?? -1, f.rd!, f.rn!, f.rm!)],
  ['.... 0110 1 u:1 00 rn:4 rd:4 rot:2 00 0111 rm:4', 'SXTB16/UXTB16 (+A)', (ctx, f) => extendPairs(ctx, f.u === 0, f.rd!, f.rn!, f.rm!, f.rot!)],
  ['.... 0001 0 op:2 0 rn:4 rd:4 0000 0101 rm:4', 'QADD/QSUB/QDADD/QDSUB', (ctx, f) => dsp(ctx, A32_QOPS[f.op!]!, f.rd!, ctx.r(f.rm!), ctx.r(f.rn!))],
  ['.... 0111 0000 rd:4 ra:4 rm:4 0 sub:1 x:1 1 rn:4', 'SMLAD/SMLSD/SMUAD/SMUSD', dual],
  ['.... 0111 0100 rdhi:4 rdlo:4 rm:4 0 sub:1 x:1 1 rn:4', 'SMLALD/SMLSLD', (ctx, f) =>
    dualMultiplyLong(ctx, f.sub === 1, f.x === 1, f.rdlo!, f.rdhi!, f.rn!, f.rm!)],
  ['.... 0111 0101 rd:4 ra:4 rm:4 00 r:1 1 rn:4', 'SMMLA/SMMUL', mostSignificantRow(false)],
  ['.... 0111 0101 rd:4 ra:4 rm:4 11 r:1 1 rn:4', 'SMMLS', mostSignificantRow(true)],
  ['.... 0111 1000 rd:4 ra:4 rm:4 0001 rn:4', 'USAD8/USADA8', (ctx, f) => dsp(ctx, 'usada8', f.rd!, ctx.r(f.rn!), ctx.r(f.rm!), accumulator(ctx, f.ra!))],
  ['.... 0110 1 u:1 10 sat:4 rd:4 1111 0011 rn:4', 'SSAT16/USAT16', saturateHalvesRow],
];

export const DSP_T32_ROWS: readonly Row[] = [
  ['1111 1010 1 op1:3 rn:4 1111 rd:4 0 op2:3 rm:4', 'parallel add/subtract', (ctx, f) =>
    parallelOp(ctx, T32_PREFIX[f.op2!] ?? -1, T32_LANE_OP[f.op1!] ?? -1, f.rd!, f.rn!, f.rm!)],
  ['1111 1010 0 01 u:1 rn:4 1111 rd:4 10 rot:2 rm:4', 'SXTB16/UXTB16 (+A)', (ctx, f) => extendPairs(ctx, f.u === 0, f.rd!, f.rn!, f.rm!, f.rot!)],
  ['1111 1010 1000 rn:4 1111 rd:4 10 op:2 rm:4', 'QADD/QSUB/QDADD/QDSUB', (ctx, f) => dsp(ctx, T32_QOPS[f.op!]!, f.rd!, ctx.r(f.rm!), ctx.r(f.rn!))],
  ['1111 1011 0010 rn:4 ra:4 rd:4 000 x:1 rm:4', 'SMLAD/SMUAD', (ctx, f) => dual(ctx, { ...f, sub: 0 })],
  ['1111 1011 0100 rn:4 ra:4 rd:4 000 x:1 rm:4', 'SMLSD/SMUSD', (ctx, f) => dual(ctx, { ...f, sub: 1 })],
  ['1111 1011 0101 rn:4 ra:4 rd:4 000 r:1 rm:4', 'SMMLA/SMMUL', mostSignificantRow(false)],
  ['1111 1011 0110 rn:4 ra:4 rd:4 000 r:1 rm:4', 'SMMLS', mostSignificantRow(true)],
  ['1111 1011 0111 rn:4 ra:4 rd:4 0000 rm:4', 'USAD8/USADA8', (ctx, f) => dsp(ctx, 'usada8', f.rd!, ctx.r(f.rn!), ctx.r(f.rm!), accumulator(ctx, f.ra!))],
  ['1111 1011 110 sub:1 rn:4 rdlo:4 rdhi:4 110 x:1 rm:4', 'SMLALD/SMLSLD', (ctx, f) =>
    dualMultiplyLong(ctx, f.sub === 1, f.x === 1, f.rdlo!, f.rdhi!, f.rn!, f.rm!)],
  ['11110 0 11 u:1 010 rn:4 0000 rd:4 0000 sat:4', 'SSAT16/USAT16', saturateHalvesRow],
];
