/**
 * AddressSpace semantics, each checked against Linux's documented behaviour (mmap(2), munmap(2),
 * mprotect(2), mremap(2), brk(2)) and, where the host shows it, the host kernel: zero fill, MAP_FIXED
 * replacing, top-down placement, the page flag table, brk, shared and private file mappings, and
 * notification of changes to pages holding translated code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AddressSpace } from '../../src/memory/address-space';
import { GuestMemory } from '../../src/memory/guest-memory';
import { MMAP_MIN, PAGE_FLAGS_BASE, PageFlags, PRIVATE_BASE, PRIVATE_END, STACK_TOP } from '../../src/memory/layout';

const P = 4096;
const R = 1;
const W = 2;
const X = 4;
const SHARED = 0x01;
const PRIVATE = 0x02;
const FIXED = 0x10;
const ANON = 0x20;

let memory: GuestMemory;
let space: AddressSpace;

beforeEach(() => {
  memory ??= new GuestMemory(true);
  // Start every test from an empty window (which also exercises munmap of everything).
  new AddressSpace(memory).munmap(0, PRIVATE_BASE);
  space = new AddressSpace(memory);
  expect(space.munmap(0, PRIVATE_BASE)).toBe(0);
});

/** The host mapping holding guest address `addr`, from /proc/self/maps: its permissions. */
function hostPermissions(addr: number): string {
  const host = memory.hostAddress(addr);
  for (const line of fs.readFileSync('/proc/self/maps', 'latin1').split('\n')) {
    const [range, perms] = line.split(' ');
    const [s, e] = range!.split('-').map((h) => parseInt(h, 16));
    if (s! <= host && host < e!) return perms!;
  }
  return '';
}

function tempFile(contents: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-as-')), 'f');
  fs.writeFileSync(file, contents);
  return file;
}

