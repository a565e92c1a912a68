/**
 * Differential test of the two IR executors on the PowerPC frontend: random instruction streams
 * per instruction family (words generated from the frontend's own decode rows, with the base and
 * index registers of storage accesses pointing into scratch memory), translated once, run by the
 * reference interpreter and by the WebAssembly backend from the same random machine state and
 * scratch memory, in both byte orders; the final CPU state, exit status and scratch memory must be
 * identical. Floating-point rows also run translated for exact FPSCR handling (FLAG_FP_EXACT),
 * with a random rounding mode, and with FPSCR's flags tracked (FLAG_FP_TRACK). A mismatch is narrowed to the first instruction after which the
 * executors disagree.
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../src/memory/guest-memory';
import { STATE_BASE } from '../../src/memory/layout';
import { parsePattern } from '../../src/translate/decode/pattern';
import type { CodeSource } from '../../src/translate/frontend';
import type { IRBlock } from '../../src/translate/ir/block';
import { TrapKind, type Endian } from '../../src/translate/ir/ops';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import type { PpcHandler } from '../../src/translate/ppc64/context';
import { FLAG_FP_EXACT, FLAG_FP_TRACK } from '../../src/translate/ppc64/flags';
import { FPSCR_XX } from '../../src/translate/ppc64/fpscr';
import { ppc64Frontend } from '../../src/translate/ppc64/frontend';
import { ATOMIC_ROWS } from '../../src/translate/ppc64/insns/atomics';
import { BRANCH_ROWS } from '../../src/translate/ppc64/insns/branch';
import { FIXED_ARITH_ROWS } from '../../src/translate/ppc64/insns/fixed-arith';
import { FIXED_LOGICAL_ROWS } from '../../src/translate/ppc64/insns/fixed-logical';
import { FP_ROWS } from '../../src/translate/ppc64/insns/fp';
import { LOAD_STORE_ROWS } from '../../src/translate/ppc64/insns/load-store';
import { ROTATE_ROWS } from '../../src/translate/ppc64/insns/rotate';
import { SYSTEM_ROWS } from '../../src/translate/ppc64/insns/system';
import { VECTOR_COUNT_ROWS } from '../../src/translate/ppc64/insns/vector-count';
import { VECTOR_CRYPTO_ROWS } from '../../src/translate/ppc64/insns/vector-crypto';
import { VECTOR_INT_ROWS } from '../../src/translate/ppc64/insns/vector-int';
import { VECTOR_PERMUTE_ROWS } from '../../src/translate/ppc64/insns/vector-permute';
import { VECTOR_QUAD_ROWS } from '../../src/translate/ppc64/insns/vector-quad';
import { VECTOR_SATURATE_ROWS } from '../../src/translate/ppc64/insns/vector-saturate';
import { VSX_LOAD_STORE_ROWS } from '../../src/translate/ppc64/insns/vsx-load-store';
import { VSX_SCALAR_ROWS } from '../../src/translate/ppc64/insns/vsx-scalar';
import { CTR, FPSCR, LR, RESV_ADDR, STATE_SIZE_PPC64, XER_CA, XER_OV, XER_SO, crField, gpr, vsr } from '../../src/translate/ppc64/state';
import { runBlockWasm } from '../../src/translate/wasm/run-once';
import { EDGE_INTS, Random, edgeFloat64, seedOf } from '../translate/random';

const CODE_BASE = 0x10000;
const SCRATCH = 0x200000;
const SCRATCH_SIZE = 0x40000;
/** r30 holds the scratch middle and r29 a small index, so storage accesses stay inside scratch. */
const BASE_REG = 30;
const INDEX_REG = 29;
const SCRATCH_MIDDLE = SCRATCH + SCRATCH_SIZE / 2;
const STREAMS = 30;
const STREAM_LENGTH = 8;
const CANDIDATES = 300;

type Row = readonly [string, string, PpcHandler];
interface InsnClass {
  name: string;
  rows: readonly Row[];
  /** Storage access rows: base and index registers are fixed, displacements small. */
  memory?: boolean;
  /** Translate with FLAG_FP_EXACT and a random FPSCR rounding mode. */
  exactFp?: boolean;
  /** Translate with FLAG_FP_TRACK (round to nearest; FPSCR.XX randomly raised already). */
  trackFp?: boolean;
}

