/**
 * Ignored signals and the signal mask across an execve that starts another host process: a guest
 * running a program for another target (a new tsemu, which takes them from the environment) or a
 * host program (given them by the host process before its execve), src/user/exec-signals.ts; and a
 * host program starting tsemu (`nohup`, a shell's background job), whose launcher names them before
 * Node resets them (native/launcher/launcher.c). The oracle is the native kernel:
 * test/guest/common/exec_signals.c built for the host, exec'ing its own native build.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../lib/run-process';
import { REPO_ROOT, tsemuBinary } from '../lib/targets';
import { USER_TARGETS } from '../syscalls/user-targets';

const SOURCE = path.join(REPO_ROOT, 'test', 'guest', 'common', 'exec_signals.c');
const compile = promisify(execFile);

const builds = new Map<string, Promise<string>>();
/** The program built with `cc` into test/guest/build/<dir>/ (once per directory). */
function build(cc: string, cflags: readonly string[], dir: string): Promise<string> {
  let done = builds.get(dir);
  if (!done) {
    const output = path.join(REPO_ROOT, 'test', 'guest', 'build', dir, 'exec_signals');
    mkdirSync(path.dirname(output), { recursive: true });
    done = compile(cc, [...cflags, '-o', output, SOURCE]).then(() => output);
    builds.set(dir, done);
  }
  return done;
}

const native = (): Promise<string> => build('gcc', ['-O2'], 'exec-signals-native');

/** The build for the user target titled `title`, and the tsemu that runs it. */
async function guest(title: string): Promise<{ program: string; tsemu: string }> {
  const target = USER_TARGETS.find((t) => t.title === title)!;
  const program = await build(target.build.cc, target.build.cflags, `exec-signals-${target.build.name}`);
  return { program, tsemu: tsemuBinary(target.run) };
}

describe.concurrent('ignored signals and the mask across execve into another host process: tsemu vs the native kernel', () => {
  for (const [from, to] of [
    ['aarch64', 'armhf'],
    ['armhf', 'ppc64le'],
    ['ppc64', 'host'],
    ['aarch64', 'host'],
  ] as const) {
    it(`${from} guest execs ${to === 'host' ? 'a host program' : `the ${to} build`}`, async () => {
      const nativeProgram = await native();
      const [caller, callee] = await Promise.all([guest(from), to === 'host' ? { program: nativeProgram } : guest(to)]);
      const [expected, result] = await Promise.all([
        runProcess(nativeProgram, { args: ['exec', nativeProgram], timeoutMs: 30_000 }),
        runProcess(caller.tsemu, { args: [caller.program, 'exec', callee.program], timeoutMs: 90_000 }),
      ]);
      expect(expected.stdout).toContain('SIGINT ignored');
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(expected.stdout);
      expect(result.status).toBe(0);
    }, 120_000);
  }

  for (const title of ['aarch64', 'ppc64le']) {
    it(`a host program execs tsemu on the ${title} build`, async () => {
      const nativeProgram = await native();
      const callee = await guest(title);
      const [expected, result] = await Promise.all([
        runProcess(nativeProgram, { args: ['exec', nativeProgram], timeoutMs: 30_000 }),
        runProcess(nativeProgram, { args: ['exec', callee.tsemu, callee.program], timeoutMs: 90_000 }),
      ]);
      expect(expected.stdout).toContain('SIGINT ignored');
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(expected.stdout);
      expect(result.status).toBe(0);
    }, 120_000);
  }
});
