/**
 * Go's asynchronous preemption: test/guest/go/preempt (built at test time by the host's Go, without
 * cgo) keeps a goroutine looping without calls on the only P while the main goroutine sleeps and
 * runs a stop-the-world collection; each step needs the spinner preempted by SIGURG (the handler
 * makes it call runtime.asyncPreempt). The output must equal qemu-user's. A tsemu that never
 * preempts the loop hangs, so the bound only catches hangs (a few seconds of CPU each). On arm64 every
 * time slice ended the loop at one pc that Go marks unsafe, until signal delivery varied the
 * interrupted instruction (src/user/signals/interrupt-point.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM } from '../arm/targets';
import { buildGoProgram, type GoArch } from '../guest/go/build';
import { runProcess } from '../lib/run-process';
import { AARCH64, tsemuBinary, type GuestTarget } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';

const TARGETS: { emulator: GuestTarget; arch: GoArch }[] = [
  { emulator: PPC64LE, arch: { goarch: 'ppc64le' } },
  { emulator: PPC64, arch: { goarch: 'ppc64' } },
  { emulator: AARCH64, arch: { goarch: 'arm64' } },
  { emulator: ARM, arch: { goarch: 'arm', env: { GOARM: '7' } } },
];

const programs = new Map<string, string>();

beforeAll(async () => {
  const built = await Promise.all(TARGETS.map(async (t) => [t.arch.goarch, await buildGoProgram('preempt', t.arch)] as const));
  for (const [goarch, program] of built) programs.set(goarch, program);
}, 600_000);

describe.concurrent("Go's asynchronous preemption (SIGURG) of a goroutine looping without calls", () => {
  for (const { emulator, arch } of TARGETS) {
    it(`${arch.goarch}: output as ${emulator.qemu}`, async () => {
      const program = programs.get(arch.goarch)!;
      const env = { PATH: '/usr/bin:/bin' };
      const [oracle, tsemu] = await Promise.all([
        runProcess(emulator.qemu, { args: [program], env, timeoutMs: 120_000 }),
        runProcess(tsemuBinary(emulator), { args: [program], env, timeoutMs: 400_000 }),
      ]);
      expect(oracle.status, oracle.stderr).toBe(0);
      expect(oracle.stderr).toMatch(/spinner stopped/);
      expect(tsemu.timedOut, `tsemu-${emulator.name} timed out`).toBe(false);
      expect({ status: tsemu.status, stderr: tsemu.stderr, stdout: tsemu.stdout }).toEqual({
        status: oracle.status,
        stderr: oracle.stderr,
        stdout: oracle.stdout,
      });
    }, 600_000);
  }
});
