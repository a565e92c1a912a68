/**
 * Error semantics of mmap, munmap, mprotect and mremap against the host kernel: each scenario runs
 * the same calls on a scratch host range and on the guest address space; results must agree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressSpace } from '../../src/memory/address-space';
import { GuestMemory } from '../../src/memory/guest-memory';
import { freeHostRange, hostOps, relative, type MmapOps } from './host-oracle';

const P = 4096;
const SPAN = 64 * P;
const R = 1;
const W = 2;
const PRIVATE = 0x02;
const SHARED = 0x01;
const ANON = 0x20;
const FIXED = 0x10;
const NOREPLACE = 0x100000;

interface Fds {
  readOnly: number;
  writeOnly: number;
  readWrite: number;
  directory: number;
}

type Scenario = (ops: MmapOps, base: number, fds: Fds) => number[];

const scenarios: Record<string, Scenario> = {
  'mmap of length 0': (o, b) => [o.mmap(b, 0, R, PRIVATE | ANON | FIXED, -1, 0)],
  'mmap MAP_FIXED at an unaligned address': (o, b) => [o.mmap(b + 1, P, R, PRIVATE | ANON | FIXED, -1, 0)],
  'mmap with an unaligned offset': (o, b) => [o.mmap(b, P, R, PRIVATE | ANON | FIXED, -1, 123)],
  'mmap neither shared nor private': (o, b) => [o.mmap(b, P, R, ANON | FIXED, -1, 0)],
  'MAP_SHARED_VALIDATE with an unknown flag': (o, b) => [o.mmap(b, P, R, 0x03 | ANON | FIXED | 0x800000, -1, 0)],
  'MAP_FIXED_NOREPLACE over a mapping, and next to it': (o, b) => [
    o.mmap(b + 4 * P, 2 * P, R, PRIVATE | ANON | FIXED, -1, 0),
    o.mmap(b + 5 * P, 2 * P, R, PRIVATE | ANON | NOREPLACE, -1, 0),
    o.mmap(b + 6 * P, 2 * P, R, PRIVATE | ANON | NOREPLACE, -1, 0),
  ],
  'MAP_FIXED replaces a mapping': (o, b) => [
    o.mmap(b, 4 * P, R | W, PRIVATE | ANON | FIXED, -1, 0),
    o.mmap(b + P, P, R, PRIVATE | ANON | FIXED, -1, 0),
  ],
  'munmap: unaligned, zero length, unmapped range': (o, b) => [o.munmap(b + 8, P), o.munmap(b, 0), o.munmap(b, 8 * P)],
  'mprotect: unaligned, unknown bits, zero length, a hole': (o, b) => [
    o.mmap(b, P, R, PRIVATE | ANON | FIXED, -1, 0),
    o.mmap(b + 2 * P, P, R, PRIVATE | ANON | FIXED, -1, 0),
    o.mprotect(b + 1, P, R),
    o.mprotect(b, P, 0x100),
    o.mprotect(b, 0, R),
    o.mprotect(b, 3 * P, R | W),
    o.mprotect(b + 3 * P, P, R),
    o.mprotect(b, P, R | W),
  ],
  'mremap: bad flags, FIXED without MAYMOVE, unmapped source, zero size': (o, b) => [
    o.mmap(b, 2 * P, R | W, PRIVATE | ANON | FIXED, -1, 0),
    o.mremap(b, P, 2 * P, 0x80, 0),
    o.mremap(b, P, 2 * P, 2, b + 8 * P),
    o.mremap(b + 16 * P, P, 2 * P, 1, 0),
    o.mremap(b, P, 0, 0, 0),
    o.mremap(b + 1, P, P, 0, 0),
  ],
  'mremap: shrink, grow in place, grow blocked without MAYMOVE, FIXED overlapping': (o, b) => [
    o.mmap(b, 4 * P, R | W, PRIVATE | ANON | FIXED, -1, 0),
    o.mmap(b + 8 * P, P, R, PRIVATE | ANON | FIXED, -1, 0),
    o.mremap(b, 4 * P, 2 * P, 0, 0),
    o.mremap(b, 2 * P, 6 * P, 0, 0),
    o.mremap(b, 6 * P, 10 * P, 0, 0),
    o.mremap(b, 2 * P, 2 * P, 3, b + P),
    o.mremap(b, 2 * P, 2 * P, 3, b + 20 * P),
  ],
  'file mappings: bad fd, write-only fd, shared writable read-only fd, directory': (o, b, f) => [
    o.mmap(b, P, R, PRIVATE | FIXED, 1000, 0),
    o.mmap(b, P, R, PRIVATE | FIXED, f.writeOnly, 0),
    o.mmap(b, P, R | W, SHARED | FIXED, f.readOnly, 0),
    o.mmap(b, P, R, PRIVATE | FIXED, f.directory, 0),
    o.mmap(b, P, R | W, PRIVATE | FIXED, f.readOnly, 0),
    o.mmap(b + 2 * P, P, R, SHARED | FIXED, f.readOnly, 0),
    o.mprotect(b + 2 * P, P, R | W),
    o.mmap(b + 4 * P, P, R | W, SHARED | FIXED, f.readWrite, 0),
    o.mmap(b + 6 * P, P, R, 0x03 | FIXED | 0x800000, f.readOnly, 0),
    o.mmap(b + 6 * P, P, R, 0x03 | FIXED, f.readOnly, 0),
  ],
};

describe('errors and results agree with the host kernel', () => {
  let memory: GuestMemory;
  let space: AddressSpace;
  let fds: Fds;
  const guestBase = 0x20000000;
  beforeAll(() => {
    memory = new GuestMemory(true);
    space = new AddressSpace(memory);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-mm-'));
    const file = path.join(dir, 'data');
    fs.writeFileSync(file, Buffer.alloc(4 * P, 7));
    fds = {
      readOnly: fs.openSync(file, 'r'),
      writeOnly: fs.openSync(file, 'w'),
      readWrite: fs.openSync(file, 'r+'),
      directory: fs.openSync(dir, 'r'),
    };
  });
  afterAll(() => {
    for (const fd of Object.values(fds)) fs.closeSync(fd);
  });

  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, () => {
      const host = hostOps();
      const hostBase = freeHostRange(SPAN);
      const onHost = scenario(host, hostBase, fds).map((r) => relative(r, hostBase));
      host.munmap(hostBase, SPAN);
      const onGuest = scenario(space, guestBase, fds).map((r) => relative(r, guestBase));
      space.munmap(guestBase, SPAN);
      expect(onGuest).toEqual(onHost);
    });
  }
});
