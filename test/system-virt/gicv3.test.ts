/**
 * `-M virt,gic-version=3`: the bare-metal gicv3 program (test/guest/system/gicv3.c) brings up the
 * GICv3 (identification, the redistributor's wake-up, the ICC system registers) and takes SGIs,
 * the virtual timer's PPI and two SPIs, one of them the PL011's receive interrupt fed from stdin;
 * its output must be qemu-system-aarch64's. The gic-version values QEMU refuses, tsemu refuses
 * with QEMU's words.
 */
import { describe, expect, it } from 'vitest';
import { VIRT_ARGS, bareMetalProgram, expectSameRefusal, runQemu, runTsemu } from './bare-metal';

const withMachine = (machine: string): string[] => VIRT_ARGS.map((a) => (a === 'virt' ? machine : a));

describe('tsemu-system -M virt,gic-version=3', () => {
  it('takes SGIs, the timer PPI and SPIs through the GICv3 and its ICC registers as QEMU does', async () => {
    const args = [...withMachine('virt,gic-version=3'), '-kernel', bareMetalProgram('gicv3')];
    const [ours, theirs] = await Promise.all([runTsemu(args, 'x'), runQemu(args, 'x')]);
    expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
    expect(ours.stderr).toBe('');
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(0);
  });

  it.each(['4', 'v3', ''])('refuses gic-version=%s as QEMU does', async (version) => {
    await expectSameRefusal(withMachine(`virt,gic-version=${version}`));
  });
});
