/**
 * A64 Advanced SIMD structure loads and stores (ARM ARM C4.1.66, "Advanced SIMD load/store
 * multiple structures" and "... single structure"): LD1-LD4/ST1-ST4 of whole registers, of one
 * lane, and LD1R-LD4R (load and replicate), each with or without post-index.
 *
 * Multiple structures move a contiguous block of memory in 16-byte pieces and (de)interleave it with
 * i8x16.shuffle, so LD2 .16b costs two loads and a few shuffles rather than 32 byte loads. The
 * pieces are little-endian: a big-endian guest would need its elements swapped (not supported by
 * the backend's v128 accesses either).
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { INT_SHAPE, extractElem, insertElem, selectors, writeVec } from './simd-common';

/** [source index, byte index]: where a byte of a gathered vector comes from. */
type ByteSource = readonly [number, number];

/**
 * A vector whose byte p (p < bytes) is byte pick(p) of the sources; bytes from `bytes` on are
 * unspecified. The first source used fills its bytes by one shuffle (none if already in place),
 * each further source is merged into the result by another.
 */
function gather(ctx: A64Context, sources: readonly Temp[], bytes: number, pick: (p: number) => ByteSource): Temp {
  const b = ctx.b;
  const picks = Array.from({ length: bytes }, (_, p) => pick(p));
  const order = [...new Set(picks.map(([s]) => s))];
  let acc: Temp | undefined;
  for (const s of order) {
    const from = (p: number): number | undefined => (p < bytes && picks[p]![0] === s ? picks[p]![1] : undefined);
    if (acc === undefined) {
      const identity = picks.every(([src, byte], p) => src !== s || byte === p);
      acc = identity ? sources[s]! : b.vop('i8x16.shuffle', [sources[s]!, sources[s]!], selectors((p) => from(p) ?? 0));
    } else {
      acc = b.vop('i8x16.shuffle', [acc, sources[s]!], selectors((p) => { const byte = from(p); return byte === undefined ? p : 16 + byte; }));
    }
  }
  return acc!;
}

/** [registers per structure element repeat (rpt), structure elements (selem)] by opcode. */
const MULTIPLE_LAYOUT: Readonly<Record<number, readonly [number, number]>> = {
  0b0000: [1, 4], // LD4/ST4
  0b0010: [4, 1], // LD1/ST1, four registers
  0b0100: [1, 3], // LD3/ST3
  0b0110: [3, 1], // LD1/ST1, three registers
  0b0111: [1, 1], // LD1/ST1, one register
  0b1000: [1, 2], // LD2/ST2
  0b1010: [2, 1], // LD1/ST1, two registers
};

/** Post-index amount: Xm, or the bytes transferred when Rm is 31. */
function postIndex(ctx: A64Context, rm: number, bytes: number): Temp {
  return rm === 31 ? ctx.b.i64(bytes) : ctx.x(rm);
}

/**
 * LD1-LD4/ST1-ST4 (multiple structures). Memory holds structures of selem elements; element s of
 * structure e belongs to lane e of register t + s (t + r for the multi-register LD1/ST1). Register
 * numbers wrap modulo 32.
 */
function multiple(post: boolean): A64Handler {
  return (ctx, f) => {
    const layout = MULTIPLE_LAYOUT[f.opcode];
    if (!layout) return false;
    const [rpt, selem] = layout;
    if (f.size === 3 && !f.q && selem > 1) return false;
    const b = ctx.b;
    const ebytes = 1 << f.size;
    const regBytes = f.q ? 16 : 8;
    const lanes = regBytes / ebytes;
    const regs = rpt * selem;
    const total = regs * regBytes;
    const base = ctx.xsp(f.rn);
    const reg = (j: number): number => (f.rt + j) % 32;
    const chunkAddr = (c: number): Temp => (c === 0 ? base : b.add(base, b.i64(c * 16)));
    const chunks = Math.ceil(total / 16);
    const chunkBytes = (c: number): number => Math.min(16, total - c * 16);
    if (f.l) {
      const pieces = Array.from({ length: chunks }, (_, c) =>
        chunkBytes(c) === 16 ? b.load('v128', chunkAddr(c), 16) : b.vop('i64x2.splat', [b.load('i64', chunkAddr(c), 8)]),
      );
      for (let j = 0; j < regs; j++) {
        const [r, s] = [Math.floor(j / selem), j % selem];
        const value = gather(ctx, pieces, regBytes, (p) => {
          const m = ((r * lanes + Math.floor(p / ebytes)) * selem + s) * ebytes + (p % ebytes);
          return [m >> 4, m & 15];
        });
        writeVec(ctx, reg(j), value, f.q);
      }
    } else {
      const values = Array.from({ length: regs }, (_, j) => ctx.v(reg(j)));
      for (let c = 0; c < chunks; c++) {
        const piece = gather(ctx, values, chunkBytes(c), (p) => {
          const m = c * 16 + p;
          const i = Math.floor(m / ebytes);
          const [r, rest] = [Math.floor(i / (lanes * selem)), i % (lanes * selem)];
          return [r * selem + (rest % selem), Math.floor(rest / selem) * ebytes + (m % ebytes)];
        });
        if (chunkBytes(c) === 16) b.store(chunkAddr(c), piece, 16);
        else b.store(chunkAddr(c), b.vop('i64x2.extract_lane', [piece], 0), 8);
      }
    }
    if (post) ctx.setRegSP(f.rn, b.add(base, postIndex(ctx, f.rm, total)));
    return true;
  };
}

