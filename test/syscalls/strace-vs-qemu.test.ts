/**
 * Whole guest programs under tsemu and under qemu-aarch64 with -strace: the same syscalls, in the
 * same order, succeeding or failing with the same errno. (Argument text and addresses differ
 * between the two, and QEMU prints calls it has no name for as "Unknown syscall N"; only names and
 * outcomes are compared.) Signals taken print QEMU's `--- SIGxxx {si_signo=...} ---` lines, the
 * same ones (sender pids aside). Each line starts with the calling thread's id, the one clone
 * returned for it (QEMU, running threads as host threads, prints the pid on every line).
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { aarch64Abi } from '../../src/syscalls/abi/aarch64';
import { guestEnvironment, runUnderBoth } from '../lib/oracle';
import { runProcess } from '../lib/run-process';
import { AARCH64, REPO_ROOT, guestProgram, tsemuBinary } from '../lib/targets';
import { USER_TARGETS } from './user-targets';

const NAMES = new Map(Object.entries(aarch64Abi.syscallNumbers).map(([name, nr]) => [nr, name]));

/** Where tsemu follows the brief rather than QEMU 7.2: set_robust_list is stored (QEMU answers ENOSYS). */
const DELIBERATE: Readonly<Record<string, string>> = { set_robust_list: 'ok' };

function outcome(result: string): string {
  return result.startsWith('-1 errno=') ? result.split(' ')[1]! : 'ok';
}

/**
 * [name, outcome] per logged syscall: 'ok', 'errno=N', or 'noreturn'. A call's result may come on a
 * later line when the call itself wrote to stderr between the two halves of QEMU's line.
 */
function calls(stderr: string): [string, string][] {
  const out: [string, string][] = [];
  let pending: string | undefined;
  const settle = (result: string) => {
    out.push([pending!, DELIBERATE[pending!] ?? result]);
    pending = undefined;
  };
  for (const line of stderr.split('\n')) {
    const unknown = /^\d+ Unknown syscall (\d+)$/.exec(line);
    // The call's own output may follow its closing parenthesis, its result then comes later.
    const call = /^\d+ (\w+)\(.*?\)(?: = (.*)$)?/.exec(line);
    if (unknown || call) {
      if (pending) settle('noreturn');
      pending = unknown ? (NAMES.get(Number(unknown[1])) ?? unknown[1]!) : call![1]!;
      if (unknown) settle('errno=38');
      else if (call![2] !== undefined) settle(outcome(call![2]));
      continue;
    }
    const late = /(?:^| )= (-1 errno=\d+.*|\S+)$/.exec(line);
    if (pending && late) settle(outcome(late[1]!));
  }
  if (pending) settle('noreturn');
  return out;
}

describe('-strace: the same syscalls with the same outcomes as qemu-aarch64', () => {
  for (const name of ['hello', 'fileio', 'dirlist', 'sysinfo', 'malloc_stress']) {
    it(name, async () => {
      const { tsemu, qemu } = await runUnderBoth(AARCH64, { program: guestProgram(AARCH64, name), emulatorArgs: ['-strace'] });
      const expected = calls(qemu.stderr);
      expect(expected.length).toBeGreaterThan(5);
      expect(calls(tsemu.stderr)).toEqual(expected);
      expect(tsemu.stdout).toBe(qemu.stdout);
    });
  }
});

/** The signal lines of a -strace log, sender pids replaced (they are the run's own). */
function signalLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('--- '))
    .map((line) => line.replace(/si_pid=\d+/, 'si_pid=N'));
}

describe('-strace: signals taken print the lines qemu-aarch64 prints', () => {
  for (const name of ['signals', 'segv', 'fork_wait']) {
    it(name, async () => {
      const { tsemu, qemu } = await runUnderBoth(AARCH64, { program: guestProgram(AARCH64, name), emulatorArgs: ['-strace'] });
      const expected = signalLines(qemu.stderr);
      expect(expected.length).toBeGreaterThan(0);
      expect(signalLines(tsemu.stderr)).toEqual(expected);
    });
  }
});

describe('-strace: lines carry the calling thread id', () => {
  it('threads: the pid and the ids clone returned', async () => {
    const result = await runProcess(tsemuBinary(AARCH64), {
      args: ['-strace', guestProgram(AARCH64, 'threads')],
      env: guestEnvironment(),
      timeoutMs: 60_000,
    });
    const lines = result.stderr.split('\n').filter((line) => /^\d+ \w+\(/.test(line));
    const pid = lines[0]!.split(' ')[0]!;
    const cloned = lines.filter((line) => / clone\(/.test(line)).map((line) => /= (\d+)$/.exec(line)![1]!);
    const callers = new Set(lines.map((line) => line.split(' ')[0]!));
    expect(cloned.length).toBe(4);
    expect([...callers].sort()).toEqual([pid, ...cloned].sort());
    expect(result.status).toBe(0);
  });
});

/** The lines of the signal-numbered calls, addresses replaced (they are the run's own). */
function signalCallLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /^\d+ (kill|tkill|tgkill|rt_sigaction|rt_sigprocmask)\(/.test(line))
    .map((line) => line.replace(/^\d+ /, '').replace(/0x[0-9a-f]+/g, 'ADDR'));
}

describe('-strace: signal numbers and sigprocmask commands print by name as qemu prints them', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const dir = path.join(REPO_ROOT, 'test', 'guest', 'build', `sys-${target.build.name}`);
      mkdirSync(dir, { recursive: true });
      const program = path.join(dir, 'strace_signals');
      const source = path.join(REPO_ROOT, 'test', 'syscalls', 'strace_signals.c');
      await promisify(execFile)(target.build.cc, [...target.build.cflags, '-o', program, source]);
      const { tsemu, qemu } = await runUnderBoth(target.run, { program, emulatorArgs: ['-strace'] });
      const expected = signalCallLines(qemu.stderr);
      expect(expected).toContain('tgkill(999999,999999,SIGIOT) = -1 errno=3 (No such process)');
      expect(signalCallLines(tsemu.stderr)).toEqual(expected);
    });
  }
});
