/**
 * A large sendmsg with SCM_RIGHTS to a socketpair peer that another guest thread reads slowly
 * (test/threads/sendmsg_rights.c): under tsemu the send must not hold the one host thread until it
 * completes (the reader could never run), so it completes, with the output of the native kernel's
 * run of the same program (the oracle).
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../lib/run-process';
import { REPO_ROOT, tsemuBinary } from '../lib/targets';
import { USER_TARGETS } from '../syscalls/user-targets';

const SOURCE = path.join(REPO_ROOT, 'test', 'threads', 'sendmsg_rights.c');
const compile = promisify(execFile);

async function build(cc: string, cflags: readonly string[], dir: string): Promise<string> {
  const output = path.join(REPO_ROOT, 'test', 'guest', 'build', dir, 'sendmsg_rights');
  mkdirSync(path.dirname(output), { recursive: true });
  await compile(cc, [...cflags, '-pthread', '-o', output, SOURCE]);
  return output;
}

/** Built once: the two concurrent cases relinking one native path would race its exec (ETXTBSY). */
let nativeBuild: Promise<string> | undefined;
const buildNative = (): Promise<string> => (nativeBuild ??= build('gcc', ['-O1'], 'threads-native'));

describe.concurrent('a large sendmsg with SCM_RIGHTS to a slowly reading thread: tsemu vs the native kernel', () => {
  for (const title of ['aarch64', 'ppc64le']) {
    it(title, async () => {
      const target = USER_TARGETS.find((t) => t.title === title)!;
      const [native, program] = await Promise.all([
        buildNative(),
        build(target.build.cc, target.build.cflags, `sys-${target.build.name}`),
      ]);
      const [expected, result] = await Promise.all([
        runProcess(native, { timeoutMs: 60_000 }),
        runProcess(tsemuBinary(target.run), { args: [program], timeoutMs: 120_000 }),
      ]);
      expect(expected.stdout).toContain('reader: 1048576 bytes, same=1, fd passed=1, file says passed along');
      expect(result.timedOut).toBe(false);
      expect(result.stdout).toBe(expected.stdout);
    }, 180_000);
  }
});
