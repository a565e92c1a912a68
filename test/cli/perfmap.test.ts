/**
 * -perfmap (TSEMU_PERFMAP, QEMU_PERFMAP), qemu's option for perf: the run writes /tmp/perf-<pid>.map,
 * where perf finds names for the code generated at run time. tsemu has V8 write it (Node restarted
 * with --perf-basic-prof) and names each generated function by the guest pc it runs (b_<pc>, a
 * block). The guest's output and status stay qemu-aarch64's; without the option no map is written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AARCH64, guestProgram, tsemuBinary } from '../lib/targets';

/** sha256 hashes in loops: its blocks turn hot and are compiled. */
const program = guestProgram(AARCH64, 'sha256');

/** The executable segment [start, end) of a static ELF64 little-endian program. */
function textRange(file: string): [number, number] {
  const elf = fs.readFileSync(file);
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  for (let i = 0; i < elf.readUInt16LE(56); i++) {
    const at = phoff + i * phentsize;
    const executable = (elf.readUInt32LE(at + 4) & 1) !== 0;
    if (elf.readUInt32LE(at) === 1 && executable) {
      const start = Number(elf.readBigUInt64LE(at + 16));
      return [start, start + Number(elf.readBigUInt64LE(at + 40))];
    }
  }
  throw new Error(`${file}: no executable segment`);
}

/** Runs tsemu with `args` and `env`; the run and the perf map it left (removed here), if any. */
function runWithMap(
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string; map: string | undefined } {
  const r = spawnSync(tsemuBinary(AARCH64), args, {
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TSEMU_CACHE: 'off', ...env },
  });
  const file = `/tmp/perf-${r.pid}.map`;
  const map = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  fs.rmSync(file, { force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, map };
}

describe('tsemu-aarch64 -perfmap', () => {
  const oracle = spawnSync('qemu-aarch64', [program], { encoding: 'utf8' });

  it('writes /tmp/perf-<pid>.map naming compiled blocks by guest pc; the run is as under qemu', () => {
    const r = runWithMap(['-perfmap', program], {});
    expect(r.stdout).toBe(oracle.stdout);
    expect(r.stderr).toBe(oracle.stderr);
    expect(r.status).toBe(oracle.status);
    expect(r.map).toBeDefined();
    // perf's map format: start, size (hex), name.
    const named = r.map!.matchAll(/^[0-9a-f]+ [0-9a-f]+ JS:b_([0-9a-f]+)-\d+-(?:liftoff|turbofan)$/gm);
    const blocks = [...named].map((m) => parseInt(m[1]!, 16));
    expect(blocks.length).toBeGreaterThan(0);
    const [start, end] = textRange(program);
    expect(blocks.every((pc) => pc >= start && pc < end)).toBe(true);
    expect(r.map).toMatch(/ JS:dispatcher-\d+-turbofan$/m);
  });

  it('is turned on by TSEMU_PERFMAP and by QEMU_PERFMAP too, and off without them', () => {
    for (const variable of ['TSEMU_PERFMAP', 'QEMU_PERFMAP']) {
      const r = runWithMap([program], { [variable]: '1' });
      expect(r.stdout).toBe(oracle.stdout);
      expect(r.map).toMatch(/ JS:b_[0-9a-f]+-/);
    }
    const plain = runWithMap([program], {});
    expect(plain.stdout).toBe(oracle.stdout);
    expect(plain.map).toBeUndefined();
  });
});
