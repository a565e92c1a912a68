/**
 * Sockets on every user target against its QEMU: the sockets guest program (TCP echo over IPv4
 * loopback within one process, UDP with sender addresses, AF_UNIX SCM_RIGHTS and SCM_CREDENTIALS,
 * MSG_CTRUNC, options of several levels and value kinds, error numbers) prints the same under
 * tsemu and qemu-<target>; and a TCP echo between two guest processes (fork).
 */
import { describe, it } from 'vitest';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { buildProgram, USER_TARGETS } from './user-targets';

describe.concurrent('sockets: tsemu vs qemu', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const program = await buildProgram(target, 'sockets');
      const results = await runUnderBoth(target.run, { program });
      expectOracleEnding(results.qemu, { status: 0 });
      expectSameBehaviour(results, true);
    });
  }
});

describe.concurrent('TCP echo between two guest processes: tsemu vs qemu', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const program = await buildProgram(target, 'tcp_echo_fork');
      const results = await runUnderBoth(target.run, { program });
      expectOracleEnding(results.qemu, { status: 0 });
      expectSameBehaviour(results, true);
    });
  }
});
