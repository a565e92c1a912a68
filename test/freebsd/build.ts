/**
 * Builds the FreeBSD test programs of test/guest/freebsd/ with Debian's aarch64-linux-gnu tools
 * (no FreeBSD toolchain needed: they make syscalls directly and need no libc). The C programs
 * carry FreeBSD's ABI note (start.S) and hello.S gets the FreeBSD EI_OSABI byte instead, so both
 * ways of branding an executable are exercised.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AARCH64 } from '../lib/targets';

const run = promisify(execFile);
export const SOURCES = path.join(__dirname, '..', 'guest', 'freebsd');
const FLAGS = ['-nostdlib', '-static', '-ffreestanding', '-fno-stack-protector', '-O1'];
const EI_OSABI = 7;
const ELFOSABI_FREEBSD = 9;

export const C_PROGRAMS = ['auxv', 'sysctl', 'fileio', 'signal', 'umtx', 'thread', 'kqueue'] as const;
export type FreebsdProgram = (typeof C_PROGRAMS)[number] | 'hello';

/** Builds every program into a fresh directory; returns program name -> path. */
export async function buildFreebsdPrograms(): Promise<Record<FreebsdProgram, string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsemu-freebsd-'));
  const out = (name: string): string => path.join(dir, name);
  const src = (name: string): string => path.join(SOURCES, name);
  await Promise.all([
    ...C_PROGRAMS.map((name) =>
      run(AARCH64.cc, [...FLAGS, '-o', out(name), src('start.S'), src('support.c'), src(`${name}.c`)]),
    ),
    run(AARCH64.cc, [...FLAGS, '-o', out('hello'), src('hello.S')]).then(() => {
      const bytes = readFileSync(out('hello'));
      bytes[EI_OSABI] = ELFOSABI_FREEBSD;
      writeFileSync(out('hello'), bytes);
    }),
  ]);
  return Object.fromEntries([...C_PROGRAMS, 'hello'].map((name) => [name, out(name)])) as Record<
    FreebsdProgram,
    string
  >;
}
