/**
 * fork, vfork, posix_spawn, execve and waitpid across every target: test/guest/common/exec_chain.c
 * re-executes itself through /proc/self/exe, runs a `#!` script whose interpreter is itself, runs
 * a host shell, spawns itself, pipes two copies of itself together and checks execve's errors.
 * The oracle is the native kernel: the same source built for the host. (qemu-user cannot be the
 * oracle here: without binfmt_misc it hands a guest binary to the host kernel, which refuses it.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARM_BUILDS } from '../arm/targets';
import { AARCH64, REPO_ROOT, type GuestTarget } from '../lib/targets';
import { runProcess, type RunResult } from '../lib/run-process';
import { PPC64, PPC64LE } from '../ppc64/targets';

const SOURCE = path.join(REPO_ROOT, 'test', 'guest', 'common', 'exec_chain.c');
const BUILD_DIR = path.join(REPO_ROOT, 'test', 'guest', 'build', 'processes');

/** Each build: the compiler and flags, and the tsemu binary that runs it. */
const BUILDS: { title: string; target: GuestTarget; emulator: string }[] = [
  { title: 'aarch64', target: AARCH64, emulator: 'tsemu-aarch64' },
  { title: 'ppc64', target: PPC64, emulator: 'tsemu-ppc64' },
  { title: 'ppc64le', target: PPC64LE, emulator: 'tsemu-ppc64le' },
  ...ARM_BUILDS.map((b) => ({ title: b.title, target: b.target, emulator: 'tsemu-arm' })),
];

function build(name: string, cc: string, flags: readonly string[]): string {
  const dir = path.join(BUILD_DIR, name);
  mkdirSync(dir, { recursive: true });
  const output = path.join(dir, 'exec_chain');
  execFileSync(cc, [...flags, '-o', output, SOURCE]);
  return output;
}

const workDirs: string[] = [];

async function runIn(command: string, args: string[] = []): Promise<RunResult> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'tsemu-exec-'));
  workDirs.push(cwd);
  return runProcess(command, { args, cwd, env: { PATH: '/usr/bin:/bin' }, timeoutMs: 90_000 });
}

let native: RunResult;

beforeAll(async () => {
  native = await runIn(build('native', 'gcc', ['-O2']));
  expect(native.status).toBe(0);
}, 120_000);

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe('exec_chain: fork, vfork, posix_spawn, execve and waitpid vs the native kernel', () => {
  for (const b of BUILDS) {
    it(b.title, async () => {
      const program = build(b.target.name, b.target.cc, b.target.cflags);
      const result = await runIn(path.join(REPO_ROOT, 'bin', b.emulator), [program]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(native.stdout);
      expect(result.status).toBe(0);
    });
  }
});
