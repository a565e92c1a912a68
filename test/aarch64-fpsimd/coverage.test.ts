/**
 * Decode coverage of real code: every FP/Advanced SIMD data-processing instruction in the .text of
 * static glibc programs built by gcc -O2/-O3 -ftree-vectorize (float math, vectorised loops, and
 * glibc's NEON string functions) is accepted by the A64 table, except the crypto extensions our ID
 * registers do not advertise (glibc only uses them after checking HWCAP).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWord, parseObjdump, withTempDir } from '../aarch64-int/toolchain';

/** Scalar FP and Advanced SIMD data processing: op0 = x111 (loads and stores of V registers are not ours). */
const isFpSimd = (word: number): boolean => ((word >>> 25) & 7) === 7;

/** Crypto and SHA extension mnemonics, and PMULL's 64-bit (crypto) form: must stay undefined. */
const CRYPTO = /^(aes|sha|sm3|sm4|eor3|rax1|xar|bcax)/;
const isCrypto = (mnemonic: string, operands: string): boolean =>
  CRYPTO.test(mnemonic) || (/^pmull2?$/.test(mnemonic) && operands.includes('.1q'));

/** FP/SIMD mnemonics of `binary`'s .text that decode to SIGILL, and how many distinct ones were seen. */
function unmatched(binary: string): { missing: Record<string, number>; mnemonics: number } {
  const out = execFileSync('aarch64-linux-gnu-objdump', ['-d', '-j', '.text', binary], { maxBuffer: 1 << 30 }).toString();
  const missing: Record<string, number> = {};
  const seen = new Set<string>();
  for (const line of parseObjdump(out)) {
    if (!isFpSimd(line.word) || line.mnemonic === '.inst' || line.mnemonic === 'udf') continue;
    seen.add(line.mnemonic);
    const undefinedTrap = decodeWord(line.word, line.address).undefinedTrap;
    if (isCrypto(line.mnemonic, line.operands)) {
      if (!undefinedTrap) missing[`${line.mnemonic} (crypto, must be undefined)`] = 1;
      continue;
    }
    if (undefinedTrap) {
      const form = `${line.mnemonic} ${line.operands.replace(/\d+/g, 'N')}`;
      missing[form] = (missing[form] ?? 0) + 1;
    }
  }
  return { missing, mnemonics: seen.size };
}

const PROGRAM = path.join(__dirname, 'programs', 'floatmath.c');

describe('FP/SIMD decode coverage of static binaries', () => {
  it.each([
    ['-O2', '-ftree-vectorize'],
    ['-O3', '-march=armv8-a'],
  ])('gcc %s %s of a float and vector program with static glibc', (...flags) => {
    withTempDir((dir) => {
      const binary = path.join(dir, 'floatmath');
      execFileSync('aarch64-linux-gnu-gcc', ['-static', ...flags, PROGRAM, '-o', binary, '-lm']);
      const { missing, mnemonics } = unmatched(binary);
      expect(missing).toEqual({});
      // The program really exercises the groups (about 70 distinct FP/SIMD mnemonics with gcc 12).
      expect(mnemonics).toBeGreaterThan(50);
    });
  });
});
