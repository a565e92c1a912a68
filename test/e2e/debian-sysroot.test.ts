/**
 * Real, unmodified Debian arm64 programs, dynamically linked, with a sysroot made at test time
 * from Debian's .deb files (libc6 and each program's packages, fetched by scripts/fetch-deb.sh):
 * sqlite3, perl, gzip and coreutils on their own against qemu-aarch64 with the same -L; bash with
 * pipelines, command substitution and subshells against the host's own bash (the same Debian
 * release), because those fork and exec guest programs, which qemu-aarch64 without binfmt_misc
 * hands to the host kernel, which refuses them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDebianPackageInto } from '../lib/debian';
import { runProcess, type RunResult } from '../lib/run-process';
import { REPO_ROOT } from '../lib/targets';

/** The sysroot's packages: the programs and the libraries they load. */
const PACKAGES = [
  'libc6', 'libtinfo6', 'bash', 'coreutils', 'libacl1', 'libattr1', 'libgmp10', 'libselinux1', 'libpcre2-8-0',
  'gzip', 'sqlite3', 'libsqlite3-0', 'libreadline8', 'zlib1g', 'perl-base', 'libcrypt1',
];
const SYSROOT = path.join(REPO_ROOT, '.cache', 'debs', 'arm64', 'sysroot');
const TSEMU = path.join(REPO_ROOT, 'bin', 'tsemu-aarch64');
const ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' };

let work = '';

async function run(command: string, args: string[]): Promise<RunResult> {
  return runProcess(command, { args, cwd: work, env: ENV, timeoutMs: 240_000 });
}

function expectSame(tsemu: RunResult, oracle: RunResult): void {
  expect(oracle.status).toBe(0);
  expect(tsemu.stdout).toBe(oracle.stdout);
  expect(tsemu.stderr).toBe(oracle.stderr);
  expect(tsemu.status).toBe(oracle.status);
}

beforeAll(async () => {
  for (const pkg of PACKAGES) await fetchDebianPackageInto('arm64', pkg, SYSROOT);
  work = mkdtempSync(path.join(os.tmpdir(), 'tsemu-sysroot-'));
  writeFileSync(path.join(work, 'words.txt'), 'pear\napple\nfig\napple\nkiwi\n');
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Programs that do not start others: tsemu -L vs qemu-aarch64 -L. */
const SINGLE: { title: string; program: string; args: string[] }[] = [
  {
    title: 'sqlite3: create, insert, query',
    program: '/usr/bin/sqlite3',
    args: [':memory:', "create table t(a, b); insert into t values (1, 'x'), (2, 'y'), (3, 'z'); select b, a * 10 from t where a > 1 order by a desc; select count(*), sum(a), group_concat(b) from t;"],
  },
  {
    title: 'perl: hashes, sort, sprintf',
    program: '/usr/bin/perl',
    args: ['-e', 'my %h; $h{$_}++ for split //, "hello world"; print join(",", map { "$_=$h{$_}" } sort keys %h), "\\n"; printf("%.6f\\n", atan2(1, 1) * 4);'],
  },
  { title: 'coreutils sort', program: '/usr/bin/sort', args: ['-r', 'words.txt'] },
  { title: 'coreutils sha256sum', program: '/usr/bin/sha256sum', args: ['words.txt'] },
  { title: 'coreutils date', program: '/bin/date', args: ['-u', '-d', '@86400', '+%F %T %A'] },
  { title: 'gzip -9 -n', program: '/bin/gzip', args: ['-9', '-c', '-n', 'words.txt'] },
];

describe('Debian arm64 programs with a .deb sysroot: tsemu-aarch64 -L vs qemu-aarch64 -L', () => {
  for (const c of SINGLE) {
    it(c.title, async () => {
      const guest = path.join(SYSROOT, c.program);
      const [tsemu, qemu] = await Promise.all([run(TSEMU, ['-L', SYSROOT, guest, ...c.args]), run('qemu-aarch64', ['-L', SYSROOT, guest, ...c.args])]);
      expectSame(tsemu, qemu);
    });
  }
});

describe('Debian arm64 bash with pipelines and subshells: tsemu-aarch64 -L vs the host bash', () => {
  const script = [
    'sort words.txt | uniq -c | sort -k1,1nr -k2 | head -n 2',
    'n=$(wc -l < words.txt); echo "lines $n"',
    '(cd / && pwd); echo "back in $(basename "$PWD" | cut -c1-13)"',
    'ls -l words.txt | cut -d" " -f1,5',
    'echo data | gzip -c | gzip -dc | tr a-z A-Z',
    'for f in a b; do echo "$f" & done; wait',
    'false || echo "status $?"',
  ].join('\n');

  it('bash -c with a pipeline, command substitution, a subshell and background jobs', async () => {
    const [tsemu, host] = await Promise.all([run(TSEMU, ['-L', SYSROOT, path.join(SYSROOT, 'bin/bash'), '-c', script]), run('/bin/bash', ['-c', script])]);
    expect(host.status).toBe(0);
    // Background jobs may finish in either order; everything else is in order.
    const normalise = (s: string) => s.replace(/^(a|b)\n(a|b)\n/m, 'a|b\na|b\n');
    expect(normalise(tsemu.stdout)).toBe(normalise(host.stdout));
    expect(tsemu.stderr).toBe(host.stderr);
    expect(tsemu.status).toBe(host.status);
  });
});