const CLASSES: InsnClass[] = [
  { name: 'fixed-point arithmetic and compares', rows: FIXED_ARITH_ROWS },
  { name: 'fixed-point logical, shifts, counts, isel', rows: FIXED_LOGICAL_ROWS },
  { name: 'rotates', rows: ROTATE_ROWS },
  { name: 'branches, CR logical, traps, sc', rows: BRANCH_ROWS },
  { name: 'loads and stores', rows: LOAD_STORE_ROWS, memory: true },
  { name: 'load reserve / store conditional', rows: ATOMIC_ROWS, memory: true },
  { name: 'SPR moves, CR moves, cache and barriers', rows: SYSTEM_ROWS, memory: true },
  { name: 'floating point (native)', rows: FP_ROWS },
  { name: 'floating point (exact FPSCR)', rows: FP_ROWS, exactFp: true },
  { name: 'floating point (FPSCR flags tracked)', rows: FP_ROWS, trackFp: true },
  { name: 'VSX scalar and vector FP (native)', rows: VSX_SCALAR_ROWS },
  { name: 'VSX scalar and vector FP (exact FPSCR)', rows: VSX_SCALAR_ROWS, exactFp: true },
  { name: 'vector and VSX loads, stores and moves', rows: VSX_LOAD_STORE_ROWS, memory: true },
  { name: 'vector permutes and logic', rows: VECTOR_PERMUTE_ROWS },
  { name: 'vector integer', rows: VECTOR_INT_ROWS },
  { name: 'vector counts', rows: VECTOR_COUNT_ROWS },
  { name: 'vector quadword arithmetic', rows: VECTOR_QUAD_ROWS },
  { name: 'vector saturating arithmetic and packs', rows: VECTOR_SATURATE_ROWS },
  { name: 'vector crypto', rows: VECTOR_CRYPTO_ROWS },
];

const memory = new GuestMemory(true);
memory.setFlags(SCRATCH, SCRATCH_SIZE, 0);

/** A random word matching `pattern`, with the storage fields of memory classes constrained. */
function randomWord(text: string, rng: Random, memoryClass: boolean): number {
  const pattern = parsePattern(text);
  let word = pattern.value;
  for (const part of pattern.parts) {
    let value = rng.below(2 ** part.width);
    if (memoryClass && part.name === 'ra') value = BASE_REG;
    if (memoryClass && part.name === 'rb') value = INDEX_REG;
    if (memoryClass && ['d', 'ds', 'dq'].includes(part.name)) value = rng.below(64) & (2 ** part.width - 1);
    word |= value << part.shift;
  }
  return word >>> 0;
}

function codeSource(words: readonly number[]): CodeSource {
  const end = CODE_BASE + words.length * 4;
  return {
    fetch32: (pc) => (pc >= CODE_BASE && pc < end ? words[(pc - CODE_BASE) / 4] : undefined),
    fetch16: () => undefined,
  };
}

function translate(words: readonly number[], maxInsns: number, flags: number): IRBlock {
  return ppc64Frontend.translate(codeSource(words), CODE_BASE, { maxInsns, flags });
}

function randomState(rng: Random, cls: InsnClass): Uint8Array {
  const bytes = new Uint8Array(STATE_SIZE_PPC64);
  const view = new DataView(bytes.buffer);
  for (let n = 0; n < 32; n++) view.setBigUint64(gpr(n), rng.below(3) === 0 ? rng.pick(EDGE_INTS) : rng.u64(), true);
  view.setBigUint64(gpr(BASE_REG), BigInt(SCRATCH_MIDDLE), true);
  view.setBigUint64(gpr(INDEX_REG), BigInt(rng.below(0x100) * 16), true);
  view.setBigUint64(LR, rng.u64(), true);
  view.setBigUint64(CTR, BigInt(rng.below(4)), true);
  for (let f = 0; f < 8; f++) view.setUint32(crField(f), rng.below(16), true);
  for (const bit of [XER_SO, XER_OV, XER_CA]) view.setUint32(bit, rng.below(2), true);
  view.setUint32(FPSCR, cls.exactFp ? rng.below(4) : cls.trackFp && rng.below(2) ? FPSCR_XX : 0, true);
  view.setBigUint64(RESV_ADDR, (1n << 64n) - 1n, true);
  for (let n = 0; n < 64; n++) {
    for (const half of [0, 8]) view.setBigUint64(vsr(n) + half, rng.below(2) === 0 ? edgeFloat64(rng) : rng.u64(), true);
  }
  return bytes;
}

