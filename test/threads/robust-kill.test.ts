/**
 * A process-shared robust mutex whose owner thread ends holding it (test/threads/robust_kill.c): the
 * native kernel releases it and the next locker gets EOWNERDEAD. When SIGKILL ends the owner's
 * process, under tsemu the dead process ran no exit code, so the waiter notices the owner's death (src/syscalls/linux/robust-wait.ts);
 * the output must be the native kernel's run of the same program (the oracle; qemu-user 7.2
 * refuses set_robust_list). With the locking parent single-threaded (host futex waits) and with a
 * second thread alive in it (parked waits), on a 64-bit little-endian, a big-endian and a 32-bit
 * target; with the owner a second thread of the child (whose tsemu thread id names its process,
 * src/user/threads/thread-ids.ts), and that thread ending by pthread_exit, the child's exit_group or
 * a fatal signal's default action.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../lib/run-process';
import { REPO_ROOT, tsemuBinary } from '../lib/targets';
import { USER_TARGETS } from '../syscalls/user-targets';

const SOURCE = path.join(REPO_ROOT, 'test', 'threads', 'robust_kill.c');
const compile = promisify(execFile);

const builds = new Map<string, Promise<string>>();
/** The program built with `cc` into test/guest/build/<dir>/ (once per directory). */
function build(cc: string, cflags: readonly string[], dir: string): Promise<string> {
  let done = builds.get(dir);
  if (!done) {
    const output = path.join(REPO_ROOT, 'test', 'guest', 'build', dir, 'robust_kill');
    mkdirSync(path.dirname(output), { recursive: true });
    done = compile(cc, [...cflags, '-pthread', '-o', output, SOURCE]).then(() => output);
    builds.set(dir, done);
  }
  return done;
}

async function compare(title: string, mode: string): Promise<void> {
  const target = USER_TARGETS.find((t) => t.title === title)!;
  const [native, program] = await Promise.all([
    build('gcc', ['-O2'], 'threads-native'),
    build(target.build.cc, target.build.cflags, `sys-${target.build.name}`),
  ]);
  const [expected, result] = await Promise.all([
    runProcess(native, { args: [mode], timeoutMs: 30_000 }),
    runProcess(tsemuBinary(target.run), { args: [program, mode], timeoutMs: 90_000 }),
  ]);
  expect(expected.stdout).toContain('lock -> EOWNERDEAD, consistent -> 0');
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe(expected.stdout);
  expect(result.status).toBe(0);
}

describe.concurrent('robust mutex of an ended owner thread: tsemu vs the native kernel', () => {
  for (const title of ['aarch64', 'ppc64', 'armhf']) {
    for (const mode of ['main', 'main-mt']) {
      it(`${title}: the owner is the child's first thread${mode === 'main-mt' ? ', the locker has a second thread' : ''}`, () =>
        compare(title, mode), 120_000);
    }
  }
  for (const [mode, how] of [
    ['thread', 'is a second thread of the child'],
    ['thread-exit', 'is a second thread of the child that ends by pthread_exit'],
    ['thread-exit-group', 'is a second thread of the child, which exits (exit_group)'],
    ['thread-term', 'is a second thread of the child, which SIGTERM (default action) ends'],
  ] as const) {
    for (const title of mode === 'thread' ? ['aarch64', 'ppc64', 'armhf'] : ['aarch64']) {
      it(`${title}: the owner ${how}`, () => compare(title, mode), 120_000);
    }
  }
});
