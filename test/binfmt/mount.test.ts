/**
 * mount and umount2 under tsemu against the host kernel: programs/mounts.c built natively and for
 * AArch64, 32-bit ARM and big-endian ppc64, each run on fresh directories; every guest's output
 * must equal the native run's (what a chroot's second stage needs: tmpfs/proc-style mounts with
 * options, remounts, bind mounts, busy and lazy unmounts, and the kernel's errors). Needs root
 * (mounting is refused otherwise), so without it the suite is skipped with the reason printed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARM } from '../arm/targets';
import { AARCH64, tsemuBinary, type GuestTarget } from '../lib/targets';
import { PPC64 } from '../ppc64/targets';
import { unmountUnder } from './debootstrap';

const execFileAsync = promisify(execFile);
const SOURCE = path.join(__dirname, 'programs', 'mounts.c');
const GUESTS: readonly GuestTarget[] = [AARCH64, ARM, PPC64];

const notRoot = process.getuid?.() !== 0 ? 'not running as root' : undefined;
if (notRoot) console.warn(`test/binfmt/mount.test.ts skipped: ${notRoot}`);

/** Runs `command` on two fresh directories under `dir` (the second holds one file to bind); its stdout. */
async function runOn(dir: string, name: string, command: string[]): Promise<string> {
  const target = path.join(dir, `${name}-target`);
  const other = path.join(dir, `${name}-other`);
  fs.mkdirSync(target);
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'in-other'), '');
  const { stdout } = await execFileAsync(command[0]!, [...command.slice(1), target, other], { timeout: 60_000 });
  return stdout;
}

describe.skipIf(notRoot !== undefined)('mount and umount2 pass through to the host kernel', () => {
  let dir = '';
  let native = '';
  const built = new Map<string, string>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-mount-'));
    await Promise.all(
      [{ name: 'native', cc: 'gcc' }, ...GUESTS.map((t) => ({ name: t.name, cc: t.cc }))].map(async ({ name, cc }) => {
        const exe = path.join(dir, `mounts-${name}`);
        await execFileAsync(cc, ['-static', '-O2', '-o', exe, SOURCE]);
        built.set(name, exe);
      }),
    );
    native = await runOn(dir, 'native', [built.get('native')!]);
  });

  afterAll(() => {
    if (dir && unmountUnder(dir)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the native run mounts, remounts and unmounts (the oracle is meaningful)', () => {
    expect(native).toMatch(/^mount tmpfs: 0$/m);
    expect(native).toMatch(/^rdonly 1$/m);
    expect(native).toMatch(/^umount2 detach: 0$/m);
  });

  for (const target of GUESTS) {
    it(`${target.name}: the same outcomes as the native program`, async () => {
      expect(await runOn(dir, target.name, [tsemuBinary(target), built.get(target.name)!])).toBe(native);
    });
  }
});
