/**
 * The A32, T32 and T16 decode tables, built from the per-encoding-space row files. The
 * coprocessor rows (VFP, CP15) are the same in A32 and T32 and appear in both; the Advanced SIMD
 * rows (neon.ts) differ only in their leading bits. The DSP rows (dsp.ts) come first in each table.
 */
import { DecodeTable, entries } from '../../decode/pattern';
import type { ArmHandler } from '../context';
import { A32_ROWS, A32_UNCONDITIONAL_ROWS } from './a32';
import { T16_ROWS } from './t16';
import { T32_ROWS } from './t32';
import { DSP_A32_ROWS, DSP_T32_ROWS } from './dsp';
import { NEON_A32_ROWS, NEON_T32_ROWS } from './neon';
import { COPROCESSOR_ROWS } from './vfp';

/** Buckets on bits 27:25, the top-level A32 encoding group. */
export const A32_TABLE = new DecodeTable<ArmHandler>(entries([...DSP_A32_ROWS, ...COPROCESSOR_ROWS, ...A32_ROWS]), [25, 26, 27]);
export const A32_UNCONDITIONAL_TABLE = new DecodeTable<ArmHandler>(entries([...NEON_A32_ROWS, ...A32_UNCONDITIONAL_ROWS]), [25, 26, 27]);
/** Buckets on bits 15:12 of the halfword. */
export const T16_TABLE = new DecodeTable<ArmHandler>(entries(T16_ROWS, 16), [12, 13, 14, 15]);
/** Buckets on bits 28:25 (op1 and the top of op2 of the first halfword). */
export const T32_TABLE = new DecodeTable<ArmHandler>(entries([...NEON_T32_ROWS, ...DSP_T32_ROWS, ...T32_ROWS, ...COPROCESSOR_ROWS]), [25, 26, 27, 28]);
