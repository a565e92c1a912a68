/**
 * Debian's real busybox-static for armhf and for armel (fetched at test time with
 * scripts/fetch-deb.sh) under tsemu-arm and under qemu-arm: common applets run directly and
 * through `sh -c`, in a working directory with fixed fixture files, stdout, stderr and exit status
 * compared, pipelines included.
 */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { fetchDebianPackage } from '../lib/debian';
import { expectOracleEnding, expectSameBehaviour, runSessionUnderBoth } from '../lib/oracle';
import { ARM } from './targets';

const FIXED_TIME = new Date('2021-03-04T05:06:07Z');

async function prepareFixture(dir: string): Promise<void> {
  const at = (p: string): string => path.join(dir, p);
  await writeFile(at('notes.txt'), 'alpha beta\ngamma delta epsilon\n\nZeta eta theta\niota kappa\n');
  await writeFile(at('numbers.txt'), [42, 7, 1000, -3, 7, 15, 0, 256].join('\n') + '\n');
  await writeFile(at('data.csv'), 'root:0:17.5\ndaemon:1:3\nbin:2:99.25\n');
  await mkdir(at('tree/sub'), { recursive: true });
  await writeFile(at('tree/one.txt'), 'one\n');
  await writeFile(at('tree/sub/two.txt'), 'two '.repeat(50));
  for (const f of ['notes.txt', 'numbers.txt', 'data.csv', 'tree/one.txt', 'tree/sub/two.txt', 'tree/sub', 'tree']) {
    await utimes(at(f), FIXED_TIME, FIXED_TIME);
  }
}

interface BusyboxCase {
  title: string;
  argv: string[];
  status?: number;
}

const sh = (title: string, script: string): BusyboxCase => ({ title, argv: ['sh', '-c', script] });

const CASES: BusyboxCase[] = [
  { title: 'uname -m -s', argv: ['uname', '-m', '-s'] },
  { title: 'cat', argv: ['cat', 'notes.txt', 'numbers.txt'] },
  { title: 'head -n 2', argv: ['head', '-n', '2', 'notes.txt'] },
  { title: 'tail -n 3', argv: ['tail', '-n', '3', 'numbers.txt'] },
  { title: 'sort -n', argv: ['sort', '-n', 'numbers.txt'] },
  { title: 'wc', argv: ['wc', 'notes.txt', 'numbers.txt'] },
  { title: 'md5sum', argv: ['md5sum', 'notes.txt', 'data.csv'] },
  { title: 'sha256sum', argv: ['sha256sum', 'numbers.txt'] },
  { title: 'sed substitutions', argv: ['sed', '-e', 's/a/A/g', '-e', '/^$/d', 'notes.txt'] },
  { title: 'awk fields and arithmetic', argv: ['awk', '-F:', '{ s += $3; print $1, $2 * 2 } END { printf "%.2f\\n", s }', 'data.csv'] },
  { title: 'grep -n', argv: ['grep', '-n', 'eta', 'notes.txt'] },
  { title: 'ls -lR of a fixed tree', argv: ['ls', '-lR', 'tree'] },
  { title: 'find', argv: ['find', 'tree'] },
  { title: 'du -a', argv: ['du', '-a', 'tree'] },
  { title: 'expr', argv: ['expr', '6', '*', '7'] },
  { title: 'printf', argv: ['printf', '%05d %x %s\\n', '42', '255', 'str'] },
  { title: 'date of a fixed time', argv: ['date', '-u', '-d', '@1000000000'] },
  { title: 'seq', argv: ['seq', '3', '2', '11'] },
  sh('sh: loops, arithmetic, functions (builtins only)', 'for i in 1 2 3; do echo "item $((i * 7))"; done; f() { echo "fn $#"; return 3; }; f a b; echo "status $?"; x=abcdef; echo ${#x} ${x#ab} ${x%ef}'),
  sh('sh: pipeline', 'seq 5 | tr 0-9 a-j'),
  { title: 'false exits 1', argv: ['false'], status: 1 },
];

for (const debArch of ['armhf', 'armel']) {
  describe(`busybox-static ${debArch}: tsemu-arm vs qemu-arm`, () => {
    let busybox = '';
    beforeAll(async () => {
      busybox = path.join(await fetchDebianPackage(debArch, 'busybox-static'), 'bin', 'busybox');
    }, 300_000);
    for (const c of CASES) {
      it(c.title, async () => {
        const [results] = await runSessionUnderBoth(ARM, {
          prepare: prepareFixture,
          steps: [{ program: busybox, args: c.argv, emulatorArgs: ['-cpu', 'cortex-a15'], timeoutMs: 30_000 }],
        });
        expectOracleEnding(results!.qemu, { status: c.status ?? 0 });
        expectSameBehaviour(results!, true);
      });
    }
  });
}
