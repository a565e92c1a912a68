/**
 * Differential test of the two IR executors on 32-bit ARM code: random A32 and T32 instruction
 * streams per encoding group, translated once by the ARM frontend, run by the reference interpreter
 * and by the WebAssembly backend from the same random CPU state and scratch memory; the exit
 * status, the CPU state and the scratch memory must be identical.
 *
 * Registers start pointing into the scratch area so loads and stores mostly hit memory. Words the
 * frontend turns into an Undefined trap stay in the streams (they end the block identically in
 * both executors).
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../src/memory/guest-memory';
import { STATE_BASE } from '../../src/memory/layout';
import { armFrontend } from '../../src/translate/arm/frontend';
import { CF, GE, NF, QF, VF, ZF, reg } from '../../src/translate/arm/state';
import type { CodeSource } from '../../src/translate/frontend';
import type { IRBlock } from '../../src/translate/ir/block';
import { TrapKind, type Endian } from '../../src/translate/ir/ops';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import { runBlockWasm } from '../../src/translate/wasm/run-once';
import { Random, seedOf } from '../translate/random';

const CODE_BASE = 0x10000;
const SCRATCH = 0x200000;
const SCRATCH_SIZE = 0x40000;
const SCRATCH_BASE = SCRATCH + 0x10000;
const STATE_BYTES = armFrontend.stateSize;
const STREAMS = 60;
const STREAM_LENGTH = 8;

type Executor = (block: IRBlock, memory: GuestMemory, stateBase: number, endian: Endian) => TrapKind;

const memory = new GuestMemory(true);
memory.setFlags(SCRATCH, SCRATCH_SIZE, 0);

/** An encoding group: a fixed value under a mask, the other bits random; `thumb` words are T32/T16 halfwords. */
interface Group {
  name: string;
  thumb: boolean;
  /** Makes one random instruction (one A32 word, or one or two Thumb halfwords). */
  make: (rng: Random) => number[];
}

const word = (rng: Random): number => (rng.below(2 ** 16) * 2 ** 16 + rng.below(2 ** 16)) >>> 0;
/** An A32 word in the group fixed by bits 27:25 = `op1`, with a random condition (never 1111). */
const a32 = (op1: number) => (rng: Random): number[] => [(((rng.below(15) << 28) | (op1 << 25) | (word(rng) & 0x1ffffff)) >>> 0)];
/** A T16 halfword with the top bits `prefix` (of `bits` bits), never a 32-bit prefix. */
const t16 = (prefix: number, bits: number) => (rng: Random): number[] => [((prefix << (16 - bits)) | rng.below(2 ** (16 - bits))) & 0xffff];
/** A T32 instruction whose first halfword has the top bits `prefix` (of `bits` bits). */
const t32 = (prefix: number, bits: number) => (rng: Random): number[] => [
  ((prefix << (16 - bits)) | rng.below(2 ** (16 - bits))) & 0xffff,
  rng.below(2 ** 16),
];

/** ARMv8's cryptographic SIMD encodings in A32 form (a base and the mask of its random register and opcode bits). */
const CRYPTO_SIMD: readonly [base: number, random: number][] = [
  [0xf3b00300, 0x0040f0ef], // AESE/AESD/AESMC/AESIMC
  [0xf3b902c0, 0x0040f02f], // SHA1H
  [0xf3ba0380, 0x0040f06f], // SHA1SU1/SHA256SU0
  [0xf2000c40, 0x017ff0af], // SHA1C/P/M/SU0, SHA256H/H2/SU1
  [0xf2a00e00, 0x004ff0af], // VMULL.P64
];
const cryptoSimd = (rng: Random): number => {
  const [base, random] = CRYPTO_SIMD[rng.below(CRYPTO_SIMD.length)]!;
  return (base | (word(rng) & random)) >>> 0;
};

const GROUPS: Group[] = [
  { name: 'A32 data-processing (register)', thumb: false, make: a32(0b000) },
  { name: 'A32 data-processing (immediate)', thumb: false, make: a32(0b001) },
  { name: 'A32 load/store (immediate)', thumb: false, make: a32(0b010) },
  { name: 'A32 load/store (register) and media', thumb: false, make: a32(0b011) },
  { name: 'A32 load/store multiple', thumb: false, make: a32(0b100) },
  { name: 'T16 shifts, add, subtract, compare, move', thumb: true, make: t16(0b00, 2) },
  { name: 'T16 data-processing, special, literal loads, register loads/stores', thumb: true, make: t16(0b010, 3) },
  { name: 'T16 immediate loads/stores', thumb: true, make: t16(0b011, 3) },
  { name: 'T16 halfword and SP-relative loads/stores, ADR, ADD SP', thumb: true, make: t16(0b10, 2) },
  { name: 'T32 load/store multiple, dual, exclusive; data-processing (shifted register)', thumb: true, make: t32(0b11101, 5) },
  { name: 'T32 data-processing (immediate) and branches', thumb: true, make: t32(0b11110, 5) },
  { name: 'T32 loads/stores, data-processing (register), multiplies', thumb: true, make: t32(0b11111, 5) },
  {
    name: 'A32 Advanced SIMD data-processing',
    thumb: false,
    make: (rng) => [(0xf2000000 | (rng.below(2) << 24) | (word(rng) & 0xffffff)) >>> 0],
  },
  { name: 'T32 Advanced SIMD data-processing', thumb: true, make: (rng) => [0xef00 | (rng.below(2) << 12) | rng.below(256), rng.below(2 ** 16)] },
  {
    name: 'A32 cryptographic extension and CRC32',
    thumb: false,
    make: (rng) => [rng.below(2) ? cryptoSimd(rng) : (((rng.below(15) << 28) | 0x01000040 | (word(rng) & 0x006ff20f)) >>> 0)],
  },
  {
    name: 'T32 cryptographic extension and CRC32',
    thumb: true,
    make: (rng) => {
      if (rng.below(2)) return [0xfac0 | rng.below(32), 0xf080 | (word(rng) & 0x0f3f)];
      const w = cryptoSimd(rng);
      return [0xef00 | (((w >>> 24) & 1) << 12) | ((w >>> 16) & 0xff), w & 0xffff];
    },
  },
  {
    name: 'A32 VFP data-processing (coprocessor 10/11)',
    thumb: false,
    make: (rng) => [((rng.below(15) << 28) | 0x0e000a00 | (word(rng) & 0x00fff1ff)) >>> 0],
  },
];

