/**
 * The binfmt tests' guest binaries: programs/hello.c built by each target's Debian cross compiler
 * twice, static (ELF type EXEC) and as a dynamic PIE (type DYN), the two types an entry must
 * catch. Also the 32-bit ARM soft-float (armel) build, a second ABI of the arm entry.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { it } from 'vitest';
import { ARM, ARM_BUILDS } from '../arm/targets';
import { AARCH64, type GuestTarget } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';

export interface BinfmtGuest {
  /** tsemu architecture (binfmt entry tsemu-<arch>). */
  arch: string;
  /** Compiler flavour, for test titles. */
  title: string;
  /** qemu-user binary, the oracle. */
  qemu: string;
  /** Static executable (e_type EXEC). */
  exec: string;
  /** Position-independent dynamic executable (e_type DYN). */
  dyn: string;
}


const ARMEL = ARM_BUILDS.find((b) => b.title === 'armel')!.target;
const BUILDS: readonly { arch: string; target: GuestTarget }[] = [
  { arch: 'aarch64', target: AARCH64 },
  { arch: 'arm', target: ARM },
  { arch: 'arm', target: ARMEL },
  { arch: 'ppc64', target: PPC64 },
  { arch: 'ppc64le', target: PPC64LE },
];

const execFileAsync = promisify(execFile);

/**
 * Builds every guest into a new temporary directory, the compilers running concurrently (and never
 * blocking the test worker, which would miss vitest's RPC deadlines on a loaded machine).
 */
export async function buildBinfmtGuests(): Promise<{ dir: string; guests: BinfmtGuest[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-binfmt-'));
  const source = path.join(__dirname, 'programs', 'hello.c');
  const guests = await Promise.all(
    BUILDS.map(async ({ arch, target }) => {
      const stem = `hello-${arch}-${target.cc.replace(/-gcc$/, '')}`;
      const exec = path.join(dir, stem);
      const dyn = path.join(dir, `${stem}-pie`);
      await Promise.all([
        execFileAsync(target.cc, ['-static', '-O2', '-o', exec, source]),
        execFileAsync(target.cc, ['-fPIE', '-pie', '-O2', '-o', dyn, source]),
      ]);
      return { arch, title: target.cc, qemu: target.qemu, exec, dyn };
    }),
  );
  return { dir, guests };
}

/** The guests' names, known before they are built (for one test per guest). */
export const BINFMT_GUEST_TITLES: readonly string[] = BUILDS.map((b) => b.target.cc);

/** One test per guest (the guests are built in beforeAll, after the tests are declared). */
export function eachGuest(guests: () => BinfmtGuest[], body: (guest: BinfmtGuest) => void): void {
  for (const title of BINFMT_GUEST_TITLES) it(title, () => body(guests().find((g) => g.title === title)!));
}

/** The first `length` bytes of a file. */
export function headerOf(file: string, length: number): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = new Uint8Array(length);
    fs.readSync(fd, bytes, 0, length, 0);
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}
