/**
 * -strace prints arguments decoded the way QEMU does (issue 7): hello world on every user target
 * under tsemu and under qemu-<target>, both with -strace. Every call QEMU prints with a decoded
 * argument (a flag or constant name, a quoted string) must appear in tsemu's log with the same
 * arguments, addresses aside (the two place memory differently).
 */
import { describe, expect, it } from 'vitest';
import { expectOracleEnding, runUnderBoth } from '../lib/oracle';
import { buildProgram, USER_TARGETS } from './user-targets';

const ADDRESS = /0x[0-9a-f]+/g;
/** A macro-style name or a quoted string among the arguments. */
const DECODED = /(?:^|[,(|])[A-Z][A-Z0-9_]{2,}|"/;

/** "name(args)" of each logged call whose arguments carry a decoded value, addresses masked. */
function decodedCalls(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^\d+ (\w+)\((.*?)\)(?: = |$)/.exec(line);
    if (m && DECODED.test(m[2]!) && !/^[A-Z]/.test(m[1]!)) out.push(`${m[1]}(${m[2]!.replace(ADDRESS, 'ADDR')})`);
  }
  return out;
}

describe.concurrent('-strace decodes arguments as qemu does', () => {
  for (const target of USER_TARGETS) {
    it(`hello world, ${target.title}`, async () => {
      const program = await buildProgram(target, 'hello');
      const { tsemu, qemu } = await runUnderBoth(target.run, { program, emulatorArgs: ['-strace'] });
      expectOracleEnding(qemu, { status: 0 });
      const expected = decodedCalls(qemu.stderr);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const got = decodedCalls(tsemu.stderr);
      for (const call of expected) expect(got, `tsemu log:\n${tsemu.stderr}`).toContain(call);
      expect(tsemu.stderr).toMatch(/^\d+ exit_group\(0\)$/m);
    });
  }
});
