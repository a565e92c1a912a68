/**
 * Every user-mode target the syscall tests run on (aarch64, ppc64, ppc64le, armhf, armel), and a
 * build of just the guest programs a syscall test needs, into test/guest/build/sys-<target>/, so
 * these tests never race the per-target suites that rebuild the shared build directories.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM, ARM_BUILDS } from '../arm/targets';
import { GUEST_PROGRAMS } from '../guest/programs';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { runProcess, type RunResult } from '../lib/run-process';
import { AARCH64, REPO_ROOT, tsemuBinary, type GuestTarget } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';

const execFileAsync = promisify(execFile);

export interface UserTarget {
  /** Shown in test titles. */
  readonly title: string;
  /** Compiler, flags and build directory name. */
  readonly build: GuestTarget;
  /** tsemu binary and QEMU oracle. */
  readonly run: GuestTarget;
}

const armBuild = (title: string): GuestTarget => ARM_BUILDS.find((b) => b.title === title)!.target;

export const USER_TARGETS: readonly UserTarget[] = [
  { title: 'aarch64', build: AARCH64, run: AARCH64 },
  { title: 'ppc64', build: PPC64, run: PPC64 },
  { title: 'ppc64le', build: PPC64LE, run: PPC64LE },
  { title: 'armhf', build: armBuild('armhf -mthumb'), run: ARM },
  { title: 'armel', build: armBuild('armel'), run: ARM },
];

/**
 * Registers `${title}: tsemu vs qemu`: guest program `name` (with `args`) on every user target, under
 * tsemu and under the target's QEMU, exits 0 under QEMU and does the same under tsemu (stdout,
 * stderr, ending).
 */
export function sameAsQemuOnEveryTarget(title: string, name: string, args: readonly string[] = []): void {
  describe.concurrent(`${title}: tsemu vs qemu`, () => {
    for (const target of USER_TARGETS) {
      it(target.title, async () => {
        const program = await buildProgram(target, name);
        const results = await runUnderBoth(target.run, { program, args: [...args] });
        expectOracleEnding(results.qemu, { status: 0 });
        expectSameBehaviour(results, true);
      });
    }
  });
}

/** The x86_64 build of common guest program `name`, in test/guest/build/sys-native/ (built by the host's gcc). */
export function nativeProgram(name: string): string {
  const spec = GUEST_PROGRAMS.find((p) => p.name === name && p.targets === undefined);
  if (!spec) throw new Error(`no common guest program ${name}`);
  const output = path.join(REPO_ROOT, 'test', 'guest', 'build', 'sys-native', name);
  mkdirSync(path.dirname(output), { recursive: true });
  const flags = spec.cflags ?? [];
  const sources = spec.sources.map((s) => path.join(REPO_ROOT, 'test', 'guest', s));
  execFileSync('gcc', ['-O2', ...flags.filter((f) => !f.startsWith('-l')), '-o', output, ...sources, ...flags.filter((f) => f.startsWith('-l'))]);
  return output;
}

/**
 * Registers `${title}: tsemu vs the native kernel`, for a program whose output does not depend on
 * the architecture where QEMU is no oracle: guest program `name` (with `args`) under tsemu on every
 * user target prints what its x86_64 build prints natively, with nothing on stderr, and exits 0.
 */
export function sameAsNativeOnEveryTarget(title: string, name: string, args: readonly string[] = []): void {
  describe.concurrent(`${title}: tsemu vs the native kernel`, () => {
    let native: Promise<RunResult>;
    beforeAll(() => {
      native = runProcess(nativeProgram(name), { args: [...args], timeoutMs: 30_000 });
    });
    for (const target of USER_TARGETS) {
      it(target.title, async () => {
        const program = await buildProgram(target, name);
        const [expected, result] = await Promise.all([native, runProcess(tsemuBinary(target.run), { args: [program, ...args], timeoutMs: 60_000 })]);
        expect(expected.status).toBe(0);
        expect(result.stderr).toBe('');
        expect(result.stdout).toBe(expected.stdout);
        expect(result.status).toBe(0);
      });
    }
  });
}

const builds = new Map<string, Promise<string>>();

/**
 * Builds guest program `name` (a row of test/guest/programs.ts) for `target` if out of date; its
 * path. Concurrent tests asking for the same program share one build.
 */
export function buildProgram(target: UserTarget, name: string): Promise<string> {
  const key = `${target.build.name}/${name}`;
  let build = builds.get(key);
  if (!build) {
    build = compile(target, name);
    builds.set(key, build);
  }
  return build;
}

async function compile(target: UserTarget, name: string): Promise<string> {
  const spec = GUEST_PROGRAMS.find((p) => p.name === name && p.targets === undefined);
  if (!spec) throw new Error(`no common guest program ${name}`);
  const dir = path.join(REPO_ROOT, 'test', 'guest', 'build', `sys-${target.build.name}`);
  mkdirSync(dir, { recursive: true });
  const output = path.join(dir, name);
  const sources = spec.sources.map((s) => path.join(REPO_ROOT, 'test', 'guest', s));
  const flags = spec.cflags ?? [];
  const args = [...target.build.cflags, ...flags.filter((f) => !f.startsWith('-l')), '-o', output, ...sources, ...flags.filter((f) => f.startsWith('-l'))];
  const command = [target.build.cc, ...args].join(' ');
  const cmdFile = `${output}.cmd`;
  const fresh =
    existsSync(output) && existsSync(cmdFile) && readFileSync(cmdFile, 'utf8') === command && sources.every((s) => statSync(s).mtimeMs <= statSync(output).mtimeMs);
  if (!fresh) {
    await execFileAsync(target.build.cc, args);
    writeFileSync(cmdFile, command);
  }
  return output;
}
