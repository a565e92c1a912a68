/**
 * The logical-immediate decoder against GNU objdump, over every N:immr:imms of AND (immediate) in
 * both widths: the same immediates, and the same encodings reserved.
 */
import { describe, expect, it } from 'vitest';
import { logicalImmediate } from '../../src/translate/aarch64/insns/bitmasks';
import { disassembleWords } from './toolchain';

describe('logicalImmediate (DecodeBitMasks)', () => {
  for (const sf of [0, 1] as const) {
    it(`matches objdump for every ${sf ? 64 : 32}-bit AND immediate`, () => {
      const fields: [number, number, number][] = [];
      for (let n = 0; n <= sf; n++)
        for (let immr = 0; immr < 64; immr++) for (let imms = 0; imms < 64; imms++) fields.push([n, immr, imms]);
      // AND Xd/Wd = 0, Rn = 1.
      const words = fields.map(([n, immr, imms]) => ((sf << 31) | 0x12000020 | (n << 22) | (immr << 16) | (imms << 10)) >>> 0);
      const dis = disassembleWords(words);
      const mismatches: string[] = [];
      fields.forEach(([n, immr, imms], i) => {
        const [mnemonic, operands] = dis[i]!;
        const expected = mnemonic === 'and' ? BigInt(/#(0x[0-9a-f]+|\d+)/.exec(operands)![1]!) : undefined;
        const got = logicalImmediate(n, immr, imms, sf ? 64 : 32);
        if (got !== expected) mismatches.push(`N=${n} immr=${immr} imms=${imms}: objdump ${operands}, got ${got}`);
      });
      expect(mismatches).toEqual([]);
    });
  }
});
