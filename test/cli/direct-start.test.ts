/**
 * bin/tsemu-<arch> started directly (by a shell, a build script, a test) hands the guest exactly
 * what its caller handed it, as qemu-user does: the environment, unchanged (no PWD set or
 * corrected on the way, which a shell in front of Node would do; Node's own variables reach the
 * guest, not tsemu's Node), and the descriptors above 2
 * (which Node itself marks close-on-exec as it starts; the native launcher that bin/ holds names
 * them to tsemu first). Each run is compared with the host's own programs run the same way and
 * with qemu-aarch64, on Debian's static busybox for arm64.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDebianPackage } from '../lib/debian';
import { AARCH64, tsemuBinary } from '../lib/targets';

let busybox = '';
let cwd = '';

beforeAll(async () => {
  busybox = path.join(await fetchDebianPackage('arm64', 'busybox-static'), 'bin', 'busybox');
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-direct-'));
}, 300_000);
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

/**
 * The environment of every run: PWD names another directory than the one each run starts in, and
 * the variables Node reads for itself are the guest's (NODE_OPTIONS would make Node die at start),
 * and so are GLIBC_TUNABLES and LD_PRELOAD, though the launcher gives tsemu's Node tunables and a
 * preloaded library of its own (LD_PRELOAD empty here: the host's loader of qemu and of the native
 * run reads it too).
 */
const ENV = {
  PATH: '/usr/bin:/bin',
  NODE_OPTIONS: '--require=/nonexistent/guest-setting',
  TSEMU_CACHE: 'off',
  SPACED: 'a b  c',
  UV_THREADPOOL_SIZE: '1',
  GLIBC_TUNABLES: 'glibc.malloc.perturb=0',
  LD_PRELOAD: '',
  EMPTY: '',
  PWD: '/',
};

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What the run wrote to its descriptor 8, when it had one. */
  fd8?: string;
}

function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): Outcome {
  const r = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: 60_000, ...options });
  const fd8 = r.output[8];
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr), ...(fd8 != null ? { fd8: String(fd8) } : {}) };
}

/** `command` run by tsemu started directly, by qemu-aarch64, and natively. */
function threeWays(guest: readonly string[], host: readonly string[], options: SpawnSyncOptions = {}): Outcome[] {
  return [
    run(tsemuBinary(AARCH64), [busybox, ...guest], options),
    run(AARCH64.qemu, [busybox, ...guest], options),
    run(host[0]!, host.slice(1), options),
  ];
}

describe('bin/tsemu-aarch64 started directly', () => {
  it('gives the guest exactly its caller\'s environment', () => {
    const [tsemu, qemu, native] = threeWays(['env'], ['/usr/bin/env']);
    expect(native!.stdout).toContain('PWD=/\n');
    expect(tsemu).toEqual(native);
    // qemu-user hands the guest its environment in reverse order (its envlist), the same variables.
    const lines = (o: Outcome) => o.stdout.split('\n').sort();
    expect(lines(tsemu!)).toEqual(lines(qemu!));
  });

  it('started under another argv[0] (exec -a), still runs as the binary it was executed as', () => {
    const [tsemu, qemu, native] = threeWays(['echo', 'ok'], ['/bin/echo', 'ok'], { argv0: 'renamed-by-caller' });
    expect(native).toEqual({ status: 0, stdout: 'ok\n', stderr: '' });
    expect(tsemu).toEqual(qemu);
    expect(tsemu).toEqual(native);
  });

  it('keeps the descriptors above 2 its caller handed over (sh -c \'echo x >&8\' 8>&1)', () => {
    const stdio: SpawnSyncOptions['stdio'] = ['pipe', 'pipe', 'pipe', 'ignore', 'ignore', 'ignore', 'ignore', 'ignore', 'pipe'];
    const script = 'echo to-8 >&8 && echo done';
    const [tsemu, qemu, native] = threeWays(['sh', '-c', script], ['/bin/sh', '-c', script], { stdio });
    expect(native).toEqual({ status: 0, stdout: 'done\n', stderr: '', fd8: 'to-8\n' });
    expect(tsemu).toEqual(qemu);
    expect(tsemu).toEqual(native);
  });
});
