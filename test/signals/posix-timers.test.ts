/**
 * POSIX timers on every user target against its QEMU: the posix_timers guest program (SIGEV_SIGNAL
 * with si_code/si_value/si_overrun, SIGEV_NONE, SIGEV_THREAD, a NULL sigevent, periodic timers
 * whose expiries merge while the signal is blocked, absolute CLOCK_REALTIME times, the process
 * CPU-time clock, fork, timer_delete and the error cases) prints the same under tsemu and
 * qemu-<target>, which passes the calls to the host kernel (its output equals the x86_64 build's
 * run natively).
 */
import { describe, it } from 'vitest';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { buildProgram, USER_TARGETS } from '../syscalls/user-targets';

describe.concurrent('POSIX timers: tsemu vs qemu', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const program = await buildProgram(target, 'posix_timers');
      const results = await runUnderBoth(target.run, { program });
      expectOracleEnding(results.qemu, { status: 0 });
      expectSameBehaviour(results, true);
    });
  }
});
