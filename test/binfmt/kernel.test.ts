/**
 * tsemu-binfmt against the real kernel: register every target, run foreign binaries directly
 * (Linux ones against qemu-user, a FreeBSD one against its source's documented output), busybox
 * applets through argv[0] under P, a busybox chroot, a Debian arm64 root made by debootstrap
 * --foreign, and unregister. Needs root and a mountable binfmt_misc; where that is impossible (an
 * unprivileged container) the suite is skipped with the reason printed. Entries, mounts and roots
 * are always removed in afterAll.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINFMT_MISC_DIR, ensureMounted, registerEntry } from '../../src/binfmt/kernel';
import { ensureLauncherLink, launcherDir } from '../../src/binfmt/launcher';
import { BINFMT_TARGETS, binfmtTarget, maskOf, MAGIC_LENGTH } from '../../src/binfmt/targets';
import { buildFreebsdPrograms } from '../freebsd/build';
import { fetchDebianPackage } from '../lib/debian';
import { REPO_ROOT } from '../lib/targets';
import { debootstrapForeign, DEBOOTSTRAP, mountTypeAt, unmountUnder } from './debootstrap';
import { buildBinfmtGuests, eachGuest, headerOf, type BinfmtGuest } from './programs';

const BIN = path.join(REPO_ROOT, 'bin', 'tsemu-binfmt');
/** A non-tsemu entry that unregister must leave alone. */
const FOREIGN_ENTRY = 'other-test-entry';
/** Debian's second stage under tsemu: 20 to 35 minutes (docs/binfmt.md); far more means something is wrong. */
const SECOND_STAGE_MS = 55 * 60_000;
/** The stage's checks after it: dpkg --audit, dpkg-query and a few programs inside. */
const AFTER_STAGE_MS = 6 * 60_000;

function binfmtUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  try {
    ensureMounted();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const unavailable = binfmtUnavailable();
if (unavailable) console.warn(`test/binfmt/kernel.test.ts skipped: ${unavailable}`);

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): Ran {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, ...options });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The version of the apt package unpacked in `root`, from its .deb's file name in the package cache. */
function aptVersion(root: string): string {
  const deb = fs.readdirSync(path.join(root, 'var', 'cache', 'apt', 'archives')).find((f) => /^apt_[^_]+_arm64\.deb$/.test(f));
  return deb!.split('_')[1]!;
}

