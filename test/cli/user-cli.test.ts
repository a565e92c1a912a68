/**
 * The user-mode command line as a user meets it: bad programs and bad options give one clear line
 * on stderr and exit status 1 (as qemu-aarch64 does), never a stack trace; -version and -h work.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_SCRIPTS } from '../../src/install-root';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'tsemu-aarch64');
const example = path.join(root, 'examples', 'hello-aarch64');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A refusal: one line on stderr, no stack trace, and `status` (QEMU's for the same input: 255 for an ELF image it cannot load). */
function expectOneLineError(args: string[], pattern: RegExp, status = 1): void {
  const r = run(args);
  expect(r.status).toBe(status);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('tsemu-aarch64 command line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-cli-'));
  const good = fs.readFileSync(example);

  it('runs the shipped example', () => {
    const r = run([example]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Hello from AArch64, translated by tsemu!\n');
  });

  it('started by a plain `node` (without the V8 flags fork needs) restarts itself with them, stdio and status intact', () => {
    const script = path.join(root, ENTRY_SCRIPTS, 'tsemu-aarch64');
    const r = spawnSync(process.execPath, [script, example], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Hello from AArch64, translated by tsemu!\n');
    expect(r.stderr).toBe('');
  });

  it('refuses a truncated ELF file', () => {
    const file = path.join(dir, 'truncated');
    fs.writeFileSync(file, good.subarray(0, 40));
    expectOneLineError([file], /^tsemu-aarch64: .*truncated: /);
  });

  it('refuses an ELF file of another machine with status 255, as qemu-aarch64 does', () => {
    expect(spawnSync('qemu-aarch64', ['/bin/true']).status).toBe(255);
    expectOneLineError(['/bin/true'], /wrong architecture/, 255);
  });

  it('ends with status 255 when the dynamic loader is missing, as qemu-aarch64 does', () => {
    const source = path.join(dir, 'dynamic.c');
    const program = path.join(dir, 'dynamic');
    fs.writeFileSync(source, 'int main(void) { return 0; }\n');
    expect(spawnSync('aarch64-linux-gnu-gcc', ['-o', program, source]).status).toBe(0);
    // The host has no /lib/ld-linux-aarch64.so.1, and no -L names a sysroot.
    expect(spawnSync('qemu-aarch64', [program]).status).toBe(255);
    expectOneLineError([program], /ld-linux-aarch64\.so\.1: No such file or directory/, 255);
  });

  it('refuses a missing file and a directory', () => {
    expectOneLineError([path.join(dir, 'missing')], /No such file or directory/);
    expectOneLineError([dir], /Is a directory/);
  });

  it('refuses program headers pointing past the end of the file', () => {
    const file = path.join(dir, 'bad-phoff');
    const bytes = Buffer.from(good);
    bytes.writeBigUInt64LE(BigInt(bytes.length + 4096), 32);
    fs.writeFileSync(file, bytes);
    fs.chmodSync(file, 0o755);
    expect(spawnSync('qemu-aarch64', [file]).status).toBe(255);
    expectOneLineError([file], /^tsemu-aarch64: /, 255);
  });

  it('refuses an unknown option', () => {
    expectOneLineError(['-no-such-option', example], /unknown option/);
  });

  it('prints its version and help', () => {
    expect(run(['-version']).stdout).toMatch(/^tsemu-aarch64 version \d+\.\d+\.\d+/);
    const help = run(['-h']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: tsemu-aarch64 \[options\] program/);
    for (const option of ['-L path', '-E var=value', '-U var', '-0 argv0', '-strace', '-one-insn-per-tb']) {
      expect(help.stdout).toContain(option);
    }
  });

  it('passes -0 as argv[0] and runs with -one-insn-per-tb', () => {
    const r = run(['-one-insn-per-tb', '-0', 'renamed', example]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Hello from AArch64, translated by tsemu!\n');
  });
});

describe('tsemu-aarch64 -r', () => {
  it('sets the release uname reports, as qemu -r does', () => {
    const r = spawnSync(
      bin,
      ['-r', '9.9.9-tsemu', path.join(root, 'test/guest/build/aarch64/sysinfo')],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const q = spawnSync('qemu-aarch64', ['-r', '9.9.9-tsemu', path.join(root, 'test/guest/build/aarch64/sysinfo')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(q.stdout).toContain('9.9.9-tsemu');
    expect(r.stdout.split('\n').filter((l) => l.includes('9.9.9-tsemu'))).toEqual(
      q.stdout.split('\n').filter((l) => l.includes('9.9.9-tsemu')),
    );
  });
});
