/**
 * Advanced SIMD copy and modified immediate (ARM ARM C4.1.96, "Advanced SIMD copy", "Advanced SIMD
 * scalar copy", "Advanced SIMD modified immediate"): DUP, INS, SMOV, UMOV, MOVI, MVNI, ORR/BIC
 * (vector, immediate) and FMOV (vector, immediate).
 */
import type { A64Context, A64Handler } from '../context';
import { expandFpImm } from './fp-scalar';
import { INT_SHAPE, extractElem, insertElem, laneConst, writeScalar, writeVec } from './simd-common';

/** Element size (log2 bytes) and index encoded in imm5: the lowest set bit gives the size. */
function elementOf(imm5: number): { size: number; index: number } | undefined {
  const size = [0, 1, 2, 3].find((s) => (imm5 >> s) & 1);
  return size === undefined ? undefined : { size, index: imm5 >> (size + 1) };
}

/** A general register as the value of a `size` element (i64 for doublewords, else i32). */
function generalAsElem(ctx: A64Context, size: number, n: number) {
  return size === 3 ? ctx.x(n) : ctx.w(n);
}

const copy: A64Handler = (ctx, f) => {
  const e = elementOf(f.imm5!);
  if (!e) return false;
  const { size, index } = e;
  const [q, d, n, imm4] = [f.q!, f.rd!, f.rn!, f.imm4!];
  const b = ctx.b;
  if (f.op === 1) {
    // INS (element): Vd[index] = Vn[imm4 >> size].
    if (!q) return false;
    const value = extractElem(ctx, ctx.v(n), size, imm4 >> size);
    ctx.setV(d, insertElem(ctx, ctx.v(d), size, index, value));
    return true;
  }
  switch (imm4) {
    case 0: // DUP (element)
      if (size === 3 && !q) return false;
      writeVec(ctx, d, b.vop(`${INT_SHAPE[size]}.splat`, [extractElem(ctx, ctx.v(n), size, index)]), q);
      return true;
    case 1: // DUP (general)
      if (size === 3 && !q) return false;
      writeVec(ctx, d, b.vop(`${INT_SHAPE[size]}.splat`, [generalAsElem(ctx, size, n)]), q);
      return true;
    case 3: // INS (general)
      if (!q) return false;
      ctx.setV(d, insertElem(ctx, ctx.v(d), size, index, generalAsElem(ctx, size, n)));
      return true;
    case 5: {
      // SMOV: sign-extend into Wd (Q = 0) or Xd (Q = 1).
      if (size === 3 || (size === 2 && !q)) return false;
      const v = extractElem(ctx, ctx.v(n), size, index, true);
      ctx.setReg(d, q ? (v.type === 'i32' ? b.sext(v) : v) : v);
      return true;
    }
    case 7: // UMOV: Wd for sizes up to 32 bits (Q = 0), Xd for doublewords (Q = 1).
      if ((size === 3) !== (q === 1)) return false;
      ctx.setReg(d, extractElem(ctx, ctx.v(n), size, index));
      return true;
    default:
      return false;
  }
};

/** DUP (element), scalar: Vd = the element, as a scalar. */
const scalarDup: A64Handler = (ctx, f) => {
  const e = elementOf(f.imm5!);
  if (!e) return false;
  writeScalar(ctx, f.rd!, extractElem(ctx, ctx.v(f.rn!), e.size, e.index));
  return true;
};

/** AdvSIMDExpandImm: the 64-bit pattern of a modified immediate. */
function expandSimdImm(op: number, cmode: number, imm8: number): bigint | undefined {
  const i = BigInt(imm8);
  const rep = (v: bigint, bits: number): bigint => {
    let r = 0n;
    for (let at = 0; at < 64; at += bits) r |= v << BigInt(at);
    return r;
  };
  switch (cmode >> 1) {
    case 0:
    case 1:
    case 2:
    case 3:
      return rep(i << BigInt(8 * (cmode >> 1)), 32);
    case 4:
    case 5:
      return rep(i << BigInt(8 * ((cmode >> 1) & 1)), 16);
    case 6:
      return rep(cmode & 1 ? (i << 16n) | 0xffffn : (i << 8n) | 0xffn, 32);
    default:
      if (!(cmode & 1)) {
        if (!op) return rep(i, 8);
        let r = 0n;
        for (let bit = 0; bit < 8; bit++) if ((imm8 >> bit) & 1) r |= 0xffn << BigInt(8 * bit);
        return r;
      }
      return op ? expandFpImm(imm8, 3) : rep(expandFpImm(imm8, 2), 32);
  }
}

const modifiedImmediate: A64Handler = (ctx, f) => {
  const [q, op, cmode, d] = [f.q!, f.op!, f.cmode!, f.rd!];
  const imm8 = (f.abc! << 5) | f.defgh!;
  if (cmode === 15 && op && !q) return false;
  const imm = expandSimdImm(op, cmode, imm8);
  if (imm === undefined) return false;
  const b = ctx.b;
  const shifted = cmode < 12 && (cmode & 1) === 1; // ORR / BIC forms
  const invert = op === 1 && cmode < 14;
  if (shifted) {
    const k = laneConst(ctx, 8, imm);
    writeVec(ctx, d, b.vop(op ? 'v128.andnot' : 'v128.or', [ctx.v(d), k]), q);
    return true;
  }
  writeVec(ctx, d, laneConst(ctx, 8, invert ? BigInt.asUintN(64, ~imm) : imm), q);
  return true;
};

export const SIMD_COPY_ROWS = [
  ['0 q:1 op:1 0111100000 abc:3 cmode:4 0 1 defgh:5 rd:5', 'SIMD modified immediate', modifiedImmediate],
  ['0 q:1 op:1 01110000 imm5:5 0 imm4:4 1 rn:5 rd:5', 'SIMD copy', copy],
  ['01 0 11110000 imm5:5 0 0000 1 rn:5 rd:5', 'SIMD scalar DUP (element)', scalarDup],
] as const;
