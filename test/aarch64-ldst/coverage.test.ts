/**
 * Decode coverage over a real program: every instruction of the loads-and-stores encoding group
 * (op0 = x1x0) in the .text of a static glibc binary is accepted without SIGILL, except those of
 * features the CPU does not report (glibc selects them by HWCAP only when present).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWord, parseObjdump, withTempDir } from '../aarch64-int/toolchain';

/** Loads and stores of features tsemu's CPU does not report: MTE tag accesses. */
const UNREPORTED = new Set(['stg', 'stzg', 'st2g', 'stz2g', 'stgp', 'ldg', 'ldgm', 'stgm', 'stzgm']);

const isLoadStore = (word: number): boolean => (((word >>> 25) & 15) & 0b0101) === 0b0100;

/** Unaccepted load/store mnemonics in a binary's .text, with counts; `total` counts all of the group. */
function unmatchedLoadStores(binary: string): { total: number; unmatched: Record<string, number> } {
  const out = execFileSync('aarch64-linux-gnu-objdump', ['-d', '-j', '.text', binary], { maxBuffer: 1 << 30 }).toString();
  const unmatched: Record<string, number> = {};
  let total = 0;
  for (const line of parseObjdump(out)) {
    if (!isLoadStore(line.word) || line.mnemonic === '.inst' || line.mnemonic === 'udf') continue;
    total++;
    if (UNREPORTED.has(line.mnemonic) || !decodeWord(line.word, line.address).undefinedTrap) continue;
    unmatched[line.mnemonic] = (unmatched[line.mnemonic] ?? 0) + 1;
  }
  return { total, unmatched };
}

/** A program using stdio, strings and threads, so libc's string functions and atomics are linked in. */
const PROGRAM = `
#include <pthread.h>
#include <stdio.h>
#include <string.h>
static int counter;
static void *work(void *p) { __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST); return p; }
int main(int argc, char **argv) {
  pthread_t t;
  pthread_create(&t, 0, work, 0);
  pthread_join(t, 0);
  char buf[64];
  strncpy(buf, argv[0], sizeof buf - 1);
  printf("%zu %d %s\\n", strlen(buf), counter, strchr(buf, '/'));
  return memcmp(buf, argv[0], 3);
}
`;

describe('A64 load/store decode coverage of real binaries', () => {
  it('covers a static glibc program (-O2)', () => {
    withTempDir((dir) => {
      const binary = path.join(dir, 'x');
      execFileSync('aarch64-linux-gnu-gcc', ['-static', '-O2', '-pthread', '-x', 'c', '-', '-o', binary], { input: PROGRAM });
      const { total, unmatched } = unmatchedLoadStores(binary);
      expect(total).toBeGreaterThan(10_000);
      expect(unmatched).toEqual({});
    });
  });

  it('covers the same program built for ARMv8.1 (LSE atomics inline)', () => {
    withTempDir((dir) => {
      const binary = path.join(dir, 'x');
      execFileSync(
        'aarch64-linux-gnu-gcc',
        ['-static', '-O2', '-march=armv8.1-a', '-pthread', '-x', 'c', '-', '-o', binary],
        { input: PROGRAM },
      );
      expect(unmatchedLoadStores(binary).unmatched).toEqual({});
    });
  });
});
