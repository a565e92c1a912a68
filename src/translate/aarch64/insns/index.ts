/**
 * The A64 decode table: every instruction family's rows, in priority order.
 * Each file under insns/ covers one chapter of the ARM ARM's A64 encoding index.
 */
import { DecodeTable, entries } from '../../decode/pattern';
import type { A64Handler } from '../context';
import { ATOMIC_ROWS } from './atomics';
import { BRANCH_ROWS } from './branch';
import { CONDITIONAL_ROWS } from './conditional';
import { CRC32_ROWS } from './crc32';
import { DATA_1SRC_ROWS } from './data-1src';
import { DATA_2SRC_ROWS } from './data-2src';
import { DATA_3SRC_ROWS } from './data-3src';
import { DATA_IMM_ROWS } from './data-imm';
import { DATA_REG_ROWS } from './data-reg';
import { EXCLUSIVE_ROWS } from './exclusive';
import { FP_SCALAR_ROWS } from './fp-scalar';
import { LOAD_STORE_ROWS } from './load-store';
import { LOAD_STORE_SIMD_ROWS } from './load-store-simd';
import { SIMD_ACROSS_ROWS } from './simd-across';
import { SIMD_COPY_ROWS } from './simd-copy';
import { SIMD_PERMUTE_ROWS } from './simd-permute';
import { SIMD_SHIFT_ROWS } from './simd-shift';
import { SIMD_THREE_DIFF_ROWS } from './simd-three-diff';
import { SIMD_THREE_SAME_ROWS } from './simd-three-same';
import { SIMD_TWO_MISC_ROWS } from './simd-two-misc';
import { SYSTEM_ROWS } from './system';
import { SYSTEM_EL1_ROWS } from './system-el1';

const ROWS: readonly (readonly [string, string, A64Handler])[] = [
  ...BRANCH_ROWS,
  ...CONDITIONAL_ROWS,
  ...CRC32_ROWS,
  ...DATA_1SRC_ROWS,
  ...DATA_2SRC_ROWS,
  ...DATA_3SRC_ROWS,
  ...DATA_IMM_ROWS,
  ...DATA_REG_ROWS,
  ...FP_SCALAR_ROWS,
  ...SIMD_COPY_ROWS,
  ...SIMD_SHIFT_ROWS,
  ...SIMD_THREE_SAME_ROWS,
  ...SIMD_THREE_DIFF_ROWS,
  ...SIMD_TWO_MISC_ROWS,
  ...SIMD_ACROSS_ROWS,
  ...SIMD_PERMUTE_ROWS,
  ...SYSTEM_EL1_ROWS,
  ...SYSTEM_ROWS,
  ...LOAD_STORE_ROWS,
  ...LOAD_STORE_SIMD_ROWS,
  ...EXCLUSIVE_ROWS,
  ...ATOMIC_ROWS,
];

/** Buckets on op0 (bits 28:25), the top-level A64 encoding group. */
export const A64_TABLE = new DecodeTable<A64Handler>(entries(ROWS), [25, 26, 27, 28]);
