/**
 * Dynamically linked guests: the program's PT_INTERP (ld.so) is loaded from the -L sysroot that
 * Debian's cross libc installs, and the result must match qemu-aarch64 with the same -L.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');
const sysroot = '/usr/aarch64-linux-gnu';
const sources = ['hello', 'sha256', 'qsort_bsearch', 'strings', 'float_printf'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-dyn-'));

function run(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null; signal: string | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, cwd: dir, maxBuffer: 64 << 20 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

describe('dynamically linked aarch64 programs with -L (vs qemu-aarch64 -L)', () => {
  beforeAll(() => {
    for (const name of sources) {
      execFileSync('aarch64-linux-gnu-gcc', [
        '-O2',
        '-o',
        path.join(dir, name),
        path.join(root, 'test', 'guest', 'common', `${name}.c`),
        '-lm',
      ]);
    }
  });

  for (const name of sources) {
    it(`${name}: same stdout, stderr and exit status`, () => {
      const program = path.join(dir, name);
      const qemu = run('qemu-aarch64', ['-L', sysroot, program]);
      const tsemu = run(path.join(root, 'bin', 'tsemu-aarch64'), ['-L', sysroot, program]);
      expect(qemu.status).toBe(0);
      expect(tsemu.stdout).toBe(qemu.stdout);
      expect(tsemu.stderr).toBe(qemu.stderr);
      expect([tsemu.status, tsemu.signal]).toEqual([qemu.status, qemu.signal]);
    });
  }
});
