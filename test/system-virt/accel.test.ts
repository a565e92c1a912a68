/**
 * `-accel tcg[,thread=single|multi]`: the options QEMU accepts start the machine, the ones it refuses
 * are refused in its words, `-accel help` lists the same accelerators. With either thread mode the
 * smp program's output (test/guest/system/smp.c) must be qemu-system-aarch64's with the same mode:
 * with thread=single tsemu's vCPUs run round-robin on one host thread, with thread=multi each on a
 * worker thread of its own (docs/smp.md), as QEMU's run on host threads with thread=multi; the
 * program's lock-free counters of every size must then count exactly under real parallelism.
 */
import { describe, expect, it } from 'vitest';
import { VIRT_ARGS, bareMetalProgram, expectSameRefusal, runQemu, runTsemu } from './bare-metal';

describe('tsemu-system -accel', () => {
  it('lists the accelerators as QEMU does (-accel help)', async () => {
    const args = [...VIRT_ARGS, '-accel', 'help'];
    const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
    expect(theirs.status).toBe(0);
    expect(ours.status).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it.each([
    ['tcg,thread=foo'],
    ['kvm'],
    ['tcg,foo=1'],
    ['tcg,tb-size=-1'],
    ['tcg,tb-size=1k'],
    ['tcg,split-wx=maybe'],
    [',thread=multi'],
    ['kvm', '-accel', 'xen'],
  ])('refuses -accel %s as QEMU does', async (...accel) => {
    await expectSameRefusal([...VIRT_ARGS, '-accel', ...accel, '-kernel', bareMetalProgram('hello')]);
  });

  it('refuses -accel with -machine accel= as QEMU does', async () => {
    const args = [...VIRT_ARGS.map((a) => (a === 'virt' ? 'virt,accel=tcg' : a)), '-accel', 'tcg'];
    await expectSameRefusal([...args, '-kernel', bareMetalProgram('hello')]);
  });

  it('runs the smp program as qemu-system-aarch64 does after an accelerator it does not have (-accel kvm -accel tcg)', async () => {
    const args = [...VIRT_ARGS, '-accel', 'kvm', '-accel', 'tcg,tb-size=64', '-smp', '2', '-kernel', bareMetalProgram('smp')];
    const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
    expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
    expect(ours.stderr.replace(/^tsemu-system: /gm, '')).toBe(theirs.stderr.replace(/^qemu-system-aarch64: /gm, ''));
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(0);
  });

  it.each(['single', 'multi'])('runs the smp program as qemu-system-aarch64 does (-accel tcg,thread=%s -smp 4)', async (thread) => {
    const args = [...VIRT_ARGS, '-accel', `tcg,thread=${thread}`, '-smp', '4', '-kernel', bareMetalProgram('smp')];
    const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
    expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(0);
  });

  it.each(['smp', 'timer', 'pflash'])(
    'runs the %s program on a vCPU thread as qemu-system-aarch64 does (-accel tcg,thread=multi -smp 1)',
    async (program) => {
      const args = [...VIRT_ARGS, '-accel', 'tcg,thread=multi', '-kernel', bareMetalProgram(program)];
      const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
      expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.status).toBe(0);
    },
  );

  it.each(['-smp 2', '-smp 3', '-M virt,gic-version=3 -smp 2'])(
    'runs the smp program with each vCPU on a worker thread as qemu-system-aarch64 does (-accel tcg,thread=multi %s)',
    async (options) => {
      const [machine, smp] = options.startsWith('-M') ? options.split(' -smp ') : ['-M virt', options.slice(5)];
      const base = VIRT_ARGS.map((a) => (a === 'virt' ? machine!.slice(3) : a));
      const args = [...base, '-accel', 'tcg,thread=multi', '-smp', smp!, '-kernel', bareMetalProgram('smp')];
      const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
      expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.status).toBe(0);
    },
  );
});