describe('anonymous memory', () => {
  it('reads as zero when fresh, and again after munmap and mmap at the same place', () => {
    const a = space.mmap(0, 3 * P, R | W, PRIVATE | ANON, -1, 0);
    expect(memory.readBytes(a, 3 * P).every((b) => b === 0)).toBe(true);
    memory.u8.fill(0x5a, a, a + 3 * P);
    expect(space.munmap(a, 3 * P)).toBe(0);
    expect(space.mmap(a, 3 * P, R | W, PRIVATE | ANON | FIXED, -1, 0)).toBe(a);
    expect(memory.readBytes(a, 3 * P).every((b) => b === 0)).toBe(true);
  });

  it('MAP_FIXED replaces the pages it covers and keeps the rest', () => {
    const a = space.mmap(0x30000000, 4 * P, R | W, PRIVATE | ANON | FIXED, -1, 0);
    memory.u8.fill(1, a, a + 4 * P);
    expect(space.mmap(a + P, 2 * P, R, PRIVATE | ANON | FIXED, -1, 0)).toBe(a + P);
    expect(memory.read8(a)).toBe(1);
    expect(memory.readBytes(a + P, 2 * P).every((b) => b === 0)).toBe(true);
    expect(memory.read8(a + 3 * P)).toBe(1);
    expect(space.regions().map((r) => [r.start - a, r.end - a, r.prot])).toEqual([
      [0, P, R | W],
      [P, 3 * P, R],
      [3 * P, 4 * P, R | W],
    ]);
  });

  it('hands out addresses top-down below the stack, honouring a free hint', () => {
    const first = space.mmap(0, 5 * P, R, PRIVATE | ANON, -1, 0);
    const second = space.mmap(0, P, R, PRIVATE | ANON, -1, 0);
    expect(first + 5 * P).toBe(STACK_TOP);
    expect(second + P).toBe(first);
    expect(space.mmap(0x12345678, P, R, PRIVATE | ANON, -1, 0)).toBe(0x12346000);
    // A taken hint falls back to the top-down search.
    expect(space.mmap(0x12346000, P, R, PRIVATE | ANON, -1, 0)).toBe(second - P);
    // Hints inside tsemu's private area or below MMAP_MIN are not honoured.
    expect(space.mmap(PRIVATE_BASE, P, R, PRIVATE | ANON, -1, 0)).toBeLessThan(STACK_TOP);
    expect(space.mmap(P, P, R, PRIVATE | ANON, -1, 0)).toBeGreaterThanOrEqual(MMAP_MIN);
  });

  it('refuses MAP_FIXED inside the private area or past the window', () => {
    expect(space.mmap(PRIVATE_BASE - P, 2 * P, R, PRIVATE | ANON | FIXED, -1, 0)).toBe(-12);
    expect(space.mmap(2 ** 32 - P, 2 * P, R, PRIVATE | ANON | FIXED, -1, 0)).toBe(-12);
    // Above the private area (32-bit ARM's kuser helper page) is guest memory.
    expect(space.mmap(0xffff0000, P, R | X, PRIVATE | ANON | FIXED, -1, 0)).toBe(0xffff0000);
    expect(space.munmap(0xffff0000, P)).toBe(0);
    // munmap across the private area leaves it alone.
    expect(space.munmap(PRIVATE_BASE - P, PRIVATE_END - PRIVATE_BASE + 2 * P)).toBe(0);
    expect(memory.pageFlags(PRIVATE_BASE)).toBe(PageFlags.Unmapped);
  });

  it('keeps the page flag table in step with protections', () => {
    const a = space.mmap(0x40000000, 4 * P, R | W, PRIVATE | ANON | FIXED, -1, 0);
    expect(memory.pageFlags(a)).toBe(PageFlags.NoExec);
    expect(space.mprotect(a + P, P, R)).toBe(0);
    expect(space.mprotect(a + 2 * P, P, R | X)).toBe(0);
    expect(space.mprotect(a + 3 * P, P, 0)).toBe(0);
    expect([0, 1, 2, 3].map((i) => memory.pageFlags(a + i * P))).toEqual([
      PageFlags.NoExec,
      PageFlags.NoWrite | PageFlags.NoExec,
      PageFlags.NoWrite,
      PageFlags.NoRead | PageFlags.NoWrite | PageFlags.NoExec,
    ]);
    expect(space.munmap(a + P, P)).toBe(0);
    expect(memory.pageFlags(a + P)).toBe(PageFlags.Unmapped);
    expect(memory.pageFlags(a + 4 * P)).toBe(PageFlags.Unmapped);
    expect(memory.accessible(a, P, true)).toBe(true);
    expect(memory.accessible(a + 2 * P, P, true)).toBe(false);
  });

  it('merges neighbours with equal attributes and names regions', () => {
    const a = space.mmap(0x50000000, P, R | W, PRIVATE | ANON | FIXED, -1, 0);
    space.mmap(a + P, P, R | W, PRIVATE | ANON | FIXED, -1, 0);
    expect(space.regions().length).toBe(1);
    space.nameRegion(a + P, P, '[stack]');
    expect(space.regions().map((r) => [r.start - a, r.end - a, r.path])).toEqual([
      [0, P, ''],
      [P, 2 * P, '[stack]'],
    ]);
  });
});

