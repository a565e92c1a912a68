/**
 * hostMapIdentical (native/memory.cc), which puts file pages in place of private memory holding the
 * same bytes (src/cli/snapshot-copy.ts does it to Node's copy of the start-up snapshot): the oracle
 * is the memory's own bytes, which must read the same afterwards, and the kernel's view of the
 * range in /proc/self/maps (a mapping of the file, or none when the bytes differ).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../../src/native';

const P = 4096;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-identical-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The pathname of the host mapping holding address `addr` ('' when anonymous). */
function mappedFile(addr: number): string | undefined {
  for (const line of fs.readFileSync('/proc/self/maps', 'latin1').split('\n')) {
    const [range, , , , , name] = line.split(/\s+/);
    const [s, e] = (range ?? '').split('-').map((h) => parseInt(h, 16)) as [number, number];
    if (addr >= s && addr < e) return name ?? '';
  }
  return undefined;
}

/** A buffer of random bytes large enough that malloc mmaps it, the host address of its first whole page, and a file whose page n is the memory's page n from there. */
function setUp(name: string, pages: number): { buffer: Buffer; page: number; file: string } {
  const buffer = Buffer.alloc((pages + 2) * P);
  crypto.randomFillSync(buffer);
  const address = native().bufferAddress(buffer);
  const page = Math.ceil(address / P) * P;
  const file = path.join(dir, name);
  fs.writeFileSync(file, buffer.subarray(page - address, page - address + pages * P));
  return { buffer, page, file };
}

function mapIdentical(page: number, length: number, file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    return native().hostMapIdentical(page, length, fd, 0);
  } finally {
    fs.closeSync(fd);
  }
}

describe('hostMapIdentical', () => {
  it('maps the file over memory with the same bytes, which then read the same and stay private', () => {
    const { buffer, page, file } = setUp('same', 300);
    const before = Buffer.from(buffer);
    expect(mapIdentical(page, 300 * P, file)).toBe(0);
    expect(mappedFile(page)).toBe(file);
    expect(mappedFile(page + 299 * P)).toBe(file);
    expect(buffer.equals(before)).toBe(true);
    const fileBytes = fs.readFileSync(file);
    buffer.fill(7);
    expect(buffer.every((b) => b === 7)).toBe(true);
    expect(fs.readFileSync(file).equals(fileBytes)).toBe(true);
  });

  it('leaves memory whose bytes differ from the file as it was', () => {
    const { buffer, page, file } = setUp('different', 300);
    const bytes = fs.readFileSync(file);
    bytes[200 * P + 123] ^= 1;
    fs.writeFileSync(file, bytes);
    const before = Buffer.from(buffer);
    expect(mapIdentical(page, 300 * P, file)).toBe(1);
    expect(mappedFile(page)).toBe('');
    expect(buffer.equals(before)).toBe(true);
  });
});
