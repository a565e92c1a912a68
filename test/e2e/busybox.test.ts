/**
 * Debian's real busybox-static for arm64 (fetched at test time with scripts/fetch-deb.sh) under
 * tsemu and under qemu-aarch64: applets run directly (`busybox APPLET ...`) and through `sh -c`,
 * in a working directory holding the same fixture files with fixed contents and mtimes, each
 * step's stdout, stderr and exit status compared.
 */
import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { fetchDebianPackage } from '../lib/debian';
import { expectOracleEnding, expectSameBehaviour, runSessionUnderBoth, type GuestRun } from '../lib/oracle';
import { AARCH64 } from '../lib/targets';

/** One busybox invocation: the applet and its arguments, optionally with stdin. */
interface Step {
  argv: string[];
  input?: string;
}

interface BusyboxCase {
  title: string;
  steps: Step[];
  /** Exit status of the last step under the oracle (0 when absent). */
  status?: number;
  /** A known tsemu gap: the test is it.fails with this reason until the gap is closed. */
  knownGap?: string;
}

const FIXED_TIME = new Date('2021-03-04T05:06:07Z');
/** Time allowed per busybox step under tsemu; a case may take several steps. */
const STEP_BUDGET_MS = 60_000;
/** Known gaps may hang; they get less time so they do not dominate the suite's run time. */
const GAP_STEP_BUDGET_MS = 15_000;

const NOTES = ['alpha beta', 'gamma delta epsilon', '', 'Zeta eta theta', 'iota kappa', 'lambda mu nu xi', 'omicron pi'];
const CSV = ['root:0:17.5', 'daemon:1:3', 'bin:2:99.25', 'sys:3:0', 'sync:4:-4.5', 'games:5:42', 'man:6:7'];
const WORDS = ['apple', 'apple', 'banana', 'cherry', 'cherry', 'cherry', 'date', 'elder', 'elder'];

function generatedBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 0x12345678;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** The working directory every case starts from; all mtimes fixed so listings are deterministic. */
async function prepareFixture(dir: string): Promise<void> {
  const at = (p: string) => path.join(dir, p);
  await writeFile(at('notes.txt'), NOTES.join('\n') + '\n');
  await writeFile(at('data.csv'), CSV.join('\n') + '\n');
  await writeFile(at('numbers.txt'), [42, 7, 1000, -3, 7, 15, 0, 256, 99, 8].join('\n') + '\n');
  await writeFile(at('words.txt'), WORDS.join('\n') + '\n');
  await writeFile(at('binary.bin'), generatedBytes(3000));
  await mkdir(at('tree/sub/deeper'), { recursive: true });
  await writeFile(at('tree/one.txt'), 'one\n');
  await writeFile(at('tree/two.log'), 'two\ntwo\n');
  await writeFile(at('tree/sub/three.txt'), 'three '.repeat(100));
  await writeFile(at('tree/sub/deeper/four.txt'), '');
  await symlink('one.txt', at('tree/link-to-one'));
  const files = ['notes.txt', 'data.csv', 'numbers.txt', 'words.txt', 'binary.bin', 'tree/one.txt', 'tree/two.log',
    'tree/sub/three.txt', 'tree/sub/deeper/four.txt', 'tree/sub/deeper', 'tree/sub', 'tree'];
  for (const f of files) await utimes(at(f), FIXED_TIME, FIXED_TIME);
}

const bb = (...argv: string[]): Step => ({ argv });
const sh = (script: string): Step => ({ argv: ['sh', '-c', script] });