describe('mremap', () => {
  it('grows in place when the pages after are free, and moves (keeping the contents) when not', () => {
    const a = space.mmap(0x60000000, 2 * P, R | W, PRIVATE | ANON | FIXED, -1, 0);
    memory.u8.fill(9, a, a + 2 * P);
    expect(space.mremap(a, 2 * P, 3 * P, 0, 0)).toBe(a);
    expect(memory.pageFlags(a + 2 * P)).toBe(PageFlags.NoExec);
    space.mmap(a + 3 * P, P, R, PRIVATE | ANON | FIXED, -1, 0);
    const moved = space.mremap(a, 3 * P, 8 * P, 1, 0);
    expect(moved).not.toBe(a);
    expect(memory.readBytes(moved, 2 * P).every((b) => b === 9)).toBe(true);
    expect(memory.readBytes(moved + 2 * P, 6 * P).every((b) => b === 0)).toBe(true);
    expect(memory.pageFlags(a)).toBe(PageFlags.Unmapped);
    expect(memory.read8(a)).toBe(0);
    expect(space.mremap(moved, 8 * P, P, 0, 0)).toBe(moved);
    expect(memory.pageFlags(moved + P)).toBe(PageFlags.Unmapped);
  });

  it('MREMAP_FIXED moves to the given address, replacing what was there', () => {
    const a = space.mmap(0x61000000, P, R | W, PRIVATE | ANON | FIXED, -1, 0);
    memory.write32(a, 0xdeadbeef);
    const to = space.mmap(0x62000000, 2 * P, R, PRIVATE | ANON | FIXED, -1, 0);
    expect(space.mremap(a, P, P, 3, to)).toBe(to);
    expect(memory.read32(to)).toBe(0xdeadbeef);
    expect(memory.pageFlags(to)).toBe(PageFlags.NoExec);
    expect(memory.pageFlags(to + P)).toBe(PageFlags.NoWrite | PageFlags.NoExec);
  });
});

describe('brk', () => {
  it('starts at the page-aligned heap start, grows zeroed read-write, shrinks, and ignores addresses below the start', () => {
    space.initBrk(0x00500123);
    const start = 0x00501000;
    expect(space.brk(0)).toBe(start);
    expect(space.brk(start + 10000)).toBe(start + 10000);
    expect(memory.readBytes(start, 3 * P).every((b) => b === 0)).toBe(true);
    expect(memory.pageFlags(start + 2 * P)).toBe(PageFlags.NoExec);
    expect(space.regions().find((r) => r.path === '[heap]')).toMatchObject({ start, end: start + 3 * P, prot: R | W });
    memory.u8.fill(3, start, start + 3 * P);
    expect(space.brk(start + 100)).toBe(start + 100);
    expect(memory.pageFlags(start + P)).toBe(PageFlags.Unmapped);
    expect(space.brk(start + 2 * P)).toBe(start + 2 * P);
    expect(memory.read8(start + P)).toBe(0);
    expect(memory.read8(start)).toBe(3);
    expect(space.brk(start - P)).toBe(start + 2 * P);
  });

  it('does not grow into another mapping', () => {
    space.initBrk(0x00600000);
    space.mmap(0x00604000, P, R, PRIVATE | ANON | FIXED, -1, 0);
    expect(space.brk(0x00602000)).toBe(0x00602000);
    expect(space.brk(0x00605000)).toBe(0x00602000);
  });
});

