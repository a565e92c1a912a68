/**
 * Runs the translation path of every frontend while tsemu's start-up snapshot is built, so that the
 * snapshot holds its functions compiled. V8 compiles a function to bytecode on its first call and
 * keeps that bytecode in a snapshot; a function never called while the snapshot was built is
 * compiled again in every process that calls it, and a start translates a few hundred blocks of the
 * C library's start-up code through a few hundred per-instruction emitters. Compiling on first
 * call was a tenth of a static hello world's samples; warming the translation path here took 3 to
 * 6% off its CPU time (docs/performance.md, "Start-up: the translation path in the snapshot").
 *
 * Each decode table row is translated once, as the instruction its pattern fixes with every field
 * zero and once with every field bit set, each a block of its own, and compacted as the engine
 * keeps cold blocks. Nothing is run: the instructions are only decoded.
 *
 * Node loads some of its own modules on first use too: the engine times each translation with
 * `performance.now()`, whose first use loaded perf_hooks and its dependencies in every process
 * (about 3% of a hello world's samples). Node refreshes `performance`'s time origin as a process
 * starts from a snapshot, so using it here is safe.
 */
import type { DecodeTable } from '../translate/decode/pattern';
import type { CodeSource, Frontend } from '../translate/frontend';
import { compactBlock } from '../translate/ir/compact';
import { aarch64Frontend } from '../translate/aarch64/frontend';
import { A64_TABLE } from '../translate/aarch64/insns';
import { armFrontend } from '../translate/arm/frontend';
import { A32_TABLE, A32_UNCONDITIONAL_TABLE, T16_TABLE, T32_TABLE } from '../translate/arm/insns';
import { ppc64Frontend } from '../translate/ppc64/frontend';
import { PPC_TABLE } from '../translate/ppc64/insns';

/** A frontend, a table it decodes through, and how that table's instructions lie in memory. */
interface WarmUp {
  frontend: Frontend;
  table: DecodeTable<unknown>;
  /** The instruction set bit of the pc (Thumb: 1). */
  pcBit: 0 | 1;
  /** Bits per instruction of the table (a Thumb table of halfwords: 16). */
  width: 16 | 32;
}

const WARM_UPS: readonly WarmUp[] = [
  { frontend: aarch64Frontend, table: A64_TABLE, pcBit: 0, width: 32 },
  { frontend: armFrontend, table: A32_TABLE, pcBit: 0, width: 32 },
  { frontend: armFrontend, table: A32_UNCONDITIONAL_TABLE, pcBit: 0, width: 32 },
  { frontend: armFrontend, table: T16_TABLE, pcBit: 1, width: 16 },
  { frontend: armFrontend, table: T32_TABLE, pcBit: 1, width: 32 },
  { frontend: ppc64Frontend, table: PPC_TABLE, pcBit: 0, width: 32 },
];

const PC = 0x10000;

/** One instruction at PC: a 32-bit word, a halfword, or two halfwords (a 32-bit Thumb one, top half first). */
function codeOf(insn: number, width: 16 | 32): CodeSource {
  const halves = width === 16 ? [insn] : [insn >>> 16, insn & 0xffff];
  return {
    fetch32: (pc) => (pc === PC ? insn : undefined),
    fetch16: (pc) => halves[(pc - PC) / 2],
  };
}

/** Translates every row of every table twice (fields zero, fields all ones). */
function warmUpTranslation(): void {
  for (const { frontend, table, pcBit, width } of WARM_UPS) {
    const bits = width === 16 ? 0xffff : 0xffffffff;
    for (const { pattern } of table.entries) {
      for (const insn of [pattern.value, (pattern.value | (bits & ~pattern.mask)) >>> 0]) {
        try {
          compactBlock(frontend.translate(codeOf(insn, width), PC | pcBit, { maxInsns: 1, flags: 0 }));
        } catch {
          // An encoding an emitter rejects by throwing: the code that ran up to there is compiled all the same.
        }
      }
    }
  }
}

/** Runs what every start would otherwise compile or load for the first time. */
export function warmUp(): void {
  warmUpTranslation();
  performance.now();
}
