/**
 * The native launcher run directly (no kernel involved): the argv handshake binfmt_misc uses,
 * checked against qemu-user run with the same program and the same argv[0].
 *   without P: launcher /path/prog args...        == qemu /path/prog args...
 *   with P:    launcher-P /path/prog argv0 args... == qemu -0 argv0 /path/prog args...
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLauncherLink, launcherDir, launcherPath } from '../../src/binfmt/launcher';
import { binfmtTarget } from '../../src/binfmt/targets';
import { buildBinfmtGuests, eachGuest, type BinfmtGuest } from './programs';

let dir = '';
let guests: BinfmtGuest[] = [];

beforeAll(async () => {
  ({ dir, guests } = await buildBinfmtGuests());
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function launcherFor(arch: string, preserveArgv0: boolean): string {
  return ensureLauncherLink(launcherDir(), binfmtTarget(arch), preserveArgv0);
}

describe('native launcher', () => {
  it('is a real ELF executable, statically linked (it must start inside any foreign root)', () => {
    const header = fs.readFileSync(launcherPath()).subarray(0, 4);
    expect([...header]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    const ldd = spawnSync('ldd', [launcherPath()], { encoding: 'utf8' });
    expect(`${ldd.stdout}${ldd.stderr}`).toMatch(/not a dynamic executable|statically linked/);
  });

  describe('without P runs the program with its path as argv[0], like qemu', () => {
    eachGuest(
      () => guests,
      (guest) => {
        const args = [guest.exec, 'one', '-d', '--', 'two words'];
        const expected = run(guest.qemu, args);
        expect(expected.status).toBe(7);
        expect(run(launcherFor(guest.arch, false), args)).toEqual(expected);
      },
    );
  });

  describe('with P takes the argument after the path as argv[0], like qemu -0', () => {
    eachGuest(
      () => guests,
      (guest) => {
        const expected = run(guest.qemu, ['-0', 'original-name', guest.exec, 'x', '-0']);
        expect(expected.stdout).toContain('argv[0]=original-name\n');
        expect(run(launcherFor(guest.arch, true), [guest.exec, 'original-name', 'x', '-0'])).toEqual(expected);
      },
    );
  });

  it('refuses to run under a name that names no architecture', () => {
    const r = run(launcherPath(), ['/bin/true']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/must be run as tsemu-<arch>-binfmt/);
  });

  it('with no program prints its usage and exits 1', () => {
    const r = run(launcherFor('aarch64', false), []);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^usage: .*tsemu-aarch64-binfmt program/);
  });
});
