/**
 * -cpu honesty on -M virt, compared with qemu-system-aarch64 running cpu_features.c: the feature ID
 * registers of each Cortex model are QEMU's except in the fields of features tsemu does not
 * implement (where tsemu claims less), and an LSE atomic (ARMv8.1) is an undefined instruction on
 * the ARMv8.0 Cortex models and executes on `max`, in both emulators.
 */
import { describe, expect, it } from 'vitest';
import { VIRT_ARGS, bareMetalProgram, runQemu, runTsemu } from './bare-metal';

/**
 * Fields of QEMU's Cortex models describing what tsemu lacks: AArch32 at EL0 and EL1 (QEMU 2,
 * tsemu 1: AArch64 only), the PMU (PMUVer).
 */
const UNIMPLEMENTED: Readonly<Record<string, bigint>> = {
  ID_AA64PFR0_EL1: 0xffn,
  ID_AA64DFR0_EL1: 0xf00n,
};

/** The NAME=0xVALUE lines of the program's output. */
function fields(stdout: string): Map<string, bigint> {
  return new Map([...stdout.matchAll(/^([\w. ]+)=(0x[0-9a-f]+)$/gm)].map((m) => [m[1]!, BigInt(m[2]!)]));
}

const nibbles = (v: bigint): number[] => Array.from({ length: 16 }, (_, i) => Number((v >> BigInt(4 * i)) & 15n));

async function run(cpu: string): Promise<{ ours: string; theirs: string }> {
  const args = [...VIRT_ARGS, '-cpu', cpu, '-kernel', bareMetalProgram('cpu_features')];
  const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
  expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
  expect(ours.stderr).toBe('');
  expect(ours.status).toBe(0);
  return { ours: ours.stdout, theirs: theirs.stdout };
}

const lse = (out: string): string[] => out.split('\n').filter((l) => /^(ISAR0.Atomic|LDADD|counter)/.test(l));

describe("tsemu-system -cpu MODEL has the ID registers and the LSE atomics of QEMU's model", () => {
  it.each(['cortex-a53', 'cortex-a57', 'cortex-a72'])('%s', async (cpu) => {
    const { ours, theirs } = await run(cpu);
    expect(theirs).toContain('LDADD: undefined instruction');
    const [mine, qemu] = [fields(ours), fields(theirs)];
    expect([...mine.keys()]).toEqual([...qemu.keys()]);
    for (const [name, value] of qemu) {
      const mask = UNIMPLEMENTED[name] ?? 0n;
      expect(mine.get(name)! & ~mask, name).toBe(value & ~mask);
      const claimed = nibbles(mine.get(name)! & mask);
      nibbles(value & mask).forEach((field, i) =>
        expect(claimed[i], `${name} field ${i}`).toBeLessThanOrEqual(field),
      );
    }
    expect(lse(ours)).toEqual(lse(theirs));
  });

  it('max: the LSE atomics are there and execute', async () => {
    const { ours, theirs } = await run('max');
    expect(theirs).toContain('LDADD: executed');
    expect(lse(ours)).toEqual(lse(theirs));
    expect(fields(ours).get('MIDR_EL1')).toBe(fields(theirs).get('MIDR_EL1'));
  });
});
