/**
 * tsemu-binfmt's command line and the files it writes without the kernel: argument parsing,
 * binfmt.d files (the format of binfmt.d(5) and the kernel's register file, checked field by field
 * against Documentation/admin-guide/binfmt-misc.rst and real ELF headers), and the errors a user
 * without root gets.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBinfmtArgs, BinfmtUsageError } from '../../src/cli/tsemu-binfmt';
import { BINFMT_TARGETS } from '../../src/binfmt/targets';
import { REPO_ROOT } from '../lib/targets';
import { buildBinfmtGuests, headerOf, type BinfmtGuest } from './programs';

const BIN = path.join(REPO_ROOT, 'bin', 'tsemu-binfmt');
const NO_FLAGS = { preserveArgv0: false, openBinary: false, credentials: false, fixBinary: false };

let dir = '';
let guests: BinfmtGuest[] = [];
beforeAll(async () => {
  ({ dir, guests } = await buildBinfmtGuests());
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function arches(parsed: ReturnType<typeof parseBinfmtArgs>): unknown {
  if (parsed === 'help' || !('targets' in parsed)) return parsed;
  return parsed.targets === 'all' ? 'all' : parsed.targets.map((t) => t.arch);
}

describe('tsemu-binfmt arguments', () => {
  it('register defaults to every target and no flags', () => {
    const parsed = parseBinfmtArgs(['register']);
    expect(arches(parsed)).toEqual(['aarch64', 'arm', 'ppc64', 'ppc64le', 'aarch64-freebsd']);
    expect(parsed).toMatchObject({ command: 'register', flags: NO_FLAGS });
  });

  it('register --arch takes a comma list and repeated options; flags map to P, O, C, F', () => {
    const parsed = parseBinfmtArgs(['register', '--arch', 'ppc64le,arm', '--arch', 'aarch64', '--persistent', '--preserve-argv0']);
    expect(arches(parsed)).toEqual(['ppc64le', 'arm', 'aarch64']);
    expect(parsed).toMatchObject({ flags: { ...NO_FLAGS, preserveArgv0: true, fixBinary: true } });
    expect(parseBinfmtArgs(['register', '--open-binary'])).toMatchObject({ flags: { ...NO_FLAGS, openBinary: true } });
    // C implies O (the kernel sets O itself when given C).
    expect(parseBinfmtArgs(['register', '--credentials'])).toMatchObject({ flags: { ...NO_FLAGS, openBinary: true, credentials: true } });
  });

  it('--systemd DIR alone means register into DIR', () => {
    expect(parseBinfmtArgs(['--systemd', '/etc/binfmt.d'])).toMatchObject({ command: 'register', systemdDir: '/etc/binfmt.d' });
  });

  it('unregister takes --arch or --all (default all tsemu entries); status and setup-chroot', () => {
    expect(arches(parseBinfmtArgs(['unregister', '--all']))).toBe('all');
    expect(arches(parseBinfmtArgs(['unregister']))).toBe('all');
    expect(arches(parseBinfmtArgs(['unregister', '--arch', 'ppc64']))).toEqual(['ppc64']);
    expect(parseBinfmtArgs(['status'])).toEqual({ command: 'status' });
    expect(parseBinfmtArgs(['setup-chroot', '/srv/arm64'])).toEqual({ command: 'setup-chroot', root: '/srv/arm64' });
    expect(parseBinfmtArgs(['--help'])).toBe('help');
    expect(parseBinfmtArgs(['-version'])).toBe('version');
    expect(parseBinfmtArgs(['--version'])).toBe('version');
  });

  it('rejects what makes no sense', () => {
    const bad = [
      ['register', '--arch', 'x86_64'],
      ['register', '--arch', 'arm', '--all'],
      ['register', '--bogus'],
      ['unregister', '--persistent'],
      ['status', 'extra'],
      ['setup-chroot'],
      ['setup-chroot', 'a', 'b'],
      ['frobnicate'],
      [],
    ];
    for (const argv of bad) expect(() => parseBinfmtArgs(argv), argv.join(' ')).toThrow(BinfmtUsageError);
  });

  it('bin/tsemu-binfmt prints usage and exits 2 on bad arguments, 0 for --help and -version (as tsemu-<arch> -version)', () => {
    const bad = spawnSync(BIN, ['register', '--arch', 'vax'], { encoding: 'utf8' });
    expect([bad.status, bad.stderr]).toEqual([2, 'tsemu-binfmt: unknown architecture vax (known: aarch64, arm, ppc64, ppc64le, aarch64-freebsd)\n']);
    const help = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: tsemu-binfmt COMMAND/);
    const version = spawnSync(BIN, ['-version'], { encoding: 'utf8' });
    const userVersion = spawnSync(path.join(path.dirname(BIN), 'tsemu-aarch64'), ['-version'], { encoding: 'utf8' });
    expect(version).toMatchObject({ status: 0, stderr: '', stdout: userVersion.stdout.replace('tsemu-aarch64', 'tsemu-binfmt') });
  });

  it('register and unregister as an unprivileged user fail with a clear message and exit 1', () => {
    for (const command of ['register', 'unregister']) {
      const r = spawnSync(BIN, [command], { encoding: 'utf8', uid: 65534, gid: 65534 });
      expect([command, r.status]).toEqual([command, 1]);
      expect(r.stderr).toMatch(/^tsemu-binfmt: .*(needs root|refused|not mounted)/);
    }
  });
});

describe('binfmt.d files (--systemd)', () => {
  it('hold one registration line per target whose fields follow binfmt-misc.rst and match the real binaries', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-binfmt-d-'));
    try {
      const r = spawnSync(BIN, ['register', '--systemd', out, '--preserve-argv0', '--persistent'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual(BINFMT_TARGETS.map((t) => `tsemu-${t.arch}.conf`).sort());
      for (const guest of guests) {
        const conf = fs.readFileSync(path.join(out, `tsemu-${guest.arch}.conf`), 'utf8');
        const lines = conf.split('\n').filter((l) => l && !l.startsWith('#'));
        expect(lines.length).toBe(1);
        // :name:type:offset:magic:mask:interpreter:flags
        const [empty, name, type, offset, magic, mask, interpreter, flags, ...rest] = lines[0]!.split(':');
        expect({ empty, name, type, offset, flags, rest }).toEqual({ empty: '', name: `tsemu-${guest.arch}`, type: 'M', offset: '', flags: 'PF', rest: [] });
        expect(fs.statSync(interpreter!).isFile()).toBe(true);
        const bytes = (s: string) => Uint8Array.from(s.match(/\\x([0-9a-f]{2})/g)!.map((h) => parseInt(h.slice(2), 16)));
        const m = bytes(magic!);
        const k = bytes(mask!);
        expect(m.length).toBe(k.length);
        for (const file of [guest.exec, guest.dyn]) {
          const header = headerOf(file, m.length);
          expect(m.every((b, i) => (header[i]! & k[i]!) === b), file).toBe(true);
        }
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
