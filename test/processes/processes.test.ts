/**
 * Processes on every target: fork, vfork, posix_spawn, execve and waitpid (test/guest/common/
 * exec_chain.c re-executes itself through /proc/self/exe, runs a `#!` script whose interpreter is
 * itself, runs a host shell, spawns itself, pipes two copies of itself together and checks execve's
 * errors), what a process keeps and loses across execve (exec_image.c: descriptors, dispositions,
 * mask, pid, /proc/self/exe, AT_EXECFN, threads, failed execs) and signals between processes
 * (host_signals.c: handlers for signals another process sends, SIGCHLD, sigsuspend), and a forked
 * child computing with two threads long enough that tsemu compiles its code again under them
 * (fork_tier_up.c: a forked child has no V8 worker threads to tier its wasm up, so it does so itself),
 * and code rewritten through a second mapping of its pages, then flushed on the executable address
 * (dual_map_jit.c: a memfd mapped RW and RX, as dual-mapping JITs do; qemu-user 7.2 runs stale code),
 * and the signal mask pselect, ppoll and epoll_pwait install for their wait, which a child's SIGCHLD
 * interrupts (wait_sigmask.c: GNU make -j's loop).
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

/** Programs whose output the native build gives: what each exercises is said at the top of its source. */
const PROGRAMS = ['exec_chain', 'exec_image', 'host_signals', 'fork_tier_up', 'dual_map_jit', 'wait_sigmask'];
const BUILD_DIR = path.join(REPO_ROOT, 'test', 'guest', 'build', 'processes');

/** Each build: the compiler and flags, and the tsemu binary that runs it. */
const BUILDS: { title: string; target: GuestTarget; emulator: string }[] = [
  { title: 'aarch64', target: AARCH64, emulator: 'tsemu-aarch64' },
  { title: 'ppc64', target: PPC64, emulator: 'tsemu-ppc64' },
  { title: 'ppc64le', target: PPC64LE, emulator: 'tsemu-ppc64le' },
  ...ARM_BUILDS.map((b) => ({ title: b.title, target: b.target, emulator: 'tsemu-arm' })),
];

function build(buildName: string, program: string, cc: string, flags: readonly string[]): string {
  const dir = path.join(BUILD_DIR, buildName);
  mkdirSync(dir, { recursive: true });
  const output = path.join(dir, program);
  execFileSync(cc, [...flags, '-o', output, path.join(REPO_ROOT, 'test', 'guest', 'common', `${program}.c`)]);
  return output;
}

const workDirs: string[] = [];

async function runIn(command: string, args: string[] = []): Promise<RunResult> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'tsemu-exec-'));
  workDirs.push(cwd);
  return runProcess(command, { args, cwd, env: { PATH: '/usr/bin:/bin' }, timeoutMs: 90_000 });
}

const native = new Map<string, RunResult>();

beforeAll(async () => {
  for (const program of PROGRAMS) {
    const result = await runIn(build('native', program, 'gcc', ['-O2']));
    expect(result.status).toBe(0);
    native.set(program, result);
  }
}, 120_000);

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe('processes: fork, exec, wait and signals between processes vs the native kernel', () => {
  for (const program of PROGRAMS) {
    for (const b of BUILDS) {
      it(`${program} on ${b.title}`, async () => {
        const guest = build(b.target.name, program, b.target.cc, b.target.cflags);
        const result = await runIn(path.join(REPO_ROOT, 'bin', b.emulator), [guest]);
        expect(result.stderr).toBe('');
        expect(result.stdout).toBe(native.get(program)!.stdout);
        expect(result.status).toBe(0);
      });
    }
  }
});
