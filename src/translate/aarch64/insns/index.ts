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
import { AES_ROWS, PMULL64_ROWS, SHA1_ROWS, SHA256_ROWS, SHA3_ROWS, SHA512_ROWS } from './crypto';
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

type Rows = readonly (readonly [string, string, A64Handler])[];

/**
 * Optional A64 features (the ARM ARM's FEAT_* names) a CPU model may lack: the instructions of a
 * feature decode only for a CPU that has it, and are unallocated (UNDEFINED) on the others.
 */
export type A64Feature = 'crc32' | 'lse' | 'aes' | 'pmull' | 'sha1' | 'sha256' | 'sha512' | 'sha3';
export const ALL_A64_FEATURES: ReadonlySet<A64Feature> = new Set(['crc32', 'lse', 'aes', 'pmull', 'sha1', 'sha256', 'sha512', 'sha3']);

/** Each family's rows, in priority order, with the feature they need (none: every ARMv8.0 CPU). */
const FAMILIES: readonly { rows: Rows; feature?: A64Feature }[] = [
  { rows: BRANCH_ROWS },
  { rows: CONDITIONAL_ROWS },
  { rows: CRC32_ROWS, feature: 'crc32' },
  { rows: DATA_1SRC_ROWS },
  { rows: DATA_2SRC_ROWS },
  { rows: DATA_3SRC_ROWS },
  { rows: DATA_IMM_ROWS },
  { rows: DATA_REG_ROWS },
  { rows: FP_SCALAR_ROWS },
  { rows: AES_ROWS, feature: 'aes' },
  { rows: PMULL64_ROWS, feature: 'pmull' },
  { rows: SHA1_ROWS, feature: 'sha1' },
  { rows: SHA256_ROWS, feature: 'sha256' },
  { rows: SHA512_ROWS, feature: 'sha512' },
  { rows: SHA3_ROWS, feature: 'sha3' },
  { rows: SIMD_COPY_ROWS },
  { rows: SIMD_SHIFT_ROWS },
  { rows: SIMD_THREE_SAME_ROWS },
  { rows: SIMD_THREE_DIFF_ROWS },
  { rows: SIMD_TWO_MISC_ROWS },
  { rows: SIMD_ACROSS_ROWS },
  { rows: SIMD_PERMUTE_ROWS },
  { rows: SYSTEM_EL1_ROWS },
  { rows: SYSTEM_ROWS },
  { rows: LOAD_STORE_ROWS },
  { rows: LOAD_STORE_SIMD_ROWS },
  { rows: EXCLUSIVE_ROWS },
  { rows: ATOMIC_ROWS, feature: 'lse' },
];

const tables = new Map<string, DecodeTable<A64Handler>>();

/** The decode table of a CPU with `features` (built once per feature set). */
export function a64Table(features: ReadonlySet<A64Feature>): DecodeTable<A64Handler> {
  const key = [...features].sort().join(',');
  let table = tables.get(key);
  if (!table) {
    const rows = FAMILIES.filter((f) => f.feature === undefined || features.has(f.feature)).flatMap((f) => f.rows);
    // Buckets on op0 (bits 28:25), the top-level A64 encoding group.
    table = new DecodeTable<A64Handler>(entries(rows), [25, 26, 27, 28]);
    tables.set(key, table);
  }
  return table;
}

/** The table with every feature tsemu implements (user mode, the disassembler). */
export const A64_TABLE = a64Table(ALL_A64_FEATURES);
