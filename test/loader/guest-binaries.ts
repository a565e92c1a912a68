/**
 * Real AArch64 test binaries, cross-compiled once per source into the OS temp directory with
 * Debian's aarch64-linux-gnu-gcc, and readelf's view of them (the oracle for ELF facts).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Prints its auxv (type, value, and the strings AT_PLATFORM and AT_EXECFN point at). */
export const AUXV_PROGRAM = `
#include <stdio.h>
#include <elf.h>
extern char **environ;
int main(void) {
  char **e = environ;
  while (*e) e++;
  for (Elf64_auxv_t *a = (Elf64_auxv_t *)(e + 1); a->a_type != AT_NULL; a++) {
    printf("%lu %lu", (unsigned long)a->a_type, (unsigned long)a->a_un.a_val);
    if (a->a_type == AT_PLATFORM || a->a_type == AT_EXECFN) printf(" %s", (char *)a->a_un.a_val);
    printf("\\n");
  }
  return 0;
}
`;

/** Compiles `source` with extra gcc flags (e.g. -static, -static-pie); returns the binary's path. */
export function buildGuest(source: string, flags: readonly string[]): string {
  const key = crypto.createHash('sha256').update(source).update(flags.join(' ')).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'tsemu-loader-tests');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `guest-${key}`);
  if (!fs.existsSync(out)) {
    const src = `${out}.c`;
    fs.writeFileSync(src, source);
    execFileSync('aarch64-linux-gnu-gcc', [...flags, '-O2', '-o', `${out}.tmp`, src]);
    fs.renameSync(`${out}.tmp`, out);
  }
  return out;
}

export interface ReadelfProgramHeader {
  type: string;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: string;
  align: number;
}

/** readelf's ELF header fields and program headers of a file. */
export function readelf(file: string): { header: Map<string, string>; programs: ReadelfProgramHeader[] } {
  const text = execFileSync('aarch64-linux-gnu-readelf', ['-W', '-h', '-l', file], { encoding: 'utf8' });
  const header = new Map<string, string>();
  for (const m of text.matchAll(/^\s+([^:\n]+):\s+(.*)$/gm)) header.set(m[1]!.trim(), m[2]!.trim());
  const programs: ReadelfProgramHeader[] = [];
  const row = /^\s+([A-Z_]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+([RWE ]+?)\s+0x([0-9a-f]+)$/gm;
  for (const m of text.matchAll(row)) {
    programs.push({
      type: m[1]!,
      offset: parseInt(m[2]!, 16),
      vaddr: parseInt(m[3]!, 16),
      filesz: parseInt(m[4]!, 16),
      memsz: parseInt(m[5]!, 16),
      flags: m[6]!.replace(/ /g, ''),
      align: parseInt(m[7]!, 16),
    });
  }
  return { header, programs };
}
