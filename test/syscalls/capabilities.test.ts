/**
 * capget and capset on every user target against its QEMU (whose answers are the native kernel's):
 * the capabilities guest program (version probe, versions 1 and 3, NULL data, EFAULT, a capset in a
 * forked child) prints the same under tsemu and qemu-<target>; big-endian ppc64 checks the words'
 * byte order.
 */
import { describe, it } from 'vitest';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { buildProgram, USER_TARGETS } from './user-targets';

describe.concurrent('capget and capset: tsemu vs qemu', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const program = await buildProgram(target, 'capabilities');
      const results = await runUnderBoth(target.run, { program });
      expectOracleEnding(results.qemu, { status: 0 });
      expectSameBehaviour(results, true);
    });
  }
});
