/**
 * Test support: disassembly of A64 words with binutils (aarch64-linux-gnu-objdump), for failure
 * messages and to tell unallocated encodings from ones the frontend does not decode yet.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The disassembly of each word; binutils prints unallocated encodings as ".inst ... ; undefined". */
export function disassemble(words: readonly number[]): string[] {
  if (words.length === 0) return [];
  const dir = mkdtempSync(path.join(tmpdir(), 'tsemu-disasm-'));
  try {
    const file = path.join(dir, 'words.bin');
    const bytes = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => bytes.writeUInt32LE(w >>> 0, i * 4));
    writeFileSync(file, bytes);
    const out = execFileSync('aarch64-linux-gnu-objdump', ['-D', '-b', 'binary', '-m', 'aarch64', file], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const text = new Map<number, string>();
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t[0-9a-f]{8} \t(.*)$/.exec(line);
      if (m) text.set(parseInt(m[1]!, 16) / 4, m[2]!.replace(/\s+/g, ' ').trim());
    }
    return words.map((_, i) => text.get(i) ?? '?');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const isUnallocated = (disassembly: string): boolean => disassembly.includes('undefined');

export const hex = (word: number): string => (word >>> 0).toString(16).padStart(8, '0');
