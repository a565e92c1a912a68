/**
 * `-smp`: the bare-metal smp program (test/guest/system/smp.c) starts every CPU with PSCI CPU_ON,
 * shares a spinlock and a counter between them, prints each CPU's MPIDR in turn, sends SGIs from
 * CPU to CPU and takes each CPU's own timer interrupt, restarts a CPU that turned itself off and
 * powers off from it; its output must be qemu-system-aarch64's with the same -smp and GIC. The
 * -smp values QEMU refuses, tsemu refuses with QEMU's words.
 */
import { describe, expect, it } from 'vitest';
import { QEMU_SYSTEM, TSEMU_SYSTEM, VIRT_ARGS, bareMetalProgram, runQemu, runTsemu } from './bare-metal';
import { runProcess } from '../lib/run-process';

const withMachine = (machine: string): string[] => VIRT_ARGS.map((a) => (a === 'virt' ? machine : a));

describe('tsemu-system -M virt -smp', () => {
  it.each([
    ['virt', '2'],
    ['virt', '4'],
    ['virt,gic-version=3', '2'],
  ])('runs CPUs started by PSCI CPU_ON as qemu-system-aarch64 does (-M %s -smp %s)', async (machine, smp) => {
    const args = [...withMachine(machine), '-smp', smp, '-kernel', bareMetalProgram('smp')];
    const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
    expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
    expect(ours.stderr).toBe('');
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(0);
  });

  it.each(['9', 'cpus=3,sockets=2', 'cpus=4,maxcpus=2', 'abc', '2,foo=1', 'cpus=600', 'cpus=2,dies=2', '-1'])(
    'refuses -smp %s as QEMU does',
    async (smp) => {
      const args = [...VIRT_ARGS, '-smp', smp];
      const run = (binary: string) =>
        runProcess(binary, { args, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, timeoutMs: 30_000 });
      const [ours, theirs] = await Promise.all([run(TSEMU_SYSTEM), run(QEMU_SYSTEM)]);
      const message = (stderr: string): string => stderr.replace(/^(qemu-system-aarch64|tsemu-system): /gm, '');
      expect(theirs.status).toBe(1);
      expect(ours.status).toBe(1);
      expect(message(ours.stderr)).toBe(message(theirs.stderr));
    },
  );
});