describe('file mappings', () => {
  it('MAP_PRIVATE copies the file (zero past its end) and writes stay private', () => {
    const contents = Buffer.alloc(P + 100, 0x41);
    const file = tempFile(contents);
    const fd = fs.openSync(file, 'r');
    const a = space.mmap(0, 2 * P, R | W, PRIVATE, fd, 0);
    fs.closeSync(fd);
    expect(Buffer.from(memory.readBytes(a, P + 100)).equals(contents)).toBe(true);
    expect(memory.readBytes(a + P + 100, P - 100).every((b) => b === 0)).toBe(true);
    memory.write8(a, 0x42);
    expect(fs.readFileSync(file)[0]).toBe(0x41);
    expect(space.regions()[0]).toMatchObject({ path: fs.realpathSync(file), offset: 0, shared: false });
  });

  it('MAP_PRIVATE at a file offset', () => {
    const contents = Buffer.concat([Buffer.alloc(P, 1), Buffer.alloc(P, 2)]);
    const fd = fs.openSync(tempFile(contents), 'r');
    const a = space.mmap(0, P, R, PRIVATE, fd, P);
    fs.closeSync(fd);
    expect(memory.readBytes(a, P).every((b) => b === 2)).toBe(true);
    expect(space.regions()[0]!.offset).toBe(P);
  });

  it('MAP_SHARED writes reach the file and file writes reach the guest; munmap restores private zero memory', () => {
    const file = tempFile(Buffer.alloc(2 * P, 0));
    const fd = fs.openSync(file, 'r+');
    const a = space.mmap(0x70000000, 2 * P, R | W, SHARED | FIXED, fd, 0);
    expect(a).toBe(0x70000000);
    expect(hostPermissions(a)).toBe('rw-s');
    memory.writeBytes(a + 10, Buffer.from('guest'));
    expect(fs.readFileSync(file).subarray(10, 15).toString()).toBe('guest');
    fs.writeSync(fd, Buffer.from('host'), 0, 4, P);
    expect(Buffer.from(memory.readBytes(a + P, 4)).toString()).toBe('host');
    fs.closeSync(fd);
    expect(space.munmap(a, 2 * P)).toBe(0);
    expect(hostPermissions(a)).toBe('rw-p');
    expect(memory.readBytes(a, 2 * P).every((b) => b === 0)).toBe(true);
  });

  it('MAP_SHARED of a read-only file can be read but never made writable', () => {
    const file = tempFile(Buffer.alloc(P, 0x33));
    const fd = fs.openSync(file, 'r');
    const a = space.mmap(0, P, R, SHARED, fd, 0);
    fs.closeSync(fd);
    expect(memory.read8(a)).toBe(0x33);
    expect(space.mprotect(a, P, R | W)).toBe(-13);
    expect(space.munmap(a, P)).toBe(0);
  });

  it('MAP_SHARED anonymous memory is a shared host mapping', () => {
    const a = space.mmap(0, 2 * P, R | W, SHARED | ANON, -1, 0);
    expect(hostPermissions(a)).toBe('rw-s');
    expect(memory.readBytes(a, 2 * P).every((b) => b === 0)).toBe(true);
    memory.write32(a + P, 77);
    const moved = space.mremap(a, 2 * P, 4 * P, 1, 0);
    expect(memory.read32(moved + P)).toBe(77);
    expect(hostPermissions(moved)).toBe('rw-s');
    expect(hostPermissions(a)).toBe('rw-p');
    expect(space.munmap(moved, 4 * P)).toBe(0);
    expect(hostPermissions(moved)).toBe('rw-p');
  });
});

describe('pages holding translated code', () => {
  it('are reported before they change protection, are unmapped or remapped', () => {
    const changes: [number, number][] = [];
    space.onCodeChange = (start, length) => {
      changes.push([start, length]);
      // As the engine does: discard the code, clear the flag.
      for (let p = start / P; p < (start + length) / P; p++) memory.u8[PAGE_FLAGS_BASE + p]! &= ~PageFlags.HasCode;
    };
    const a = space.mmap(0x48000000, 4 * P, R | X, PRIVATE | ANON | FIXED, -1, 0);
    const markCode = (addr: number): void => void (memory.u8[PAGE_FLAGS_BASE + addr / P]! |= PageFlags.HasCode);
    markCode(a + P);
    markCode(a + 2 * P);
    // Same protection again: the code stays.
    expect(space.mprotect(a, 4 * P, R | X)).toBe(0);
    expect(changes).toEqual([]);
    expect(memory.pageFlags(a + P) & PageFlags.HasCode).toBeTruthy();
    expect(space.mprotect(a, 4 * P, R | W)).toBe(0);
    expect(changes).toEqual([[a + P, 2 * P]]);
    markCode(a + 3 * P);
    expect(space.munmap(a + 2 * P, 2 * P)).toBe(0);
    expect(changes).toEqual([[a + P, 2 * P], [a + 3 * P, P]]);
    markCode(a);
    space.mremap(a, P, P, 3, 0x49000000);
    expect(changes[2]).toEqual([a, P]);
  });
});