interface Start {
  state: Uint8Array;
  scratch: Uint8Array;
}
type Executor = (block: IRBlock, memory: GuestMemory, stateBase: number, endian: Endian) => TrapKind;

function execute(run: Executor, block: IRBlock, start: Start, endian: Endian): { status: string; state: Uint8Array; scratch: Uint8Array } {
  memory.u8.set(start.state, STATE_BASE);
  memory.u8.set(start.scratch, SCRATCH);
  let status: string;
  try {
    status = TrapKind[run(block, memory, STATE_BASE, endian)] ?? 'unknown status';
  } catch (e) {
    status = `threw ${(e as Error).message}`;
  }
  return {
    status,
    state: memory.u8.slice(STATE_BASE, STATE_BASE + STATE_SIZE_PPC64),
    scratch: memory.u8.slice(SCRATCH, SCRATCH + SCRATCH_SIZE),
  };
}

function differences(block: IRBlock, start: Start, endian: Endian): string[] {
  const a = execute(interpretBlock, block, start, endian);
  const b = execute(runBlockWasm, block, start, endian);
  const diff = a.status === b.status ? [] : [`status: ${a.status} vs ${b.status}`];
  const stateByte = a.state.findIndex((x, i) => x !== b.state[i]);
  if (stateByte >= 0) diff.push(`state differs from byte ${stateByte}`);
  const memByte = a.scratch.findIndex((x, i) => x !== b.scratch[i]);
  if (memByte >= 0) diff.push(`memory differs from 0x${(SCRATCH + memByte).toString(16)}`);
  return diff;
}

const hex = (w: number): string => (w >>> 0).toString(16).padStart(8, '0');

function decodes(word: number, flags: number): boolean {
  const block = translate([word], 1, flags);
  return !block.insns.some((i) => i.op === 'trap' && i.imm === TrapKind.Undefined);
}

/** Runs one class's streams in one byte order; a report line per mismatching stream. */
function compareClass(cls: InsnClass, endian: Endian): string[] {
  const flags = cls.exactFp ? FLAG_FP_EXACT : cls.trackFp ? FLAG_FP_TRACK : 0;
  const rng = new Random(seedOf(`${cls.name} ${endian}`));
  const words: number[] = [];
  for (let i = 0; i < CANDIDATES; i++) {
    const word = randomWord(rng.pick(cls.rows)[0], rng, cls.memory ?? false);
    if (decodes(word, flags)) words.push(word);
  }
  expect(words.length, `${cls.name}: random words that decode`).toBeGreaterThan(CANDIDATES / 4);
  const reports: string[] = [];
  for (let s = 0; s < STREAMS; s++) {
    const stream = Array.from({ length: STREAM_LENGTH }, () => rng.pick(words));
    const start = { state: randomState(rng, cls), scratch: Uint8Array.from({ length: SCRATCH_SIZE }, () => rng.below(256)) };
    if (differences(translate(stream, STREAM_LENGTH, flags), start, endian).length === 0) continue;
    for (let k = 1; k <= STREAM_LENGTH; k++) {
      const diff = differences(translate(stream, k, flags), start, endian);
      if (diff.length === 0) continue;
      reports.push(`stream ${s}: after ${hex(stream[k - 1]!)} preceded by [${stream.slice(0, k - 1).map(hex).join(' ')}]: ${diff.join('; ')}`);
      break;
    }
  }
  return reports;
}

for (const endian of ['little', 'big'] as const) {
  describe(`IR interpreter vs WebAssembly backend on random PowerPC streams (${endian}-endian)`, () => {
    for (const cls of CLASSES) {
      it(cls.name, () => {
        expect(compareClass(cls, endian).slice(0, 4)).toEqual([]);
      });
    }
  });
}
