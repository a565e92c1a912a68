/**
 * SysV message queues and semaphores on every user target against its QEMU: the sysv_ipc guest
 * program (messages by type, short buffers, IPC_STAT/IPC_SET fields, SETVAL/SETALL/GETALL, semop
 * with IPC_NOWAIT and a timeout, IPC_RMID) prints the same under tsemu and qemu-<target>.
 */
import { describe, it } from 'vitest';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { buildProgram, USER_TARGETS } from './user-targets';

describe.concurrent('SysV IPC: tsemu vs qemu', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const program = await buildProgram(target, 'sysv_ipc');
      const results = await runUnderBoth(target.run, { program });
      expectOracleEnding(results.qemu, { status: 0 });
      expectSameBehaviour(results, true);
    });
  }
});
