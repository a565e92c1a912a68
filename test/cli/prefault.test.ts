/**
 * native/prefault, the library the launcher preloads into tsemu's Node: a host program makes
 * ranges writable the ways V8 makes its heap pages, and the kernel (mincore) says which of their
 * 4 KiB pages are in memory before anything writes them. Only fresh private read-write ranges of
 * V8's page size are filled whole; everything else is as without the library. And the launcher
 * does start Node with it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launcherDir, PREFAULT_LIBRARY } from '../../src/binfmt/launcher';
import { AARCH64, guestProgram, REPO_ROOT, tsemuBinary } from '../lib/targets';

const LIBRARY = path.join(launcherDir(REPO_ROOT), PREFAULT_LIBRARY);
let dir = '';
let probe = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-prefault-'));
  probe = path.join(dir, 'prefault_probe');
  execFileSync('gcc', ['-O2', '-o', probe, path.join(__dirname, 'host', 'prefault_probe.c')]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function residentPages(preload: string | undefined): Record<string, number> {
  const env = { ...process.env, LD_PRELOAD: preload ?? '' };
  const out = spawnSync(probe, [], { env, encoding: 'utf8' });
  expect(out.stderr).toBe('');
  return Object.fromEntries(out.stdout.trim().split('\n').map((line) => {
    const [what, count] = line.split(': ');
    return [what!, Number(count)];
  }));
}

describe('the prefault library (native/prefault)', () => {
  it('fills fresh private read-write 256 KiB ranges whole, and nothing else', () => {
    expect(residentPages(undefined)).toEqual({
      'mmap read-write 256 KiB': 0,
      'mprotect read-write 256 KiB': 0,
      'mmap read-write 128 KiB': 0,
      'mprotect read-only 256 KiB': 0,
      'mprotect read-write 256 KiB, first page in use': 1,
    });
    expect(residentPages(LIBRARY)).toEqual({
      'mmap read-write 256 KiB': 64,
      'mprotect read-write 256 KiB': 64,
      'mmap read-write 128 KiB': 0,
      'mprotect read-only 256 KiB': 0,
      'mprotect read-write 256 KiB, first page in use': 1,
    });
  });

  it('is preloaded into the Node the launcher starts', async () => {
    // stdin_filter waits for its input, so the process is there to look at once tsemu has loaded
    // its addon (long after the dynamic loader mapped what it preloads).
    const program = guestProgram(AARCH64, 'stdin_filter');
    const child = spawn(tsemuBinary(AARCH64), [program], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const maps = (): string => fs.readFileSync(`/proc/${child.pid}/maps`, 'utf8');
    const ADDON = 'tsemu_native.node';
    for (let waited = 0; waited < 60_000 && !maps().includes(ADDON); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const mapped = maps();
    child.stdin.end();
    await exited;
    expect(mapped).toContain(ADDON);
    expect(mapped).toContain(LIBRARY);
  });
});
