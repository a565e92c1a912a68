/**
 * A signal sent from another process to a guest that blocks it and leaves it at SIG_DFL, waited
 * for with sigwait (in the main thread, and in a second thread): the guest takes it, as under the
 * native kernel, whose run of the same program's x86_64 build is the oracle. (The host must not
 * take the signal's default action, which would end tsemu.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tsemuBinary } from '../lib/targets';
import { buildProgram, USER_TARGETS } from '../syscalls/user-targets';

const SOURCE = path.join(REPO_ROOT, 'test', 'guest', 'threads', 'sigwait_external.c');
const NATIVE = path.join(REPO_ROOT, 'test', 'guest', 'build', 'threads-native', 'sigwait_external');

/** Runs the command; once it printed "ready", sends it SIGUSR1. Resolves with its stdout and how it ended. */
function runAndSignal(command: string, args: readonly string[]): Promise<{ stdout: string; status: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && stdout.includes('ready\n')) {
        sent = true;
        // A moment for the guest to reach sigwait (a signal before it is pending, and taken the same).
        setTimeout(() => child.kill('SIGUSR1'), 200);
      }
    });
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout, status, signal });
    });
  });
}

describe.concurrent('sigwait for a signal from another process, left at SIG_DFL: tsemu vs the native kernel', () => {
  beforeAll(() => {
    mkdirSync(path.dirname(NATIVE), { recursive: true });
    execFileSync('gcc', ['-O2', '-pthread', '-o', NATIVE, SOURCE]);
  });
  const armhf = USER_TARGETS.find((t) => t.title === 'armhf')!;
  const aarch64 = USER_TARGETS.find((t) => t.title === 'aarch64')!;
  const where = { main: 'the main thread', thread: 'a second thread' } as const;
  for (const [target, mode] of [[aarch64, 'main'], [armhf, 'thread']] as const) {
    it(`${target.title}, sigwait in ${where[mode]}`, async () => {
      const program = await buildProgram(target, 'sigwait_external');
      const [expected, result] = await Promise.all([
        runAndSignal(NATIVE, [mode]),
        runAndSignal(tsemuBinary(target.run), [program, mode]),
      ]);
      expect(expected.status).toBe(0);
      expect(result).toEqual(expected);
    });
  }
});
