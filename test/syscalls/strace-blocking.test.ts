/**
 * -strace of calls that block a guest thread while another runs (test/syscalls/strace_blocking.c:
 * a condition-variable futex wait and a nanosleep), against qemu-aarch64's log. tsemu runs guest
 * threads on one host thread, so a blocked call's line is printed when the thread blocks and its
 * result, ` = N`, on a line of its own when the thread goes on, as QEMU prints a call that is still
 * running while other threads print (QEMU writes the call without a newline). Compared modulo
 * timing: each emulator's log has the waits QEMU's has (name and leading arguments, futex's
 * operation by name), every call line without a result gets exactly one result line, and the
 * program's output and status agree.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runUnderBoth } from '../lib/oracle';
import { REPO_ROOT } from '../lib/targets';
import { USER_TARGETS } from './user-targets';

/** The blocking calls of the program, by their name and leading arguments as both emulators print them. */
const WAITS: readonly RegExp[] = [
  /futex\(0x[0-9a-f]+,FUTEX_PRIVATE_FLAG\|FUTEX_CLOCK_REALTIME\|FUTEX_WAIT_BITSET,0,NULL/,
  /clock_nanosleep\(CLOCK_REALTIME,0,/,
];

describe('-strace shows calls that block a guest thread', () => {
  it('aarch64: a futex wait and a nanosleep, against qemu-aarch64', async () => {
    const target = USER_TARGETS.find((t) => t.title === 'aarch64')!;
    const dir = path.join(REPO_ROOT, 'test', 'guest', 'build', `sys-${target.build.name}`);
    mkdirSync(dir, { recursive: true });
    const program = path.join(dir, 'strace_blocking');
    const source = path.join(REPO_ROOT, 'test', 'syscalls', 'strace_blocking.c');
    await promisify(execFile)(target.build.cc, [...target.build.cflags, '-pthread', '-o', program, source]);
    const { tsemu, qemu } = await runUnderBoth(target.run, { program, emulatorArgs: ['-strace'] });
    expect(qemu.stdout).toBe('done\n');
    expect(tsemu.stdout).toBe(qemu.stdout);
    expect(tsemu.status).toBe(qemu.status);
    for (const wait of WAITS) {
      expect(qemu.stderr, `QEMU's log has no ${wait}`).toMatch(wait);
      expect(tsemu.stderr, `tsemu's log has no ${wait}`).toMatch(wait);
    }
    const lines = tsemu.stderr.split('\n');
    const unfinished = lines.filter((l) => /^\d+ \w+\(.*\)$/.test(l) && !l.includes(' = ') && !/^\d+ exit(_group)?\(/.test(l));
    const results = lines.filter((l) => /^ = /.test(l));
    expect(unfinished.length).toBeGreaterThanOrEqual(WAITS.length);
    expect(results, unfinished.join('\n')).toHaveLength(unfinished.length);
  });
});