/** Element size (log2 bytes) and lane of a single-structure encoding, or undefined if unallocated. */
function laneOf(opcode: number, s: number, size: number, q: number): [number, number] | undefined {
  switch (opcode >> 1) {
    case 0:
      return [0, (q << 3) | (s << 2) | size];
    case 1:
      return size & 1 ? undefined : [1, (q << 2) | (s << 1) | (size >> 1)];
    default:
      if (size & 2) return undefined;
      if (size & 1) return s ? undefined : [3, q];
      return [2, (q << 1) | s];
  }
}

/**
 * LD1-LD4/ST1-ST4 (single structure) to or from one lane of selem consecutive registers, and
 * LD1R-LD4R, which load one structure and replicate each element to every lane.
 */
function singleStructure(post: boolean): A64Handler {
  return (ctx, f) => {
    const selem = (((f.opcode & 1) << 1) | f.r) + 1;
    const replicate = f.opcode >> 1 === 3;
    if (replicate && (!f.l || f.s)) return false;
    const lane = replicate ? [f.size, 0] : laneOf(f.opcode, f.s, f.size, f.q);
    if (!lane) return false;
    const [sizeLog, index] = lane as [number, number];
    const b = ctx.b;
    const ebytes = 1 << sizeLog;
    const base = ctx.xsp(f.rn);
    const reg = (s: number): number => (f.rt + s) % 32;
    const addrs = Array.from({ length: selem }, (_, s) => (s === 0 ? base : b.add(base, b.i64(s * ebytes))));
    if (f.l) {
      const values = addrs.map((a) => b.load(sizeLog === 3 ? 'i64' : 'i32', a, ebytes as 1 | 2 | 4 | 8));
      values.forEach((v, s) => {
        if (replicate) writeVec(ctx, reg(s), b.vop(`${INT_SHAPE[sizeLog]}.splat`, [v]), f.q);
        else ctx.setV(reg(s), insertElem(ctx, ctx.v(reg(s)), sizeLog, index, v));
      });
    } else {
      const values = addrs.map((_, s) => extractElem(ctx, ctx.v(reg(s)), sizeLog, index));
      values.forEach((v, s) => b.store(addrs[s]!, v, ebytes as 1 | 2 | 4 | 8));
    }
    if (post) ctx.setRegSP(f.rn, b.add(base, postIndex(ctx, f.rm, selem * ebytes)));
    return true;
  };
}

export const LOAD_STORE_SIMD_ROWS = [
  ['0 q:1 0011000 l:1 000000 opcode:4 size:2 rn:5 rt:5', 'LD1-4/ST1-4 (multiple structures)', multiple(false)],
  ['0 q:1 0011001 l:1 0 rm:5 opcode:4 size:2 rn:5 rt:5', 'LD1-4/ST1-4 (multiple structures, post-index)', multiple(true)],
  ['0 q:1 0011010 l:1 r:1 00000 opcode:3 s:1 size:2 rn:5 rt:5', 'LD1-4/ST1-4 (single structure)', singleStructure(false)],
  [
    '0 q:1 0011011 l:1 r:1 rm:5 opcode:3 s:1 size:2 rn:5 rt:5',
    'LD1-4/ST1-4 (single structure, post-index)',
    singleStructure(true),
  ],
] as const;
