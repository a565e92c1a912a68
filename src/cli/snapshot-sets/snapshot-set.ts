/**
 * What one start-up snapshot holds besides the modules every user-mode start needs: the modules of
 * one target (its user-mode target, ABI, signal frame, frontend), compiled without being called,
 * and the decode tables whose rows snapshot-warm-up.ts translates once. A snapshot per target:
 * the other targets' frontends and tables were 1.1 MB of a snapshot of 8.9 MB, which every start
 * read, copied and deserialised (docs/performance.md, "sixth pass").
 */
import type { DecodeTable } from '../../translate/decode/pattern';
import type { Frontend } from '../../translate/frontend';

/** A frontend, a table it decodes through, and how that table's instructions lie in memory. */
export interface WarmUp {
  readonly frontend: Frontend;
  readonly table: DecodeTable<unknown>;
  /** The instruction set bit of the pc (Thumb: 1). */
  readonly pcBit: 0 | 1;
  /** Bits per instruction of the table (a Thumb table of halfwords: 16). */
  readonly width: 16 | 32;
}

export interface SnapshotSet {
  /** The target's modules, whose exported functions are compiled. */
  readonly modules: readonly object[];
  readonly warmUps: readonly WarmUp[];
}
