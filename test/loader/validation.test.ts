/**
 * Malformed and foreign programs: each must end in a LoaderError with a clear one-line message,
 * never another exception. The malformed files are a real static AArch64 binary with one field
 * patched; the foreign ones are real files of the host.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOADER_TARGETS, LoaderError, loadElf, readElfImage } from '../../src/loader';
import { AddressSpace } from '../../src/memory/address-space';
import { GuestMemory } from '../../src/memory/guest-memory';
import { PRIVATE_BASE, PRIVATE_END, WINDOW_SIZE } from '../../src/memory/layout';
import { AUXV_PROGRAM, buildGuest, readelf } from './guest-binaries';

const target = LOADER_TARGETS.aarch64;
const PHDR_SIZE = 56;

let original: Buffer;
let loads: number[];
let dir: string;

beforeAll(() => {
  const binary = buildGuest(AUXV_PROGRAM, ['-static']);
  original = fs.readFileSync(binary);
  // Indices (in program header order) of the PT_LOAD entries, per readelf.
  const programs = readelf(binary).programs;
  loads = programs.flatMap((p, i) => (p.type === 'LOAD' ? [i] : []));
  expect(loads.length).toBeGreaterThanOrEqual(2);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-bad-elf-'));
});

function phdr(i: number): number {
  return Number(original.readBigUInt64LE(32)) + i * PHDR_SIZE;
}

/** Writes a patched copy of the binary and returns the loader's error for it. */
function loaderError(name: string, patch: (b: Buffer) => unknown): LoaderError {
  const b = Buffer.from(original);
  const file = path.join(dir, name);
  const truncated = patch(b);
  fs.writeFileSync(file, Buffer.isBuffer(truncated) ? truncated : b);
  return errorOf(file);
}

function errorOf(file: string): LoaderError {
  try {
    const image = readElfImage(file, target);
    fs.closeSync(image.fd);
  } catch (e) {
    expect(e).toBeInstanceOf(LoaderError);
    const err = e as LoaderError;
    expect(err.message).not.toContain('\n');
    expect(err.path).toBe(file);
    return err;
  }
  throw new Error(`${file} was accepted`);
}

describe('files that are not AArch64 programs', () => {
  it('reports a missing file as ENOENT does', () => {
    expect(errorOf(path.join(dir, 'does-not-exist')).message).toBe('No such file or directory');
  });
  it('reports a directory', () => {
    expect(errorOf(dir).message).toBe('Is a directory');
  });
  it('reports an unreadable file', () => {
    const file = path.join(dir, 'unreadable');
    fs.writeFileSync(file, original);
    fs.chmodSync(file, 0);
    if (process.getuid?.() === 0) {
      // root reads anything: the file is then a valid program.
      fs.closeSync(readElfImage(file, target).fd);
    } else {
      expect(errorOf(file).message).toBe('Permission denied');
    }
  });
  it('rejects a text file and an empty file', () => {
    const text = path.join(dir, 'script.txt');
    fs.writeFileSync(text, 'echo hello\n');
    expect(errorOf(text).message).toMatch(/not an ELF file/);
    const empty = path.join(dir, 'empty');
    fs.writeFileSync(empty, '');
    expect(errorOf(empty).message).toMatch(/not an ELF file/);
  });
  it('rejects the host x86-64 /bin/true as the wrong architecture', () => {
    expect(errorOf('/bin/true').message).toMatch(/wrong architecture: ELF for amd64 \(e_machine 62\), expected AArch64/);
  });
});

describe('malformed headers', () => {
  const cases: [string, (b: Buffer) => unknown, RegExp][] = [
    ['truncated ident', (b) => b.subarray(0, 10), /not an ELF file/],
    ['truncated header', (b) => b.subarray(0, 40), /truncated ELF header/],
    ['bad magic', (b) => void (b[1] = 0x45 + 1), /not an ELF file/],
    ['32-bit class', (b) => void (b[4] = 1), /32-bit ELF file, but aarch64 runs 64-bit programs/],
    ['invalid class', (b) => void (b[4] = 7), /invalid ELF class 7/],
    ['big-endian', (b) => void (b[5] = 2), /big-endian ELF file/],
    ['invalid byte order', (b) => void (b[5] = 0), /invalid ELF byte order 0/],
    ['ident version', (b) => void (b[6] = 2), /unsupported ELF version/],
    ['wrong machine', (b) => void b.writeUInt16LE(62, 18), /wrong architecture.*e_machine 62/],
    ['unknown machine', (b) => void b.writeUInt16LE(0x7777, 18), /wrong architecture: ELF for unknown machine/],
    ['relocatable object', (b) => void b.writeUInt16LE(1, 16), /not an executable \(ELF type rel\)/],
    ['core file', (b) => void b.writeUInt16LE(4, 16), /not an executable \(ELF type core\)/],
    ['e_version', (b) => void b.writeUInt32LE(0, 20), /unsupported ELF version 0/],
    ['phentsize', (b) => void b.writeUInt16LE(32, 54), /bad program header size 32/],
    ['zero phnum', (b) => void b.writeUInt16LE(0, 56), /no program headers/],
    ['huge phnum', (b) => void b.writeUInt16LE(0xffff, 56), /too many program headers/],
    ['phoff past end', (b) => void b.writeBigUInt64LE(BigInt(b.length), 32), /program headers at 0x[0-9a-f]+ outside the file/],
    ['phoff zero', (b) => void b.writeBigUInt64LE(0n, 32), /program headers at 0x0 outside the file/],
    ['phoff 2^63', (b) => void b.writeBigUInt64LE(1n << 63n, 32), /outside the file/],
  ];
  for (const [name, patch, message] of cases) {
    it(name, () => {
      expect(loaderError(name.replace(/\W/g, '-'), patch).message).toMatch(message);
    });
  }
});