function codeSource(halfwords: readonly number[]): CodeSource {
  const end = CODE_BASE + halfwords.length * 2;
  const half = (pc: number): number | undefined => (pc >= CODE_BASE && pc < end ? halfwords[(pc - CODE_BASE) / 2] : undefined);
  return {
    fetch16: half,
    fetch32: (pc) => {
      const lo = half(pc);
      const hi = half(pc + 2);
      return lo === undefined || hi === undefined ? undefined : (lo | (hi << 16)) >>> 0;
    },
  };
}

/** The instruction stream as memory halfwords: A32 words little-endian, T32 first halfword first. */
function halfwordsOf(group: Group, insns: number[][]): number[] {
  return insns.flatMap((parts) => (group.thumb ? parts : parts.flatMap((w) => [w & 0xffff, w >>> 16])));
}

interface Start {
  state: Uint8Array;
  scratch: Uint8Array;
}

function randomStart(rng: Random): Start {
  const state = new Uint8Array(STATE_BYTES).map(() => rng.below(256));
  const view = new DataView(state.buffer);
  for (let r = 0; r < 15; r++) view.setUint32(reg(r), SCRATCH_BASE + rng.below(0x1000) * 4, true);
  // N and V are the sign bits of any value, Z is set by a 0 (half of the time); C and Q are 0/1
  // slots; GE holds four bits.
  view.setUint32(NF, rng.below(2 ** 32), true);
  view.setUint32(ZF, rng.below(2) * rng.below(2 ** 32), true);
  view.setUint32(CF, rng.below(2), true);
  view.setUint32(VF, rng.below(2 ** 32), true);
  view.setUint32(QF, rng.below(2), true);
  view.setUint32(GE, rng.below(16), true);
  const scratch = new Uint8Array(SCRATCH_SIZE).map(() => rng.below(256));
  return { state, scratch };
}

function execute(run: Executor, block: IRBlock, start: Start): { status: string; state: Uint8Array; scratch: Uint8Array } {
  memory.u8.set(start.state, STATE_BASE);
  memory.u8.set(start.scratch, SCRATCH);
  let status: string;
  try {
    status = TrapKind[run(block, memory, STATE_BASE, 'little')] ?? 'unknown status';
  } catch (e) {
    status = `threw ${(e as Error).message}`;
  }
  return {
    status,
    state: memory.u8.slice(STATE_BASE, STATE_BASE + STATE_BYTES),
    scratch: memory.u8.slice(SCRATCH, SCRATCH + SCRATCH_SIZE),
  };
}

function hexWords(insns: number[][]): string {
  return insns.map((parts) => parts.map((p) => p.toString(16).padStart(p > 0xffff ? 8 : 4, '0')).join(' ')).join(', ');
}

describe('ARM differential: IR interpreter vs WebAssembly backend on random A32/T32 streams', () => {
  for (const group of GROUPS) {
    it(group.name, () => {
      const rng = new Random(seedOf(group.name));
      const mismatches: string[] = [];
      for (let s = 0; s < STREAMS; s++) {
        const insns = Array.from({ length: STREAM_LENGTH }, () => group.make(rng));
        const pc = group.thumb ? CODE_BASE | 1 : CODE_BASE;
        const block = armFrontend.translate(codeSource(halfwordsOf(group, insns)), pc, { maxInsns: 64, flags: 0 });
        const start = randomStart(rng);
        const a = execute(interpretBlock, block, start);
        const b = execute(runBlockWasm, block, start);
        const stateAt = a.state.findIndex((x, i) => x !== b.state[i]);
        const memAt = a.scratch.findIndex((x, i) => x !== b.scratch[i]);
        if (a.status !== b.status || stateAt >= 0 || memAt >= 0) {
          mismatches.push(`[${hexWords(insns)}]: status ${a.status}/${b.status}, state byte ${stateAt}, memory byte ${memAt}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
