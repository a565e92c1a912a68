/**
 * The compact form of IR blocks (ir/compact.ts) is lossless: the engine keeps cold blocks compacted
 * and compiles a block that becomes hot from expandBlock's result, so that result must be the very
 * IR the frontend produced. Checked on the IR the three frontends make of random instruction
 * streams (A64 words from the per-class templates, which reach SIMD lane immediates, atomics and
 * helper calls; random A32 and PowerPC words). So is the form the persistent cache keeps cold
 * blocks in on disk (cache/cold-file.ts), written to a file and read back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aarch64Frontend } from '../../src/translate/aarch64/frontend';
import { armFrontend } from '../../src/translate/arm/frontend';
import { parsePattern } from '../../src/translate/decode/pattern';
import { ANY_FLAGS, type CodeSource, type Frontend } from '../../src/translate/frontend';
import type { IRBlock } from '../../src/translate/ir/block';
import { readCacheFile, writeCacheFile } from '../../src/translate/cache/cache-store';
import { coldEntry, compactOf, decodeColdFile, encodeColdFile } from '../../src/translate/cache/cold-file';
import { compactBlock, expandBlock } from '../../src/translate/ir/compact';
import { formatBlock } from '../../src/translate/ir/format';
import { ppc64Frontend } from '../../src/translate/ppc64/frontend';
import { A64_CLASSES } from './a64-classes';
import { Random, seedOf } from './random';

const CODE_BASE = 0x10000;
const STREAMS = 60;
const STREAM_LENGTH = 8;

function codeSource(words: readonly number[]): CodeSource {
  const end = CODE_BASE + words.length * 4;
  return {
    fetch32: (pc) => (pc >= CODE_BASE && pc < end ? words[(pc - CODE_BASE) / 4] : undefined),
    fetch16: () => undefined,
  };
}

/** The blocks `frontend` makes of `streams` (a stream that fails to translate is left out). */
function blocks(frontend: Frontend, streams: readonly (readonly number[])[]): IRBlock[] {
  const out: IRBlock[] = [];
  for (const words of streams) {
    try {
      out.push(frontend.translate(codeSource(words), CODE_BASE, { maxInsns: words.length, flags: 0 }));
    } catch {
      // A word the frontend rejects outright is not this test's subject.
    }
  }
  return out;
}

function randomStreams(name: string, word: (rng: Random) => number): number[][] {
  const rng = new Random(seedOf(name));
  return Array.from({ length: STREAMS }, () => Array.from({ length: STREAM_LENGTH }, () => word(rng) >>> 0));
}

const a64Streams = A64_CLASSES.map((cls) =>
  randomStreams(cls.name, (rng) => {
    const template = rng.pick(cls.templates);
    const pattern = parsePattern(template.pattern);
    let word = pattern.value;
    for (const part of pattern.parts) {
      const allowed = template.pick?.[part.name];
      word |= (allowed ? rng.pick(allowed) : rng.below(2 ** part.width)) << part.shift;
    }
    return word;
  }),
);
const anyWord = (rng: Random): number => rng.below(2 ** 16) * 2 ** 16 + rng.below(2 ** 16);

const CASES: [string, () => IRBlock[]][] = [
  ['AArch64', () => a64Streams.flatMap((streams) => blocks(aarch64Frontend, streams))],
  ['A32', () => blocks(armFrontend, randomStreams('compact A32', anyWord))],
  ['PowerPC', () => blocks(ppc64Frontend, randomStreams('compact PowerPC', anyWord))],
];

describe('compact IR', () => {
  it.each(CASES)('gives back the %s frontend IR it was made from', (_name, make) => {
    const irs = make();
    expect(irs.length).toBeGreaterThan(STREAMS / 2);
    for (const ir of irs) {
      const back = expandBlock(compactBlock(ir));
      expect(formatBlock(back)).toBe(formatBlock(ir));
      expect(back).toEqual(ir);
    }
  });

  it.each(CASES)('gives back the %s frontend IR through a cold-block cache file', (_name, make) => {
    const irs = make();
    const code = Uint8Array.of(1, 2, 3, 4);
    // Stored as the engine stores them: a block whose translation read no flag under ANY_FLAGS.
    const entries = irs.map((ir) => coldEntry(ir.pc, ir.readsFlags ? 0 : ANY_FLAGS, code, compactBlock(ir)));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-cold-')), 'blocks.tb');
    expect(writeCacheFile(file, encodeColdFile(entries.map((entry) => entry!)))).toBe(true);
    // As a save reads it (bytes in memory) and as a run does (its IR read from the open file when
    // used: after the file is deleted here).
    const resident = decodeColdFile(readCacheFile(file)!);
    const open = decodeColdFile(readCacheFile(file, true)!);
    fs.rmSync(path.dirname(file), { recursive: true });
    for (const read of [resident, open]) {
      expect(read).toHaveLength(irs.length);
      read.forEach((entry, i) => {
        const back = expandBlock(compactOf(entry)!);
        expect(formatBlock(back)).toBe(formatBlock(irs[i]!));
        expect(back).toEqual(irs[i]);
      });
    }
  });
});