describe('malformed segments', () => {
  const first = (): number => phdr(loads[0]!);
  const second = (): number => phdr(loads[1]!);
  const cases: [string, (b: Buffer) => unknown, RegExp][] = [
    ['segment past end of file', (b) => b.writeBigUInt64LE(BigInt(b.length), second() + 8), /file range .* past the end of the file/],
    ['filesz past end of file', (b) => b.writeBigUInt64LE(BigInt(b.length), first() + 32), /past the end of the file|larger than memory size/],
    ['filesz > memsz', (b) => b.writeBigUInt64LE(b.readBigUInt64LE(second() + 40) + 1n, second() + 32), /file size 0x[0-9a-f]+ larger than memory size 0x[0-9a-f]+$/],
    [
      'overlapping segments',
      (b) => {
        b.writeBigUInt64LE(b.readBigUInt64LE(first() + 16) + 0x10000n, second() + 16);
        b.writeBigUInt64LE(b.readBigUInt64LE(first() + 8) + 0x10000n, second() + 8);
      },
      /overlaps or precedes/,
    ],
    ['huge memsz', (b) => b.writeBigUInt64LE(0x200000000n, second() + 40), /beyond the 4 GiB guest address space/],
    ['memsz 2^64-1', (b) => b.writeBigUInt64LE((1n << 64n) - 1n, second() + 40), /beyond the 4 GiB guest address space/],
    ['vaddr above 4 GiB', (b) => b.writeBigUInt64LE(0x1_0048c800n, second() + 16), /beyond the 4 GiB guest address space/],
    [
      'segment in the private area',
      (b) => b.writeBigUInt64LE(BigInt(PRIVATE_BASE) + (b.readBigUInt64LE(second() + 8) % 4096n), second() + 16),
      /overlap tsemu's reserved area/,
    ],
    ['below mmap_min_addr', (b) => b.writeBigUInt64LE(b.readBigUInt64LE(first() + 8), first() + 16), /below the lowest mappable address/],
    ['vaddr not congruent to offset', (b) => b.writeBigUInt64LE(b.readBigUInt64LE(second() + 16) + 8n, second() + 16), /differ within a page/],
    [
      'no PT_LOAD',
      (b) => {
        for (const i of loads) b.writeUInt32LE(4, phdr(i));
      },
      /no loadable segments/,
    ],
    [
      'malformed PT_INTERP',
      (b) => {
        // Turn the PT_NOTE into a PT_INTERP whose contents are not NUL-terminated.
        const notes = readelf(buildGuest(AUXV_PROGRAM, ['-static'])).programs.findIndex((p) => p.type === 'NOTE');
        b.writeUInt32LE(3, phdr(notes));
        b.writeBigUInt64LE(4n, phdr(notes) + 32);
        b.write('abcd', Number(b.readBigUInt64LE(phdr(notes) + 8)), 'latin1');
      },
      /malformed interpreter path/,
    ],
  ];
  for (const [name, patch, message] of cases) {
    it(name, () => {
      expect(loaderError(name.replace(/\W/g, '-'), patch).message).toMatch(message);
    });
  }
});

describe('fuzzing', () => {
  it('random byte flips in the headers give a loaded program or a LoaderError, nothing else', () => {
    const memory = new GuestMemory(true);
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const started = Date.now();
    const file = path.join(dir, 'fuzzed');
    let loaded = 0;
    let rejected = 0;
    const headerBytes = phdr(0) + 8 * PHDR_SIZE;
    for (let iteration = 0; iteration < 300 && Date.now() - started < 60_000; iteration++) {
      const b = Buffer.from(original);
      const flips = 1 + random(4);
      for (let k = 0; k < flips; k++) b[random(headerBytes)] ^= 1 << random(8);
      fs.writeFileSync(file, b);
      const space = new AddressSpace(memory);
      try {
        const image = readElfImage(file, target);
        loadElf(space, image, { target, argv: ['fuzzed'], envp: [] });
        loaded++;
      } catch (e) {
        if (!(e instanceof LoaderError)) throw new Error(`iteration ${iteration}: ${String(e)}`);
        rejected++;
      }
      // Hand the window back empty for the next iteration.
      space.munmap(0, PRIVATE_BASE);
      space.munmap(PRIVATE_END, WINDOW_SIZE - PRIVATE_END);
    }
    expect(loaded + rejected).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(0);
  });
});