const CASES: BusyboxCase[] = [
  { title: 'busybox: no applet prints the banner and applet list', steps: [bb()] },
  {
    title: 'sh: for loops, arithmetic, case, functions, variables (builtins only)',
    steps: [
      sh(
        'for i in 1 2 3; do echo "item $i"; done; x=5; echo $((x * 7 + 1)) $((2 ** 40)) $((-7 / 2)) $((-7 % 2)) $((1 << 62));' +
          ' case foo.txt in *.log) echo log;; f*.txt) echo text;; esac; f() { echo "fn $1 $#"; return 3; }; f a b c;' +
          ' echo "status $?"; s=""; i=0; while [ $i -lt 5 ]; do s="$s$i"; i=$((i + 1)); done; echo "$s ${#s} ${s#01} ${s%34}";' +
          ' set -- p q r; shift; echo "$@" $#; printf "%s|%5.2f|%x\\n" str 3.14159 255; test -f notes.txt && echo exists',
      ),
    ],
  },
  { title: 'sh: exit status of a script', steps: [sh('echo before; exit 7; echo after')], status: 7 },
  { title: 'sh: output redirections and appends', steps: [sh('echo hello > out.txt; echo more >> out.txt; echo to-stderr >&2'), bb('cat', 'out.txt')] },
  { title: 'sh: numbered descriptors (exec 4>>file)', steps: [sh('exec 4>>out.txt; echo via-fd4 >&4; exec 4>&-'), bb('cat', 'out.txt')] },
  { title: 'sh: read loop over a here-document', steps: [sh('while read a b; do echo "[$b] [$a]"; done <<EOF\none 1\ntwo 2\nthree\nEOF')] },
  { title: 'sh: read from a file redirection', steps: [sh('echo hello > out.txt; read first < out.txt; echo "$first"')] },
  { title: 'sh: command substitution $(...)', steps: [sh('v=$(echo inner); echo "[$v]"; n=$(wc -l < notes.txt); echo "lines $n"')] },
  { title: 'sh: pipelines', steps: [sh('seq 20 | sort -rn | head -n 3; cat words.txt | uniq -c | sort -k1,1nr -k2 | head -n 2')] },
  { title: 'ls -l of a fixed directory with fixed mtimes', steps: [bb('ls', '-l', 'tree'), bb('ls', '-la', 'tree/sub'), bb('ls', '-1R', 'tree')] },
  { title: 'ls --full-time and inode-free long listing of files', steps: [bb('ls', '-l', '--full-time', 'notes.txt', 'data.csv', 'binary.bin')] },
  { title: 'sort: plain, numeric, reverse, keyed, unique', steps: [bb('sort', 'notes.txt'), bb('sort', '-n', 'numbers.txt'), bb('sort', '-rn', 'numbers.txt'), bb('sort', '-t:', '-k3,3g', 'data.csv'), bb('sort', '-u', 'words.txt')] },
  { title: 'sed: substitutions, addresses, deletes, hold space', steps: [bb('sed', '-e', 's/a/A/g', '-e', '3d', 'notes.txt'), bb('sed', '-n', '/eta/p', 'notes.txt'), bb('sed', '-n', '1!G;h;$p', 'words.txt'), bb('sed', 's/\\([a-z]*\\):\\([0-9]*\\).*/\\2=\\1/', 'data.csv')] },
  {
    title: 'awk: fields, arithmetic, printf with floats, arrays, string functions',
    steps: [
      bb('awk', '-F:', '{ s += $3; n[$2 % 2]++ } END { printf "%.3f %d %d %d\\n", s, NR, n[0], n[1] }', 'data.csv'),
      bb('awk', 'BEGIN { for (i = 1; i <= 6; i++) printf "%d %.6f %s %e\\n", i, i / 7 * 3.5, substr("abcdefgh", i, 3), i * 1e30 / 7 }'),
      bb('awk', '{ print NR ": " toupper($1) " " length($0) " " index($0, "a") }', 'notes.txt'),
      bb('awk', 'BEGIN { x = 9007199254740993; printf "%d %.0f %g %s\\n", 1e6, x, 0.1 + 0.2, 1 / 3; print int(-3.7), -7 % 3, 017 }'),
    ],
  },
  { title: 'md5sum and sha256sum', steps: [bb('md5sum', 'notes.txt', 'binary.bin'), bb('sha256sum', 'data.csv', 'binary.bin'), bb('sha1sum', 'binary.bin'), bb('sha512sum', 'words.txt')] },
  {
    title: 'gzip/gunzip round trip through files',
    steps: [bb('gzip', '-9', 'binary.bin'), bb('stat', '-c', '%n %s %a %F', 'binary.bin.gz'), bb('md5sum', 'binary.bin.gz'), bb('gunzip', 'binary.bin.gz'), bb('md5sum', 'binary.bin'), bb('gzip', '-t', 'notes.txt')],
    status: 1,
  },
  { title: 'bzip2 round trip through files', steps: [bb('bzip2', '-k', 'notes.txt'), bb('md5sum', 'notes.txt.bz2'), bb('bunzip2', '-c', 'notes.txt.bz2')] },
  { title: 'wc: lines, words, bytes', steps: [bb('wc', 'notes.txt', 'data.csv', 'binary.bin'), bb('wc', '-l', 'words.txt'), bb('wc', '-c', 'binary.bin')] },
  { title: 'expr: arithmetic, length, match', steps: [bb('expr', '6', '*', '7'), bb('expr', 'length', 'abcdef'), bb('expr', '12345', ':', '\\([0-9]\\{3\\}\\)'), bb('expr', '-9223372036854775807', '-', '1'), bb('expr', '1', '/', '0')], status: 2 },
  { title: 'seq: ranges, steps, widths, fractions', steps: [bb('seq', '5'), bb('seq', '1', '3', '20'), bb('seq', '-w', '8', '11'), bb('seq', '0.5', '0.25', '1.5'), bb('seq', '-s,', '3', '-1', '-3')] },
  { title: 'find: names, types, sizes', steps: [bb('find', 'tree', '-name', '*.txt', '-type', 'f'), bb('find', 'tree', '-type', 'd'), bb('find', 'tree', '-size', '+1c', '-type', 'f'), bb('find', 'tree', '-type', 'l')] },
  {
    title: 'tar: create and list',
    steps: [bb('tar', '-cf', 'a.tar', 'tree'), bb('tar', '-tf', 'a.tar'), bb('tar', '-tvf', 'a.tar'), bb('mkdir', 'out'), bb('tar', '-xf', 'a.tar', '-C', 'out'), bb('cat', 'out/tree/sub/three.txt')],
  },
  { title: 'cat, head and tail', steps: [bb('cat', '-n', 'notes.txt'), bb('head', '-n', '3', 'notes.txt'), bb('head', '-c', '10', 'data.csv'), bb('tail', '-n', '2', 'notes.txt'), bb('tail', '-c', '12', 'data.csv'), bb('tail', '-n', '+6', 'words.txt')] },
  { title: 'tr: translate, delete, squeeze (stdin)', steps: [{ argv: ['tr', 'a-z', 'A-Z'], input: NOTES.join('\n') }, { argv: ['tr', '-d', 'aeiou'], input: 'education is valuable\n' }, { argv: ['tr', '-s', ' '], input: 'a   b      c\n' }] },
  { title: 'cut: fields and characters', steps: [bb('cut', '-d:', '-f1,3', 'data.csv'), bb('cut', '-c2-4', 'notes.txt')] },
  { title: 'uniq: counts, duplicates, uniques', steps: [bb('uniq', '-c', 'words.txt'), bb('uniq', '-d', 'words.txt'), bb('uniq', '-u', 'words.txt')] },
  { title: 'od and hexdump', steps: [bb('od', '-A', 'x', '-t', 'x1z', '-N', '64', 'binary.bin'), bb('od', '-c', 'notes.txt'), bb('hexdump', '-C', '-n', '100', 'binary.bin')] },
  { title: 'basename and dirname', steps: [bb('basename', '/usr/lib/file.tar.gz', '.gz'), bb('basename', 'dir/'), bb('dirname', '/usr/lib/file'), bb('dirname', 'plain')] },
  { title: 'printf and echo', steps: [bb('printf', '%s=%d %5.2f %x %o %c|%-6s|\\n', 'a', '42', '3.14159', '255', '8', 'zed', 'pad'), bb('printf', '%e %g\\n', '123456.789', '0.0001'), bb('echo', '-n', 'no newline'), bb('echo', '-e', 'tab\\there\\nnext')] },
  { title: 'true exits 0', steps: [bb('true')] },
  { title: 'false exits 1', steps: [bb('false')], status: 1 },
  { title: 'test and [: true comparison', steps: [bb('test', '3', '-gt', '2'), bb('[', '-f', 'notes.txt', ']'), bb('[', '-d', 'tree', '-a', '-L', 'tree/link-to-one', ']')] },
  { title: 'test and [: false comparison', steps: [bb('[', 'abc', '=', 'abd', ']')], status: 1 },
  { title: 'grep: patterns, counts, line numbers', steps: [bb('grep', '-n', 'a', 'notes.txt'), bb('grep', '-c', '-i', 'z', 'notes.txt'), bb('grep', '-E', '^[a-c]', 'words.txt'), bb('grep', '-r', '-l', 'two', 'tree'), bb('grep', 'nomatch', 'notes.txt')], status: 1 },
  { title: 'date: fixed timestamps', steps: [bb('date', '-u', '-d', '@1234567890'), bb('date', '-u', '-d', '@0', '+%Y-%m-%d %H:%M:%S %j %a'), bb('date', '-u', '-d', '2020-02-29 12:34:56', '+%s')] },
  { title: 'stat, cmp and diff', steps: [bb('stat', '-c', '%n %s %a %F %Y', 'notes.txt', 'tree', 'tree/link-to-one'), bb('cmp', 'notes.txt', 'words.txt'), bb('diff', '-u', 'notes.txt', 'words.txt')], status: 1 },
  { title: 'file management: mkdir, cp, mv, ln, rm, touch', steps: [bb('mkdir', '-p', 'x/y/z'), bb('cp', 'notes.txt', 'x/y/z/copy'), bb('mv', 'x/y/z/copy', 'x/moved'), bb('ln', '-s', 'moved', 'x/sym'), bb('touch', '-d', '2001-02-03 04:05:06', 'x/moved'), bb('ls', '-R', 'x'), bb('stat', '-c', '%n %s %a %F %Y', 'x/moved'), bb('stat', '-c', '%n %s %a %F', 'x/sym', 'x/y'), bb('readlink', 'x/sym'), bb('rm', '-r', 'x'), bb('ls', 'x')], status: 1 },
];

describe(`Debian busybox-static (${AARCH64.debArch}): tsemu vs ${AARCH64.qemu}`, () => {
  let busybox = '';

  beforeAll(async () => {
    const root = await fetchDebianPackage(AARCH64.debArch, 'busybox-static');
    busybox = path.join(root, 'bin', 'busybox');
  });

  for (const c of CASES) {
    const test = c.knownGap ? it.fails : it;
    const title = c.knownGap ? `${c.title} (known gap: ${c.knownGap})` : c.title;
    const budget = c.knownGap ? GAP_STEP_BUDGET_MS : STEP_BUDGET_MS;
    test(title, async () => {
      const steps: GuestRun[] = c.steps.map((s) => ({ program: busybox, args: s.argv, input: s.input, timeoutMs: budget }));
      const results = await runSessionUnderBoth(AARCH64, { prepare: prepareFixture, steps });
      expectOracleEnding(results[results.length - 1]!.qemu, { status: c.status ?? 0 });
      results.forEach((r) => expectSameBehaviour(r, true));
    }, budget * 8);
  }
});
