/**
 * Debian's real busybox-static for ppc64el (fetched at test time with scripts/fetch-deb.sh) under
 * tsemu-ppc64le and under qemu-ppc64le: applets run directly and through `sh -c` in a working
 * directory holding the same fixture files, each step's stdout, stderr and exit status compared.
 * The applets are those the arm64 busybox test covers (test/e2e/busybox.test.ts); steps that need
 * fork (pipelines, subshells, non-builtin commands from sh) wait for clone like the arm64 ones.
 */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { fetchDebianPackage } from '../lib/debian';
import { expectOracleEnding, expectSameBehaviour, runSessionUnderBoth, type GuestRun } from '../lib/oracle';
import { PPC64LE } from './targets';

const FIXED_TIME = new Date('2021-03-04T05:06:07Z');
const STEP_BUDGET_MS = 60_000;

async function prepareFixture(dir: string): Promise<void> {
  const at = (p: string): string => path.join(dir, p);
  await writeFile(at('notes.txt'), ['alpha beta', 'gamma delta epsilon', '', 'Zeta eta theta', 'iota kappa'].join('\n') + '\n');
  await writeFile(at('numbers.txt'), [42, 7, 1000, -3, 7, 15, 0, 256].join('\n') + '\n');
  await writeFile(at('data.csv'), ['root:0:17.5', 'daemon:1:3', 'bin:2:99.25', 'sys:3:0'].join('\n') + '\n');
  await mkdir(at('tree/sub'), { recursive: true });
  await writeFile(at('tree/one.txt'), 'one\n');
  await writeFile(at('tree/sub/two.txt'), 'two '.repeat(50));
  for (const f of ['notes.txt', 'numbers.txt', 'data.csv', 'tree/one.txt', 'tree/sub/two.txt', 'tree/sub', 'tree']) {
    await utimes(at(f), FIXED_TIME, FIXED_TIME);
  }
}

interface Case {
  title: string;
  steps: { argv: string[]; input?: string }[];
  status?: number;
  knownGap?: string;
}

const bb = (...argv: string[]): { argv: string[] } => ({ argv });
const sh = (script: string): { argv: string[] } => ({ argv: ['sh', '-c', script] });

const CASES: Case[] = [
  { title: 'busybox: no applet prints the banner and applet list', steps: [bb()] },
  {
    title: 'sh: loops, arithmetic, case, functions (builtins only)',
    steps: [sh('for i in 1 2 3; do echo "item $i"; done; x=5; echo $((x * 7 + 1)) $((2 ** 40)) $((-7 / 2)); f() { echo "fn $1 $#"; return 3; }; f a b; echo "status $?"')],
  },
  { title: 'sh: exit status of a script', steps: [sh('exit 7')], status: 7 },
  { title: 'ls -l of a fixed directory', steps: [bb('ls', '-l', 'tree'), bb('ls', '-lR', 'tree')] },
  { title: 'sort: plain, numeric, reverse, keyed, unique', steps: [bb('sort', 'notes.txt'), bb('sort', '-n', 'numbers.txt'), bb('sort', '-rn', 'numbers.txt'), bb('sort', '-t:', '-k3', '-g', 'data.csv'), bb('sort', '-u', 'numbers.txt')] },
  { title: 'sed: substitutions, addresses, deletes', steps: [bb('sed', '-e', 's/a/A/g', '-e', '2d', 'notes.txt'), bb('sed', '-n', '/eta/p', 'notes.txt')] },
  {
    title: 'awk: fields, arithmetic, printf with floats',
    steps: [bb('awk', '-F:', '{ s += $3; printf "%s %.3f %d\\n", toupper($1), $3 / 3, length($1) } END { print s, s / NR }', 'data.csv')],
  },
  { title: 'md5sum and sha256sum', steps: [bb('md5sum', 'notes.txt', 'data.csv'), bb('sha256sum', 'numbers.txt')] },
  { title: 'gzip/gunzip round trip through files', steps: [bb('gzip', '-k', 'notes.txt'), bb('gunzip', '-c', 'notes.txt.gz')] },
  { title: 'wc, cut, uniq, tr', steps: [bb('wc', 'notes.txt', 'data.csv'), bb('cut', '-d:', '-f1,3', 'data.csv'), bb('uniq', '-c', 'numbers.txt'), { argv: ['tr', 'a-z', 'A-Z'], input: 'hello tr\n' }] },
  { title: 'expr and seq', steps: [bb('expr', '7', '*', '6'), bb('expr', 'length', 'hello'), bb('seq', '-w', '1', '3', '11'), bb('seq', '0.5', '0.25', '1.5')] },
  { title: 'find: names and types', steps: [bb('find', 'tree', '-name', '*.txt'), bb('find', 'tree', '-type', 'd')] },
  { title: 'od, hexdump, head, tail, cat', steps: [bb('od', '-x', 'numbers.txt'), bb('hexdump', '-C', 'data.csv'), bb('head', '-n', '2', 'notes.txt'), bb('tail', '-c', '20', 'notes.txt'), bb('cat', 'tree/one.txt')] },
  { title: 'printf, echo, basename, dirname', steps: [bb('printf', '%5.2f|%x|%s\\n', '3.14159', '255', 'str'), bb('echo', '-n', 'no newline'), bb('basename', '/a/b/c.txt', '.txt'), bb('dirname', '/a/b/c.txt')] },
  { title: 'test: true and false comparisons', steps: [bb('test', '3', '-lt', '5'), bb('[', 'abc', '=', 'abd', ']')], status: 1 },
  { title: 'grep: patterns, counts, line numbers', steps: [bb('grep', '-n', 'eta', 'notes.txt'), bb('grep', '-c', '-v', 'a', 'notes.txt')] },
  { title: 'date: fixed timestamps', steps: [bb('date', '-u', '-d', '@1000000000'), bb('date', '-u', '-d', '@0', '+%Y-%m-%d %H:%M:%S %j %a')] },
  { title: 'file management: mkdir, cp, mv, ln, rm, touch, stat', steps: [bb('mkdir', '-p', 'd/e'), bb('cp', 'notes.txt', 'd/e/n'), bb('mv', 'd/e/n', 'd/m'), bb('ln', '-s', 'm', 'd/l'), bb('ls', 'd'), bb('rm', '-r', 'd'), bb('ls')] },
  { title: 'uname -m says ppc64le', steps: [bb('uname', '-m')] },
  { title: 'sh: pipelines', steps: [sh('sort numbers.txt | head -n 3')] },
];

describe(`Debian busybox-static (${PPC64LE.debArch}): tsemu vs ${PPC64LE.qemu}`, () => {
  let busybox = '';

  beforeAll(async () => {
    const root = await fetchDebianPackage(PPC64LE.debArch, 'busybox-static');
    busybox = path.join(root, 'bin', 'busybox');
  });

  for (const c of CASES) {
    const test = c.knownGap ? it.fails : it;
    const title = c.knownGap ? `${c.title} (known gap: ${c.knownGap})` : c.title;
    test.concurrent(
      title,
      async () => {
        const steps: GuestRun[] = c.steps.map((s) => ({ program: busybox, args: s.argv, input: s.input, timeoutMs: c.knownGap ? 15_000 : STEP_BUDGET_MS }));
        const results = await runSessionUnderBoth(PPC64LE, { prepare: prepareFixture, steps });
        expectOracleEnding(results[results.length - 1]!.qemu, { status: c.status ?? 0 });
        results.forEach((r) => expectSameBehaviour(r, true));
      },
      STEP_BUDGET_MS * 8,
    );
  }
});
