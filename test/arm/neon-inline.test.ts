/**
 * The inline WebAssembly SIMD forms of NEON data processing (src/translate/arm/insns/neon-simd.ts)
 * against the exact lane-by-lane helper (neon-exec.ts, itself checked against qemu-arm by the
 * neon guest program): random A32 and T32 data-processing encodings, each run from the same random
 * D registers by the helper, by the IR interpreter and by the WebAssembly backend on the frontend's
 * translation. The D registers and FPSCR must come out identical. Random lanes are drawn from edge
 * values (0, all ones, sign bits, small numbers) as well as uniform bits. The saturating, halving
 * and rounding forms of neon-saturate.ts (and a few more that left the helper with them) get encodings of their own (templates with random fields),
 * registers of repeated saturation edges of each lane size, and FPSCR.QC clear or already set; they
 * must translate without a helper call.
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../src/memory/guest-memory';
import { STATE_BASE } from '../../src/memory/layout';
import { armFrontend } from '../../src/translate/arm/frontend';
import { decodeNeon } from '../../src/translate/arm/insns/neon-exec';
import { FPSCR_QC } from '../../src/translate/arm/insns/neon-lanes';
import { DREG_BASE, FPSCR, STATE_SIZE_ARM } from '../../src/translate/arm/state';
import type { CodeSource } from '../../src/translate/frontend';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import { runBlockWasm } from '../../src/translate/wasm/run-once';
import { Random, seedOf } from '../translate/random';

const CODE = 0x10000;
const ENCODINGS = 1500;
const memory = new GuestMemory(true);

/** Interesting 16-bit lane patterns; a register is built from these or from random bits. */
const EDGES = [0x0000, 0xffff, 0x8000, 0x7fff, 0x0001, 0x0080, 0x007f, 0x00ff, 0xff00, 0x8080, 0x7f7f, 0x0101];

function randomD(rng: Random): bigint {
  if (rng.below(3) === 0) return rng.u64();
  let v = 0n;
  for (let i = 0; i < 4; i++) v |= BigInt(rng.below(4) ? rng.pick(EDGES) : rng.below(0x10000)) << BigInt(16 * i);
  return v;
}

/** One 32-bit instruction at CODE, as memory holds it (first halfword low). */
function source(word: number): CodeSource {
  const half = (pc: number): number | undefined => (pc === CODE ? word & 0xffff : pc === CODE + 2 ? word >>> 16 : undefined);
  return { fetch16: half, fetch32: (pc) => (pc === CODE ? word : undefined) };
}

/** An A32 data-processing word (1111 001U ...) and its T32 form (111U 1111 ..., halfwords swapped for fetch32). */
function encodings(rng: Random): { a32: number; t32: number } {
  const a32 = (0xf2000000 | (rng.below(2) << 24) | rng.below(2 ** 24)) >>> 0;
  return { a32, t32: t32Of(a32) };
}

function run(exec: 'helper' | 'interp' | 'wasm', word: number, thumb: boolean, a32: number, start: Uint8Array): Uint8Array {
  memory.u8.set(start, STATE_BASE);
  if (exec === 'helper') decodeNeon(a32)!({ view: new DataView(memory.u8.buffer), base: STATE_BASE });
  else {
    const block = armFrontend.translate(source(word), thumb ? CODE | 1 : CODE, { maxInsns: 1, flags: 0 });
    (exec === 'interp' ? interpretBlock : runBlockWasm)(block, memory, STATE_BASE, 'little');
  }
  return memory.u8.slice(STATE_BASE, STATE_BASE + STATE_SIZE_ARM);
}

/** D0-D31 and FPSCR of a state image. */
const observed = (state: Uint8Array): string =>
  Buffer.from(state.subarray(DREG_BASE)).toString('hex') + ' ' + Buffer.from(state.subarray(FPSCR, FPSCR + 4)).toString('hex');

/**
 * A32 templates of the saturating, halving and rounding forms ('.' a random bit), as ARM ARM A7.4
 * lays them out: 1111 001U then the class's fields.
 */
