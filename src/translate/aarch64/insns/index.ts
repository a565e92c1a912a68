/**
 * The A64 decode table: every instruction family's rows, in priority order.
 * Each file under insns/ covers one chapter of the ARM ARM's A64 encoding index.
 */
import { DecodeTable, entries } from '../../decode/pattern';
import type { A64Handler } from '../context';
import { BRANCH_ROWS } from './branch';

const ROWS: readonly (readonly [string, string, A64Handler])[] = [...BRANCH_ROWS];

/** Buckets on op0 (bits 28:25), the top-level A64 encoding group. */
export const A64_TABLE = new DecodeTable<A64Handler>(entries(ROWS), [25, 26, 27, 28]);
