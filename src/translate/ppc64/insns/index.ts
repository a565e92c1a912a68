/**
 * The PowerPC decode table: every instruction family's rows, in priority order. Each file under
 * insns/ covers one chapter of the Power ISA (branch, fixed-point, floating-point, vector, storage).
 */
import { DecodeTable, entries } from '../../decode/pattern';
import type { PpcHandler } from '../context';
import { ATOMIC_ROWS } from './atomics';
import { BRANCH_ROWS } from './branch';
import { FIXED_ARITH_ROWS } from './fixed-arith';
import { FP_ROWS } from './fp';
import { FIXED_LOGICAL_ROWS } from './fixed-logical';
import { ISA_3_0_ROWS } from './isa300';
import { LOAD_STORE_ROWS } from './load-store';
import { ROTATE_ROWS } from './rotate';
import { SYSTEM_ROWS } from './system';
import { VECTOR_AES_ROWS } from './vector-aes';
import { VECTOR_COUNT_ROWS } from './vector-count';
import { VECTOR_CRYPTO_ROWS } from './vector-crypto';
import { VECTOR_INT_ROWS } from './vector-int';
import { VECTOR_PERMUTE_ROWS } from './vector-permute';
import { VECTOR_QUAD_ROWS } from './vector-quad';
import { VECTOR_SATURATE_ROWS } from './vector-saturate';
import { VSX_LOAD_STORE_ROWS } from './vsx-load-store';
import { VSX_SCALAR_ROWS } from './vsx-scalar';
import { VSX_VECTOR_ROWS } from './vsx-vector';
import { VECTOR_FP_ROWS } from './vector-fp';

const ROWS: readonly (readonly [string, string, PpcHandler])[] = [
  ...BRANCH_ROWS,
  ...FIXED_ARITH_ROWS,
  ...FIXED_LOGICAL_ROWS,
  ...ROTATE_ROWS,
  ...LOAD_STORE_ROWS,
  ...ATOMIC_ROWS,
  ...SYSTEM_ROWS,
  ...FP_ROWS,
  ...VSX_LOAD_STORE_ROWS,
  ...VECTOR_PERMUTE_ROWS,
  ...VECTOR_INT_ROWS,
  ...VECTOR_COUNT_ROWS,
  ...VECTOR_QUAD_ROWS,
  ...VECTOR_SATURATE_ROWS,
  ...VECTOR_CRYPTO_ROWS,
  ...VECTOR_AES_ROWS,
  ...VSX_SCALAR_ROWS,
  ...VSX_VECTOR_ROWS,
  ...VECTOR_FP_ROWS,
];

/** Buckets on the primary opcode (bits 0..5 in the ISA's numbering: 31..26 from the right). */
const tableOf = (rows: typeof ROWS): DecodeTable<PpcHandler> => new DecodeTable<PpcHandler>(entries(rows), [26, 27, 28, 29, 30, 31]);

/** Every instruction tsemu implements: an ISA 3.0 (POWER9) CPU. */
export const PPC_TABLE = tableOf(ROWS);

let isa207Table: DecodeTable<PpcHandler> | undefined;
/** The instructions of an ISA 2.07 (POWER8) CPU: without those ISA 3.0 added (isa300.ts). */
export function ppcIsa207Table(): DecodeTable<PpcHandler> {
  isa207Table ??= tableOf(ROWS.filter(([, name]) => !ISA_3_0_ROWS.has(name)));
  return isa207Table;
}
