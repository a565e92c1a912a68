/**
 * SysV shared memory on every user target against the native kernel: the sysv_shm guest program
 * (whose output does not depend on the architecture) prints the same under tsemu-<target> as its
 * x86_64 build natively. qemu-user is not the oracle here: it accepts SHM_REMAP without an address
 * and then keeps that attachment. Then two unrelated processes share one segment by key: two guests
 * of different targets (aarch64 and big-endian ppc64, which reaches shm through the ipc
 * multiplexer), and a guest with a native process.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runProcess, type RunResult } from '../lib/run-process';
import { tsemuBinary } from '../lib/targets';
import { buildProgram, nativeProgram, USER_TARGETS, type UserTarget } from './user-targets';

function target(title: string): UserTarget {
  return USER_TARGETS.find((t) => t.title === title)!;
}

/** A command line running sysv_shm with `args`: natively, or under tsemu for a target. */
async function command(runner: UserTarget | 'native', args: readonly string[]): Promise<[string, string[]]> {
  if (runner === 'native') return [nativeProgram('sysv_shm'), [...args]];
  return [tsemuBinary(runner.run), [await buildProgram(runner, 'sysv_shm'), ...args]];
}

describe.concurrent('SysV shared memory: tsemu vs the native kernel', () => {
  let native: Promise<RunResult>;
  beforeAll(() => {
    native = runProcess(nativeProgram('sysv_shm'), { timeoutMs: 30_000 });
  });

  for (const t of USER_TARGETS) {
    it(t.title, async () => {
      const [cmd, args] = await command(t, []);
      const [expected, result] = await Promise.all([native, runProcess(cmd, { args, timeoutMs: 60_000 })]);
      expect(expected.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(expected.stdout);
      expect(result.status).toBe(0);
    });
  }

  const pairs: [UserTarget | 'native', UserTarget | 'native'][] = [
    [target('aarch64'), target('ppc64')],
    [target('armhf'), 'native'],
  ];
  const name = (r: UserTarget | 'native') => (r === 'native' ? 'a native process' : r.title);
  pairs.forEach(([owner, visitor], i) => {
    it(`an unrelated process attaches by key: ${name(owner)} and ${name(visitor)}`, async () => {
      // A key of this test run's own, so concurrent runs on the machine never meet.
      const key = `0x${(0x5f000000 + ((process.pid * pairs.length + i) & 0xffffff)).toString(16)}`;
      const [ownerCmd, ownerArgs] = await command(owner, ['owner', key]);
      const [visitorCmd, visitorArgs] = await command(visitor, ['visitor', key]);
      const [o, v] = await Promise.all([
        runProcess(ownerCmd, { args: ownerArgs, timeoutMs: 100_000 }),
        runProcess(visitorCmd, { args: visitorArgs, timeoutMs: 100_000 }),
      ]);
      expect(v.stdout).toBe('visitor sees 1 "hello from the owner"\n');
      expect(o.stdout).toBe('owner ready\nowner got "hello from the visitor"\n');
      expect([o.status, v.status]).toEqual([0, 0]);
    });
  });
});
