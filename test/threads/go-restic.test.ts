/**
 * Debian's `restic` (Go with cgo: its threads come from glibc's pthread_create) for arm64, armhf
 * and ppc64el, fetched at test time and run with the cross sysroot of its libc: under tsemu it
 * initialises a repository, backs up a small tree and restores it. The restored tree must equal
 * the original, and qemu-user (the oracle) must restore the same snapshot from tsemu's repository
 * to the same bytes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARM } from '../arm/targets';
import { fetchDebianPackage } from '../lib/debian';
import { runProcess, type RunResult } from '../lib/run-process';
import { AARCH64, tsemuBinary, type GuestTarget } from '../lib/targets';
import { PPC64LE } from '../ppc64/targets';

const TARGETS: { emulator: GuestTarget; sysroot: string }[] = [
  { emulator: AARCH64, sysroot: '/usr/aarch64-linux-gnu' },
  { emulator: ARM, sysroot: '/usr/arm-linux-gnueabihf' },
  { emulator: PPC64LE, sysroot: '/usr/powerpc64le-linux-gnu' },
];
/** The backed-up tree: a few files of different sizes, one in a subdirectory. */
const FILES: Record<string, Buffer> = {
  'a.txt': Buffer.from('restic under tsemu\n'),
  'b.bin': Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) & 0xff)),
  'sub/c.txt': Buffer.from(Array.from({ length: 500 }, (_, i) => `row ${i}\n`).join('')),
};

const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function expectSuccess(r: RunResult, what: string): void {
  expect(r.timedOut, `${what} timed out`).toBe(false);
  expect(r.status, `${what} failed: ${r.stderr.slice(0, 2000)}`).toBe(0);
}

function expectTree(root: string): void {
  for (const [name, bytes] of Object.entries(FILES)) {
    expect(readFileSync(path.join(root, name)).equals(bytes), `${root}/${name} differs`).toBe(true);
  }
}

describe.concurrent("Debian's restic (Go, cgo threads)", () => {
  for (const { emulator, sysroot } of TARGETS) {
    it(`init, backup and restore under tsemu on ${emulator.debArch}; qemu restores the same snapshot`, async () => {
      const pkg = await fetchDebianPackage(emulator.debArch, 'restic');
      const restic = path.join(pkg, 'usr', 'bin', 'restic');
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-restic-'));
      dirs.push(dir);
      for (const [name, bytes] of Object.entries(FILES)) {
        mkdirSync(path.dirname(path.join(dir, 'src', name)), { recursive: true });
        writeFileSync(path.join(dir, 'src', name), bytes);
      }
      const env = { PATH: '/usr/bin:/bin', HOME: dir, RESTIC_PASSWORD: 'tsemu', RESTIC_CACHE_DIR: path.join(dir, 'cache') };
      const run = (command: string, args: string[]): Promise<RunResult> =>
        runProcess(command, { args: ['-L', sysroot, restic, '-r', 'repo', ...args], cwd: dir, env, timeoutMs: 600_000 });
      const tsemu = tsemuBinary(emulator);

      expectSuccess(await run(tsemu, ['init']), 'restic init');
      expectSuccess(await run(tsemu, ['backup', 'src']), 'restic backup');
      const restored = await run(tsemu, ['restore', 'latest', '--target', 'by-tsemu']);
      expectSuccess(restored, 'restic restore');
      // A cache restic cannot use is only a warning (chtimes failed this way on armhf once).
      expect(restored.stderr).not.toMatch(/unable to open cache/);
      expectTree(path.join(dir, 'by-tsemu', 'src'));
      expectSuccess(await run(emulator.qemu, ['restore', 'latest', '--target', 'by-qemu']), `${emulator.qemu} restic restore`);
      expectTree(path.join(dir, 'by-qemu', 'src'));
      // Three runs of a 17 MB Go program under emulation (about 35 s of CPU here per target); restic keeps a relative path relative.
    }, 1_800_000);
  }
});
