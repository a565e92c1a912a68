/**
 * /proc files describing the process, on every user target: /proc/self/exe, cmdline (also by
 * numeric pid), maps, stat and auxv as the procfs guest program reads them, compared with QEMU
 * (where QEMU departs from the native kernel, the kernel wins: QEMU 7.2 prints 0 for the state
 * field of /proc/self/stat, the kernel "R" for the running process). /proc/cpuinfo describes the
 * guest CPU: the kernel's per-architecture format, one block per host CPU (QEMU 7.2 shows the
 * host's file for these targets, so the facts are the kernels' formats, not QEMU).
 */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { runProcess } from '../lib/run-process';
import { tsemuBinary } from '../lib/targets';
import { buildProgram, USER_TARGETS } from './user-targets';

/** A line of each target's /proc/cpuinfo that only that architecture's kernel prints. */
const CPUINFO_MARK: Readonly<Record<string, RegExp>> = {
  aarch64: /^CPU architecture: 8$/m,
  ppc64: /^cpu\t\t: POWER\d/m,
  ppc64le: /^cpu\t\t: POWER\d/m,
  armhf: /^CPU architecture: 7$/m,
  armel: /^CPU architecture: 7$/m,
};

describe.concurrent('/proc/self files: tsemu vs qemu', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const program = await buildProgram(target, 'procfs');
      const results = await runUnderBoth(target.run, { program, args: ['one', 'two words', 'auxv'] });
      expectOracleEnding(results.qemu, { status: 0 });
      expect(results.tsemu.stdout).toContain('stat: pid-ok=1 comm=procfs state=R\n');
      results.qemu.stdout = results.qemu.stdout.replace('comm=procfs state=0', 'comm=procfs state=R');
      expectSameBehaviour(results, true);
    });
  }
});

describe.concurrent('/proc/cpuinfo names the guest CPU', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const program = await buildProgram(target, 'procfs');
      const r = await runProcess(tsemuBinary(target.run), { args: [program, 'cpuinfo'], env: { PATH: process.env['PATH'] ?? '' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(CPUINFO_MARK[target.title]!);
      expect(r.stdout.match(/^processor\t: \d+$/gm)?.length).toBe(os.availableParallelism());
      expect(r.stdout).not.toMatch(/GenuineIntel|AuthenticAMD|x86/);
    });
  }
});
