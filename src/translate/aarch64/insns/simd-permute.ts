/**
 * Advanced SIMD permute, extract and table lookup (ARM ARM C4.1.96, "Advanced SIMD permute",
 * "Advanced SIMD extract", "Advanced SIMD table lookup"): ZIP1/2, UZP1/2, TRN1/2, EXT, TBL, TBX.
 * All are byte shuffles: constant selectors for the first three, i8x16.swizzle for table lookups.
 */
import type { Temp } from '../../ir/block';
import type { A64Handler } from '../context';
import { laneConst, selectors, writeVec } from './simd-common';

/** Which element of Vn (0) or Vm (1) result element i takes, for L elements per register. */
type Pick = (i: number, lanes: number) => [0 | 1, number];

const PERMUTES: Record<number, Pick> = {
  1: (i, l) => (2 * i < l ? [0, 2 * i] : [1, 2 * i - l]), // UZP1
  2: (i) => (i % 2 ? [1, i - 1] : [0, i]), // TRN1
  3: (i) => [(i % 2) as 0 | 1, i >> 1], // ZIP1
  5: (i, l) => (2 * i + 1 < l ? [0, 2 * i + 1] : [1, 2 * i + 1 - l]), // UZP2
  6: (i) => (i % 2 ? [1, i] : [0, i + 1]), // TRN2
  7: (i, l) => [(i % 2) as 0 | 1, (l >> 1) + (i >> 1)], // ZIP2
};

const permute: A64Handler = (ctx, f) => {
  const pick = PERMUTES[f.opc!];
  const [q, size] = [f.q!, f.size!];
  if (!pick || (size === 3 && !q)) return false;
  const e = 1 << size;
  const lanes = (q ? 16 : 8) / e;
  const sel = selectors((byte) => {
    const i = Math.floor(byte / e) % lanes;
    const [reg, elem] = pick(i, lanes);
    return reg * 16 + elem * e + (byte % e);
  });
  writeVec(ctx, f.rd!, ctx.b.vop('i8x16.shuffle', [ctx.v(f.rn!), ctx.v(f.rm!)], sel), q);
  return true;
};

/** EXT: bytes imm4.. of the concatenation Vm:Vn (Vn lowest); 64-bit form uses the low halves. */
const ext: A64Handler = (ctx, f) => {
  const [q, imm4] = [f.q!, f.imm4!];
  if (!q && imm4 >= 8) return false;
  const width = q ? 16 : 8;
  const sel = selectors((i) => {
    const at = (i + imm4) % (2 * width);
    return at < width ? at : 16 + at - width;
  });
  writeVec(ctx, f.rd!, ctx.b.vop('i8x16.shuffle', [ctx.v(f.rn!), ctx.v(f.rm!)], sel), q);
  return true;
};

/**
 * TBL/TBX with 1-4 table registers starting at Vn (wrapping at V31): swizzle gives 0 for indices
 * out of its 16 bytes, so each register looks up its slice of the index after subtracting 16s.
 */
const tableLookup: A64Handler = (ctx, f) => {
  const [q, len, n] = [f.q!, f.len! + 1, f.rn!];
  const b = ctx.b;
  const idx = ctx.v(f.rm!);
  let result: Temp | undefined;
  for (let r = 0; r < len; r++) {
    const slice = r === 0 ? idx : b.vop('i8x16.sub', [idx, laneConst(ctx, 1, BigInt(16 * r))]);
    const part = b.vop('i8x16.swizzle', [ctx.v((n + r) % 32), slice]);
    result = result ? b.vop('v128.or', [result, part]) : part;
  }
  if (f.op) {
    // TBX: out-of-range indices leave the destination byte unchanged.
    const inRange = b.vop('i8x16.lt_u', [idx, laneConst(ctx, 1, BigInt(16 * len))]);
    result = b.vop('v128.bitselect', [result!, ctx.v(f.rd!), inRange]);
  }
  writeVec(ctx, f.rd!, result!, q);
  return true;
};

export const SIMD_PERMUTE_ROWS = [
  ['0 q:1 001110 size:2 0 rm:5 0 opc:3 10 rn:5 rd:5', 'SIMD permute (ZIP/UZP/TRN)', permute],
  ['0 q:1 101110 00 0 rm:5 0 imm4:4 0 rn:5 rd:5', 'SIMD EXT', ext],
  ['0 q:1 001110 00 0 rm:5 0 len:2 op:1 00 rn:5 rd:5', 'SIMD TBL/TBX', tableLookup],
] as const;
