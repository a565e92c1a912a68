/**
 * Debian's `restic` (Go with cgo: its threads come from glibc's pthread_create) for arm64, fetched
 * at test time and run with the cross sysroot of its libc: under tsemu it initialises a repository,
 * backs up a small tree and restores it. The restored tree must equal the original, and qemu-user
 * (the oracle) must restore the same snapshot from tsemu's repository to the same bytes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchDebianPackage } from '../lib/debian';
import { runProcess, type RunResult } from '../lib/run-process';
import { AARCH64, tsemuBinary } from '../lib/targets';

const SYSROOT = '/usr/aarch64-linux-gnu';
/** The backed-up tree: a few files of different sizes, one in a subdirectory. */
const FILES: Record<string, Buffer> = {
  'a.txt': Buffer.from('restic under tsemu\n'),
  'b.bin': Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) & 0xff)),
  'sub/c.txt': Buffer.from(Array.from({ length: 500 }, (_, i) => `row ${i}\n`).join('')),
};

let dir = '';

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
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

describe("Debian's restic (Go, cgo threads) on arm64", () => {
  it('init, backup and restore under tsemu; qemu restores the same snapshot', async () => {
    const pkg = await fetchDebianPackage(AARCH64.debArch, 'restic');
    const restic = path.join(pkg, 'usr', 'bin', 'restic');
    dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-restic-'));
    for (const [name, bytes] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, 'src', name)), { recursive: true });
      writeFileSync(path.join(dir, 'src', name), bytes);
    }
    const env = { PATH: '/usr/bin:/bin', HOME: dir, RESTIC_PASSWORD: 'tsemu', RESTIC_CACHE_DIR: path.join(dir, 'cache') };
    const run = (emulator: string, args: string[]): Promise<RunResult> =>
      runProcess(emulator, { args: ['-L', SYSROOT, restic, '-r', 'repo', ...args], cwd: dir, env, timeoutMs: 300_000 });
    const tsemu = tsemuBinary(AARCH64);

    expectSuccess(await run(tsemu, ['init']), 'restic init');
    expectSuccess(await run(tsemu, ['backup', 'src']), 'restic backup');
    expectSuccess(await run(tsemu, ['restore', 'latest', '--target', 'by-tsemu']), 'restic restore');
    expectTree(path.join(dir, 'by-tsemu', 'src'));
    expectSuccess(await run(AARCH64.qemu, ['restore', 'latest', '--target', 'by-qemu']), `${AARCH64.qemu} restic restore`);
    expectTree(path.join(dir, 'by-qemu', 'src'));
    // Three runs of a 17 MB Go program under emulation (about 35 s of CPU here); restic keeps a relative path relative.
  }, 900_000);
});