/** A /proc file's text, or why there is none (its process exited meanwhile). */
function readOrGone(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * What each process of a hung run was doing when it was killed (spawn's `detached` makes the
 * child a session leader): state, kernel wait channel, name (a tsemu process's is its guest's) and
 * current system call, for the failure message.
 */
function sessionSnapshot(sid: number | undefined): string {
  if (sid === undefined) return '';
  const ps = run('ps', ['-o', 'pid,ppid,stat,etimes,wchan:24,comm', '--sid', String(sid)]);
  const syscalls = ps.stdout
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((pid): pid is string => pid !== undefined && pid !== '')
    .map((pid) => `${pid}: ${readOrGone(`/proc/${pid}/syscall`)}`);
  return `processes of the run:\n${ps.stdout}system calls (number and arguments):\n${syscalls.join('\n')}\n`;
}

/**
 * Runs `command` in a process group of its own; at `timeout` the whole group is killed (a guest's
 * children would otherwise outlive it and keep writing into the root) and stderr says so.
 */
function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv, timeout = 110_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeout / 60_000} minutes)\n${sessionSnapshot(child.pid)}`;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already: its last member exited before 'close' was emitted.
      }
    }, timeout);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * What a failed second stage left in ROOT/debootstrap/debootstrap.log about why (dpkg's and the
 * maintainer scripts' own messages, which debootstrap only points at), for the failure message.
 */
function debootstrapLogErrors(root: string): string {
  const log = path.join(root, 'debootstrap', 'debootstrap.log');
  if (!fs.existsSync(log)) return 'no debootstrap.log';
  const lines = fs.readFileSync(log, 'latin1').split('\n');
  const shown = new Set<number>();
  lines.forEach((line, i) => {
    if (/error|fail|fault|signal|tsemu/i.test(line)) for (let j = Math.max(0, i - 5); j < Math.min(lines.length, i + 3); j++) shown.add(j);
  });
  const excerpt = [...shown].sort((a, b) => a - b).map((i) => lines[i]);
  const tail = lines.slice(-30).join('\n');
  return `debootstrap.log, around its errors:\n${excerpt.join('\n').slice(-20_000)}\n\ndebootstrap.log, its end:\n${tail}`;
}

/** setup-chroot copies about 100 MB: asynchronously, so the test worker keeps answering vitest. */
async function setupChroot(root: string): Promise<void> {
  expect(await runAsync(BIN, ['setup-chroot', root], process.env)).toMatchObject({ status: 0, stderr: '' });
}

function binfmt(...args: string[]): Ran {
  const r = run(BIN, args);
  expect(r.stderr, `tsemu-binfmt ${args.join(' ')}`).toBe('');
  expect(r.status).toBe(0);
  return r;
}

describe.skipIf(unavailable !== undefined)('binfmt_misc registration (kernel)', () => {
  let dir = '';
  let guests: BinfmtGuest[] = [];
  let busybox = '';
  let freebsdHello = '';
  const mounts: string[] = [];

  beforeAll(async () => {
    ({ dir, guests } = await buildBinfmtGuests());
    busybox = path.join(await fetchDebianPackage('arm64', 'busybox-static'), 'bin', 'busybox');
    freebsdHello = (await buildFreebsdPrograms()).hello;
    binfmt('register', '--all', '--preserve-argv0', '--persistent');
  });

  afterAll(() => {
    spawnSync(BIN, ['unregister', '--all']);
    if (fs.existsSync(path.join(BINFMT_MISC_DIR, FOREIGN_ENTRY))) fs.writeFileSync(path.join(BINFMT_MISC_DIR, FOREIGN_ENTRY), '-1');
    for (const mount of mounts.reverse()) spawnSync('umount', [mount]);
    // Never delete through a mount that is still there (a bind mount would be the host's /dev).
    if (dir && unmountUnder(dir)) fs.rmSync(dir, { recursive: true, force: true });
    if (freebsdHello) fs.rmSync(path.dirname(freebsdHello), { recursive: true, force: true });
  });

  it('status lists every target with the flags the kernel took, and the kernel holds the magic of real binaries', () => {
    const status = binfmt('status').stdout;
    for (const target of BINFMT_TARGETS) {
      const launcher = `tsemu-${target.emulator}-binfmt-P`;
      expect(status).toMatch(new RegExp(`^tsemu-${target.arch} enabled interpreter \\S+/${launcher} flags PF$`, 'm'));
    }
    const aarch64 = guests.find((g) => g.arch === 'aarch64')!;
    const mask = maskOf(binfmtTarget('aarch64'));
    const masked = Buffer.from(headerOf(aarch64.exec, MAGIC_LENGTH).map((b, i) => b & mask[i]!)).toString('hex');
    expect(fs.readFileSync(path.join(BINFMT_MISC_DIR, 'tsemu-aarch64'), 'utf8')).toContain(`\nmagic ${masked}\n`);
  });

  describe('foreign binaries run directly from the shell, as under qemu with argv[0] preserved', () => {
    eachGuest(
      () => guests,
      (guest) => {
        const name = path.basename(guest.exec);
        const expected = run(guest.qemu, ['-0', `./${name}`, guest.exec, 'a', 'b c']);
        expect(expected.status).toBe(7);
        expect(run('sh', ['-c', `./${name} a 'b c'`], { cwd: dir })).toEqual(expected);
        const renamed = run(guest.qemu, ['-0', 'another-name', guest.exec]);
        expect(run(guest.exec, [], { argv0: 'another-name' })).toEqual(renamed);
      },
    );
  });

  it('a FreeBSD arm64 executable (EI_OSABI 9) runs directly through the FreeBSD entry', () => {
    // hello.S: FreeBSD write(4) of this line, then exit(1) with status 7.
    expect(run('sh', ['-c', `${freebsdHello}; echo "status $?"`])).toMatchObject({ stdout: 'hello from FreeBSD\nstatus 7\n', stderr: '' });
    binfmt('unregister', '--arch', 'aarch64-freebsd');
    expect(run('sh', ['-c', freebsdHello]).stderr).toMatch(/Exec format error/);
    binfmt('register', '--arch', 'aarch64-freebsd', '--preserve-argv0', '--persistent');
  });

  it('a busybox symlink runs its applet under P (ln -s busybox ls; ./ls)', () => {
    const listed = path.join(dir, 'listed');
    fs.mkdirSync(listed);
    for (const f of ['b-file', 'a-file', 'c dir']) fs.writeFileSync(path.join(listed, f), '');
    fs.copyFileSync(busybox, path.join(dir, 'busybox'));
    fs.chmodSync(path.join(dir, 'busybox'), 0o755);
    fs.symlinkSync('busybox', path.join(dir, 'ls'));
    const host = run('ls', [listed]);
    expect(host.stdout).toBe('a-file\nb-file\nc dir\n');
    expect(run('sh', ['-c', './ls listed'], { cwd: dir })).toEqual(host);
    // Same file, only argv[0] differs: the applet is chosen by the preserved argv[0].
    expect(run(path.join(dir, 'busybox'), [listed], { argv0: 'ls' })).toEqual(host);
  });

  it('re-registering is idempotent and takes new flags (O and C)', () => {
    binfmt('register', '--arch', 'aarch64', '--preserve-argv0', '--credentials');
    binfmt('register', '--arch', 'aarch64', '--preserve-argv0', '--credentials');
    expect(binfmt('status').stdout).toMatch(/^tsemu-aarch64 enabled interpreter \S+ flags POC$/m);
    const aarch64 = guests.find((g) => g.arch === 'aarch64')!;
    expect(run(aarch64.exec, ['x'], { argv0: 'via-execfd' })).toEqual(run('qemu-aarch64', ['-0', 'via-execfd', aarch64.exec, 'x']));
    binfmt('register', '--arch', 'aarch64', '--preserve-argv0', '--persistent');
  });

  it('with P registered under the plain launcher name, the launcher reads P from AT_FLAGS (Linux 5.12+)', () => {
    const target = binfmtTarget('aarch64');
    const flags = { preserveArgv0: true, openBinary: false, credentials: false, fixBinary: true };
    registerEntry(target, ensureLauncherLink(launcherDir(), target, false), flags);
    expect(binfmt('status').stdout).toMatch(/^tsemu-aarch64 enabled interpreter \S+\/tsemu-aarch64-binfmt flags PF$/m);
    const aarch64 = guests.find((g) => g.arch === 'aarch64')!;
    expect(run(aarch64.exec, ['y'], { argv0: 'from-auxv' })).toEqual(run('qemu-aarch64', ['-0', 'from-auxv', aarch64.exec, 'y']));
    binfmt('register', '--arch', 'aarch64', '--preserve-argv0', '--persistent');
  });

  describe('a foreign root file system (busybox arm64) after setup-chroot', () => {
    let root = '';
    beforeAll(async () => {
      root = path.join(dir, 'root');
      fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
      fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
      fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
      for (const applet of ['sh', 'ls', 'uname', 'echo']) fs.symlinkSync('busybox', path.join(root, 'bin', applet));
      await setupChroot(root);
      // /proc and /dev bind-mounted, as chroots usually have them (tsemu itself needs neither).
      for (const fsDir of ['proc', 'dev']) {
        fs.mkdirSync(path.join(root, fsDir), { recursive: true });
        expect(run('mount', ['--bind', `/${fsDir}`, path.join(root, fsDir)]).status).toBe(0);
        mounts.push(path.join(root, fsDir));
      }
    });

    it('runs uname -m, ls / and echo', () => {
      expect(run('chroot', [root, '/bin/uname', '-m'])).toMatchObject({ status: 0, stdout: 'aarch64\n' });
      expect(run('chroot', [root, '/bin/ls', '/'])).toMatchObject({ status: 0, stdout: run('ls', [root]).stdout });
      expect(run('chroot', [root, '/bin/sh', '-c', 'echo ok'])).toMatchObject({ status: 0, stdout: 'ok\n' });
    });

    it('works with entries registered without F too (the launcher is installed at its registered path)', () => {
      binfmt('register', '--arch', 'aarch64', '--preserve-argv0');
      expect(binfmt('status').stdout).toMatch(/^tsemu-aarch64 enabled interpreter \S+ flags P$/m);
      expect(run('chroot', [root, '/bin/uname', '-m'])).toMatchObject({ status: 0, stdout: 'aarch64\n' });
      binfmt('register', '--arch', 'aarch64', '--preserve-argv0', '--persistent');
    });

    it('runs a shell command list (fork and exec inside the chroot)', () => {
      expect(run('chroot', [root, '/bin/sh', '-c', 'uname -m; ls /; echo ok'])).toMatchObject({
        status: 0,
        stdout: `aarch64\n${run('ls', [root]).stdout}ok\n`,
      });
    });

  });

  describe.skipIf(!fs.existsSync(DEBOOTSTRAP))('a Debian arm64 root made by debootstrap --foreign, after setup-chroot', () => {
    let root = '';
    /** The host's environment without what would make the chroot's Node warn (a CA file the root lacks). */
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: undefined };
    /** Long runs go through the asynchronous spawn: a blocked test worker misses vitest's RPC deadlines. */
    const inRoot = (command: string): Promise<Ran> => runAsync('chroot', [root, '/bin/sh', '-c', command], env);

    beforeAll(async () => {
      root = path.join(dir, 'debian');
      await debootstrapForeign(root, 'arm64');
      await setupChroot(root);
    });

    it('runs in the first-stage root, whose /proc is a link that resolves to nothing inside (tsemu needs no /proc)', async () => {
      // In a container debootstrap makes ROOT/proc a link to /proc (a loop inside; the second stage replaces it by a directory).
      expect(await inRoot('echo ok; uname -m')).toEqual({ status: 0, stdout: 'ok\naarch64\n', stderr: '' });
      fs.rmSync(path.join(root, 'proc'), { recursive: true, force: true });
      fs.mkdirSync(path.join(root, 'proc'));
    });

    it('mounts proc and sysfs inside and unmounts them as the second stage does (the host kernel sees each step), tsemu starting and forking in between', async () => {
      const mounted = (dir: string): string | undefined => mountTypeAt(path.join(root, dir));
      expect(await inRoot('mount -t proc proc /proc && mount -t sysfs sysfs /sys && echo mounted')).toEqual({ status: 0, stdout: 'mounted\n', stderr: '' });
      expect([mounted('proc'), mounted('sys')]).toEqual(['proc', 'sysfs']);
      expect(await inRoot('umount /sys; umount /proc; ls -A /proc | wc -l; echo $(echo forked)')).toEqual({ status: 0, stdout: '0\nforked\n', stderr: '' });
      expect([mounted('proc'), mounted('sys')]).toEqual([undefined, undefined]);
    });

    it("runs Debian's dynamically linked dash, coreutils and apt (C++) in the first-stage root", async () => {
      expect(await inRoot('echo ok; uname -m; ls /; apt-get --version | head -n 1')).toEqual({
        status: 0,
        stdout: `ok\naarch64\n${run('ls', [root]).stdout}apt ${aptVersion(root)} (arm64)\n`,
        stderr: '',
      });
    });

    it('keeps a descriptor the guest shell opened across its exec (what debootstrap\'s dpkg --status-fd 8 needs)', async () => {
      const command = 'sh -c "echo through fd 8 >&8" 8>&1';
      expect(await inRoot(command)).toEqual(run('sh', ['-c', command]));
    });

    it('keeps a descriptor above 2 that the host shell hands to the first tsemu (Node marks it close-on-exec at start)', async () => {
      const guest = await runAsync('sh', ['-c', `chroot ${root} /bin/sh -c 'echo via fd 8 >&8; sh -c "echo and its child >&8"' 8>&1`], env);
      expect(guest).toEqual(run('sh', ['-c', `sh -c 'echo via fd 8 >&8; sh -c "echo and its child >&8"' 8>&1`]));
    });

    it(
      'chroot ROOT /debootstrap/debootstrap --second-stage installs the base system: debootstrap reports success, dpkg --audit ' +
        'finds nothing half-installed, every package of its required list is installed, and the root works inside',
      async () => {
        // The first stage's list of what the second must install (the stage removes /debootstrap).
        const required = fs.readFileSync(path.join(root, 'debootstrap', 'required'), 'utf8').split(/\s+/).filter(Boolean);
        const stage = await runAsync('chroot', [root, '/debootstrap/debootstrap', '--second-stage'], env, SECOND_STAGE_MS);
        const output = `${stage.stdout}${stage.stderr}`;
        expect(stage.status, `${output}\n${debootstrapLogErrors(root)}`).toBe(0);
        expect(output.split('\n').filter((line) => line !== '' && !line.startsWith('I: '))).toEqual([]);
        expect(output.trimEnd().split('\n').at(-1)).toBe('I: Base system installed successfully.');
        expect(await inRoot('dpkg --audit')).toEqual({ status: 0, stdout: '', stderr: '' });
        const query = await inRoot(`dpkg-query -W -f '\${db:Status-Abbrev}\${Package}\\n' ${required.join(' ')}`);
        expect(query.stderr).toBe('');
        expect(query.stdout.split('\n').filter(Boolean).sort()).toEqual(required.map((p) => `ii ${p}`).sort());
        expect(await inRoot('apt-get --version | head -n 1; sh -c "echo ok"; ls /')).toEqual({
          status: 0,
          stdout: `apt ${aptVersion(root)} (arm64)\nok\n${run('ls', [root]).stdout}`,
          stderr: '',
        });
      },
      SECOND_STAGE_MS + AFTER_STAGE_MS,
    );
  });

  it('unregister --all removes only tsemu entries; the binaries then fail with ENOEXEC', () => {
    fs.writeFileSync(path.join(BINFMT_MISC_DIR, 'register'), `:${FOREIGN_ENTRY}:E::tsemutestext::/bin/true:`);
    const out = binfmt('unregister', '--all').stdout;
    expect(out.split('\n').filter(Boolean).sort()).toEqual(BINFMT_TARGETS.map((t) => `unregistered tsemu-${t.arch}`).sort());
    expect(fs.existsSync(path.join(BINFMT_MISC_DIR, FOREIGN_ENTRY))).toBe(true);
    expect(binfmt('status').stdout).toBe('no tsemu entries registered\n');
    for (const guest of guests) {
      // execve itself (no execvp fallback to sh): ENOEXEC is errno 8 on Linux.
      const execve = run('python3', ['-c', 'import os, sys; os.execv(sys.argv[1], sys.argv[1:])', guest.exec]);
      expect(execve.stderr).toMatch(/\[Errno 8\] Exec format error/);
      const shell = run('sh', ['-c', guest.exec]);
      expect(shell.status).toBe(126);
      expect(shell.stderr).toMatch(/Exec format error/);
    }
  });
});
