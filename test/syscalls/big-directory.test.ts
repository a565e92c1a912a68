/**
 * 32-bit ARM guests reading a 10,000-entry directory on the host's filesystem (ext4 here: hashed
 * 64-bit directory cookies) with Debian's busybox-static for armhf and armel: `ls`, `find` and
 * `du -s` see every entry, with no EOVERFLOW (issue 11). The oracle is the directory the test made
 * (10,000 files; find adds the directory itself) and the host's own du.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARM } from '../arm/targets';
import { fetchDebianPackage } from '../lib/debian';
import { runProcess } from '../lib/run-process';
import { tsemuBinary } from '../lib/targets';

const ENTRIES = 10_000;
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tsemu-bigdir-'));
  for (let i = 0; i < ENTRIES; i++) writeFileSync(path.join(dir, `entry-${i}`), '');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const debArch of ['armhf', 'armel']) {
  describe(`busybox-static ${debArch} on a ${ENTRIES}-entry directory`, () => {
    let busybox = '';
    beforeAll(async () => {
      busybox = path.join(await fetchDebianPackage(debArch, 'busybox-static'), 'bin', 'busybox');
    }, 300_000);

    const run = async (...args: string[]) => {
      const r = await runProcess(tsemuBinary(ARM), { args: [busybox, ...args], cwd: dir, env: {}, timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return r.stdout;
    };

    it('ls lists every entry', async () => {
      expect((await run('ls')).trim().split('\n').length).toBe(ENTRIES);
    });

    it('find walks every entry', async () => {
      expect((await run('find', '.')).trim().split('\n').length).toBe(ENTRIES + 1);
    });

    it('du -s totals what the host du totals', async () => {
      const host = execFileSync('du', ['-s', '.'], { cwd: dir, encoding: 'utf8' });
      expect(await run('du', '-s', '.')).toBe(host);
    });
  });
}
