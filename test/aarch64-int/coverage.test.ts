/**
 * Decode-table coverage over real programs: every instruction of the integer, branch and system
 * encoding groups found in the .text of a static glibc binary (and of Debian's arm64
 * busybox-static) is accepted without SIGILL. Unmatched instructions of the other groups (loads
 * and stores, FP/SIMD: other rooms) are listed by class for information.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWord, parseObjdump, withTempDir } from './toolchain';

/** The ARM ARM top-level encoding group of a word, by op0 (bits 28:25). */
function encodingGroup(word: number): 'dp-imm' | 'branch-sys' | 'dp-reg' | 'fp-simd' | 'ldst' | 'reserved' {
  const op0 = (word >>> 25) & 15;
  if ((op0 & 0b1110) === 0b1000) return 'dp-imm';
  if ((op0 & 0b1110) === 0b1010) return 'branch-sys';
  if ((op0 & 0b0111) === 0b0101) return 'dp-reg';
  if ((op0 & 0b0111) === 0b0111) return 'fp-simd';
  if ((op0 & 0b0101) === 0b0100) return 'ldst';
  return 'reserved';
}
const OUR_GROUPS = new Set(['dp-imm', 'branch-sys', 'dp-reg']);

/**
 * Instructions of our groups that must raise SIGILL because the CPU does not report their feature;
 * glibc only selects them (by HWCAP) when it is present. MTE: IRG, GMI, DC GVA, DC GZVA.
 */
const UNIMPLEMENTED_FEATURES = new Set(['irg', 'gmi', 'dc gva', 'dc gzva']);

/** The mnemonic, with the operation for SYS aliases whose meaning is in the first operand. */
function instructionName(mnemonic: string, operands: string): string {
  return /^(dc|ic|at|tlbi)$/.test(mnemonic) ? `${mnemonic} ${operands.split(',')[0]}` : mnemonic;
}

/** Unmatched mnemonics of a binary's .text, by encoding group, with counts. */
function unmatched(binary: string): Record<string, Record<string, number>> {
  const out = execFileSync('aarch64-linux-gnu-objdump', ['-d', '-j', '.text', binary], { maxBuffer: 1 << 30 }).toString();
  const result: Record<string, Record<string, number>> = {};
  for (const line of parseObjdump(out)) {
    // Data in .text and encodings objdump itself calls undefined are not instructions.
    if (line.mnemonic === '.inst' || line.mnemonic === 'udf' || line.mnemonic === '.word') continue;
    if (!decodeWord(line.word, line.address).undefinedTrap) continue;
    const name = instructionName(line.mnemonic, line.operands);
    const group = encodingGroup(line.word);
    if (OUR_GROUPS.has(group) && UNIMPLEMENTED_FEATURES.has(name)) continue;
    const counts = (result[group] ??= {});
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return result;
}

function expectOursCovered(binary: string): void {
  const byGroup = unmatched(binary);
  const others = Object.entries(byGroup).filter(([g]) => !OUR_GROUPS.has(g));
  if (others.length) console.info(`${path.basename(binary)}: unmatched in other rooms' groups`, Object.fromEntries(others));
  expect(Object.fromEntries(Object.entries(byGroup).filter(([g]) => OUR_GROUPS.has(g)))).toEqual({});
}

/** Debian's arm64 busybox-static, downloaded once with apt into a private directory (as CI does). */
function busybox(): string {
  const dir = path.join(tmpdir(), 'tsemu-busybox-arm64');
  const binary = path.join(dir, 'root', 'bin', 'busybox');
  if (existsSync(binary)) return binary;
  const apt = [
    '-o', 'APT::Architecture=arm64',
    '-o', 'APT::Architectures::=arm64',
    '-o', `Dir::State::Lists=${dir}/lists`,
    '-o', `Dir::Cache=${dir}/cache`,
    '-o', 'Debug::NoLocking=1',
  ];
  for (const sub of ['lists/partial', 'cache/archives/partial']) mkdirSync(path.join(dir, sub), { recursive: true });
  execFileSync('apt-get', [...apt, 'update'], { stdio: 'ignore' });
  execFileSync('apt-get', [...apt, 'download', 'busybox-static'], { cwd: dir, stdio: 'ignore' });
  const deb = readdirSync(dir).find((f) => f.endsWith('.deb'))!;
  execFileSync('dpkg-deb', ['-x', path.join(dir, deb), path.join(dir, 'root')]);
  return binary;
}

describe('A64 decode coverage of real binaries', () => {
  it('covers a static glibc program', () => {
    withTempDir((dir) => {
      const binary = path.join(dir, 'x');
      execFileSync('aarch64-linux-gnu-gcc', ['-static', '-O2', '-x', 'c', '-', '-o', binary], {
        input: 'int main(){return 0;}',
      });
      expectOursCovered(binary);
    });
  });

  it('covers Debian busybox-static (arm64)', () => {
    expectOursCovered(busybox());
  }, 600_000);
});
