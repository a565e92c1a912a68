/**
 * The magic/mask table against the ELF headers of real binaries: every cross-compiled program
 * (static EXEC and PIE DYN, all four targets, armhf and armel) is caught by its own entry and by
 * no other, a FreeBSD-branded arm64 program (EI_OSABI 9) only by the FreeBSD entry, and host
 * binaries by none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINFMT_TARGETS, MAGIC_LENGTH, matches } from '../../src/binfmt/targets';
import { buildFreebsdPrograms } from '../freebsd/build';
import { buildBinfmtGuests, headerOf, type BinfmtGuest } from './programs';

let dir = '';
let guests: BinfmtGuest[] = [];
let freebsdHello = '';

beforeAll(async () => {
  ({ dir, guests } = await buildBinfmtGuests());
  freebsdHello = (await buildFreebsdPrograms()).hello;
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (freebsdHello) fs.rmSync(path.dirname(freebsdHello), { recursive: true, force: true });
});

function catchers(file: string): string[] {
  const header = headerOf(file, MAGIC_LENGTH);
  return BINFMT_TARGETS.filter((t) => matches(t, header)).map((t) => t.arch);
}

describe('binfmt magic and mask', () => {
  it('catch each static (EXEC) and PIE (DYN) binary with exactly its own entry', () => {
    expect(guests.length).toBe(5);
    for (const guest of guests) {
      expect({ file: guest.exec, caught: catchers(guest.exec) }).toEqual({ file: guest.exec, caught: [guest.arch] });
      expect({ file: guest.dyn, caught: catchers(guest.dyn) }).toEqual({ file: guest.dyn, caught: [guest.arch] });
    }
  });

  it('catch a FreeBSD arm64 executable (EI_OSABI 9) with the FreeBSD entry only, and Linux GNU-branded ones (EI_OSABI 3) with the Linux entry', () => {
    expect(catchers(freebsdHello)).toEqual(['aarch64-freebsd']);
    const aarch64 = guests.find((g) => g.arch === 'aarch64')!;
    const gnu = headerOf(aarch64.exec, MAGIC_LENGTH);
    gnu[7] = 3; // ELFOSABI_GNU, what binutils writes for objects using GNU extensions (IFUNC, unique symbols)
    expect(BINFMT_TARGETS.filter((t) => matches(t, gnu)).map((t) => t.arch)).toEqual(['aarch64']);
  });

  it('use the ELF types the compilers produced (EXEC = 2 static, DYN = 3 PIE)', () => {
    for (const guest of guests) {
      const exec = headerOf(guest.exec, MAGIC_LENGTH);
      const dyn = headerOf(guest.dyn, MAGIC_LENGTH);
      const type = (h: Uint8Array) => (h[5] === 1 ? h[16]! : h[17]!);
      expect([guest.title, type(exec), type(dyn)]).toEqual([guest.title, 2, 3]);
    }
  });

  it('leave host (x86_64) binaries and shared libraries alone', () => {
    expect(catchers(process.execPath)).toEqual([]);
    expect(catchers('/bin/sh')).toEqual([]);
  });

  it('do not catch a relocatable object or a core-like type (only EXEC and DYN)', () => {
    for (const guest of guests) {
      for (const elfType of [1 /* ET_REL */, 4 /* ET_CORE */]) {
        const header = headerOf(guest.exec, MAGIC_LENGTH);
        header[header[5] === 1 ? 16 : 17] = elfType;
        expect(BINFMT_TARGETS.filter((t) => matches(t, header))).toEqual([]);
      }
    }
  });
});
