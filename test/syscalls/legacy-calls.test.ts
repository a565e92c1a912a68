/**
 * The calls glibc seldom makes but small libcs (dietlibc, klibc) and programs do, on every user
 * target, each part of test/guest/common/legacy_calls.c against the oracle that can judge it: the
 * native kernel for what x86_64 also has (qemu 7.2 lacks preadv2 and pwritev2), qemu for what it
 * has right, and for PowerPC's signal() and ssetmask and ARM's three-argument sigsuspend (qemu 7.2
 * lacks the first, byte-swaps the second's mask on a big-endian guest and reads the third's mask
 * through a pointer) the same program's lines made with their rt_ equivalents, under qemu.
 */
import { describe, expect, it } from 'vitest';
import { runProcess } from '../lib/run-process';
import { tsemuBinary } from '../lib/targets';
import {
  buildProgram,
  sameAsNativeOnEveryTarget,
  sameAsQemuOnEveryTarget,
  USER_TARGETS,
} from './user-targets';

sameAsNativeOnEveryTarget(
  'preadv2/pwritev2, readahead, sync_file_range, sendfile, mincore, sched_* setters',
  'legacy_calls',
  ['host'],
);

sameAsQemuOnEveryTarget(
  "utimes/futimesat/utime, nice, personality, waitpid, inotify_init, socketcall, ARM's old sigaction/sigprocmask/sigpending",
  'legacy_calls',
  ['qemu'],
);

describe.concurrent(
  "signal(), ssetmask and ARM's old sigsuspend: tsemu vs their rt_ equivalents under qemu",
  () => {
    for (const target of USER_TARGETS) {
      it(target.title, async () => {
        const program = await buildProgram(target, 'legacy_calls');
        const [legacy, modern] = await Promise.all([
          runProcess(tsemuBinary(target.run), { args: [program, 'legacy-signals'], timeoutMs: 60_000 }),
          runProcess(target.run.qemu, { args: [program, 'modern-signals'], timeoutMs: 60_000 }),
        ]);
        expect(modern.status).toBe(0);
        expect(legacy.stderr).toBe(modern.stderr);
        expect(legacy.stdout).toBe(modern.stdout);
        expect(legacy.status).toBe(0);
      });
    }
  },
);