const SATURATING: Readonly<Record<string, string>> = {
  'VQADD': '1111001. 0....... ....0000 ...1....',
  'VQSUB': '1111001. 0....... ....0010 ...1....',
  'VHADD': '1111001. 0....... ....0000 ...0....',
  'VRHADD': '1111001. 0....... ....0001 ...0....',
  'VHSUB': '1111001. 0....... ....0010 ...0....',
  'VQ(R)DMULH': '1111001. 0....... ....1011 ...0....',
  'VRSHR': '1111001. 1....... ....0010 ...1....',
  'VRSRA': '1111001. 1....... ....0011 ...1....',
  'VQSHLU imm': '11110011 1....... ....0110 ...1....',
  'VQSHL imm': '1111001. 1....... ....0111 ...1....',
  'VRSHRN VQ(R)SHRUN': '1111001. 10...... ....1000 0..1....',
  'VQ(R)SHRN': '1111001. 10...... ....1001 0..1....',
  'VQ(R)DMULH scalar': '1111001. 1....... ....110. .1.0....',
  'VQDMLAL VQDMLSL VQDMULL scalar': '11110010 1....... ......11 .1.0....',
  'VQDMLAL VQDMLSL VQDMULL': '11110010 1....... ....1..1 .0.0....',
  'VSHL VQSHL VRSHL VQRSHL .8 .16': '1111001. 0.0..... ....010. ........',
  'VSHL VQSHL VRSHL VQRSHL .32': '1111001. 0.10.... ....010. ........',
  'VSHL VQSHL VRSHL VQRSHL .64': '1111001. 0.11.... ....010. ........',
  'VCLS VCLZ': '11110011 1.11..00 ....0100 ...0....',
  'VMUL.F32 VMLA.F32 VMLS.F32 scalar': '1111001. 1.10.... ......01 .1.0....',
  'VRADDHN VRSUBHN .16 .32': '11110011 1.0..... ....01.0 .0.0....',
  'VRADDHN VRSUBHN .64': '11110011 1.10.... ....01.0 .0.0....',
  'VMUL.I8': '11110010 0.00.... ....1001 ...1....',
  'VMLA.I8 VMLS.I8': '1111001. 0.00.... ....1001 ...0....',
  'VPMAX.F32 VPMIN.F32': '11110011 0.0..... ....1111 .0.0....',
  'VACGE VACGT': '11110011 0.0..... ....1110 ...1....',
  'VPADDL VPADAL .32': '11110011 1.111000 ....0.10 ...0....',
  'VMUL.P8': '11110011 0.00.... ....1001 ...1....',
  'VMULL.P8': '11110010 1.00.... ....1110 .0.0....',
  'VCVT fixed point': '1111001. 1.1..... ....111. 0..1....',
  'VQABS VQNEG': '11110011 1.11..00 ....0111 1..0....',
  'VQMOVN VQMOVUN': '11110011 1.11..10 ....0010 1..0....',
};

const fromTemplate = (rng: Random, template: string): number =>
  [...template.replace(/ /g, '')].reduce((word, c) => ((word << 1) | (c === '.' ? rng.below(2) : Number(c))) >>> 0, 0);

/** A D register of one saturation edge (the minimum, maximum, 0, all ones, 1) repeated in lanes of a random size, or random lanes. */
function edgeD(rng: Random): bigint {
  if (rng.below(3) === 0) return randomD(rng);
  const esize = 8 << rng.below(4);
  const lane = BigInt.asUintN(esize, rng.pick([1n << BigInt(esize - 1), (1n << BigInt(esize - 1)) - 1n, 0n, -1n, 1n]));
  let v = 0n;
  for (let i = 0; i < 64; i += esize) v |= lane << BigInt(i);
  return v;
}

/** The A32 encoding's T32 form as fetch32 reads it (halfwords swapped). */
function t32Of(a32: number): number {
  const t32 = (0xef000000 | (((a32 >>> 24) & 1) << 28) | (a32 & 0xffffff)) >>> 0;
  return ((t32 << 16) | (t32 >>> 16)) >>> 0;
}

describe('NEON saturating, halving and rounding forms inline vs the exact helper', () => {
  for (const [name, template] of Object.entries(SATURATING)) {
    it(name, () => {
      const rng = new Random(seedOf(`neon-saturating ${name}`));
      const mismatches: string[] = [];
      let tried = 0;
      while (tried < 300) {
        const a32 = fromTemplate(rng, template);
        if (!decodeNeon(a32)) continue;
        tried++;
        const thumb = rng.below(2) === 1;
        const word = thumb ? t32Of(a32) : a32;
        const block = armFrontend.translate(source(word), thumb ? CODE | 1 : CODE, { maxInsns: 1, flags: 0 });
        if (block.insns.some((insn) => insn.op === 'call')) mismatches.push(`helper call ${a32.toString(16)}`);
        const start = new Uint8Array(STATE_SIZE_ARM);
        const view = new DataView(start.buffer);
        for (let d = 0; d < 32; d++) view.setBigUint64(DREG_BASE + d * 8, edgeD(rng), true);
        view.setUint32(FPSCR, rng.below(2) ? FPSCR_QC : 0, true);
        const want = observed(run('helper', word, thumb, a32, start));
        for (const exec of ['interp', 'wasm'] as const) {
          if (observed(run(exec, word, thumb, a32, start)) !== want) mismatches.push(`${exec} ${a32.toString(16)}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});

describe('NEON inline SIMD vs the exact helper', () => {
  for (const thumb of [false, true]) {
    it(thumb ? 'T32 encodings' : 'A32 encodings', () => {
      const rng = new Random(seedOf(`neon-inline ${thumb}`));
      const mismatches: string[] = [];
      let tried = 0;
      while (tried < ENCODINGS) {
        const { a32, t32 } = encodings(rng);
        if (!decodeNeon(a32)) continue;
        tried++;
        const start = new Uint8Array(STATE_SIZE_ARM);
        const view = new DataView(start.buffer);
        for (let d = 0; d < 32; d++) view.setBigUint64(DREG_BASE + d * 8, randomD(rng), true);
        const word = thumb ? t32 : a32;
        const want = observed(run('helper', word, thumb, a32, start));
        for (const exec of ['interp', 'wasm'] as const) {
          if (observed(run(exec, word, thumb, a32, start)) !== want) mismatches.push(`${exec} ${a32.toString(16)}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
