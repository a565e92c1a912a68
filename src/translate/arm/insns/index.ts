/**
 * The A32, T32 and T16 decode tables, built from the per-encoding-space row files. The
 * coprocessor rows (VFP, CP15) are the same in A32 and T32 and appear in both; the Advanced SIMD
 * rows (neon.ts) differ only in their leading bits. The DSP rows (dsp.ts) come first in each table,
 * after ARMv8's cryptographic and CRC32 rows (crypto.ts) on a CPU that has them.
 */
import { DecodeTable, entries } from '../../decode/pattern';
import type { ArmHandler } from '../context';
import { A32_ROWS, A32_UNCONDITIONAL_ROWS } from './a32';
import { T16_ROWS } from './t16';
import { T32_ROWS } from './t32';
import { DSP_A32_ROWS, DSP_T32_ROWS } from './dsp';
import { NEON_A32_ROWS, NEON_T32_ROWS } from './neon';
import { COPROCESSOR_ROWS } from './vfp';
import { CRC32_A32_ROWS, CRYPTO_A32_ROWS, CRYPTO_T32_ROWS } from './crypto';

/** The decode tables of one CPU. */
export interface ArmTables {
  /** Buckets on bits 27:25, the top-level A32 encoding group. */
  readonly a32: DecodeTable<ArmHandler>;
  readonly a32Unconditional: DecodeTable<ArmHandler>;
  /** Buckets on bits 15:12 of the halfword. */
  readonly t16: DecodeTable<ArmHandler>;
  /** Buckets on bits 28:25 (op1 and the top of op2 of the first halfword). */
  readonly t32: DecodeTable<ArmHandler>;
}

/** The tables of an ARMv7 CPU, or (`crypto`) of an ARMv8 one with the cryptographic extension and CRC32, whose rows come first. */
function armTables(crypto: boolean): ArmTables {
  const [a32Crypto, a32Crc, t32Crypto] = crypto ? [CRYPTO_A32_ROWS, CRC32_A32_ROWS, CRYPTO_T32_ROWS] : [[], [], []];
  return {
    a32: new DecodeTable<ArmHandler>(entries([...a32Crc, ...DSP_A32_ROWS, ...COPROCESSOR_ROWS, ...A32_ROWS]), [25, 26, 27]),
    a32Unconditional: new DecodeTable<ArmHandler>(entries([...a32Crypto, ...NEON_A32_ROWS, ...A32_UNCONDITIONAL_ROWS]), [25, 26, 27]),
    t16: new DecodeTable<ArmHandler>(entries(T16_ROWS, 16), [12, 13, 14, 15]),
    t32: new DecodeTable<ArmHandler>(entries([...t32Crypto, ...NEON_T32_ROWS, ...DSP_T32_ROWS, ...T32_ROWS, ...COPROCESSOR_ROWS]), [25, 26, 27, 28]),
  };
}

/** Everything tsemu implements (QEMU's `max`; the disassembler). */
export const ARMV8_TABLES = armTables(true);
/** ARMv7-A with NEON (Cortex-A7, A15). */
export const ARMV7_TABLES = armTables(false);
