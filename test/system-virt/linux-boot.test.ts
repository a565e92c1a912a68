/**
 * Debian's arm64 kernel on -M virt (the kernel package is downloaded at test time), booted with
 * earlycon under tsemu and under qemu-system-aarch64 with the same arguments, with the default GICv2
 * and with gic-version=3. The early boot runs the MMU in earnest: KASLR relocation, the switch to
 * TTBR1, fixmap remapping with TLBI loops. Each run stops once the kernel has printed its command
 * line; the messages up to there must be the same, timestamps aside, except where memblock placed
 * NODE_DATA: the top of RAM holds the device tree, and tsemu's lacks the nodes of devices it does
 * not model (flash, PCIe, virtio-mmio).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { QEMU_SYSTEM, TSEMU_SYSTEM } from './bare-metal';
import { debianArm64Kernel, runUntil } from './linux-kernel';

const APPEND = 'earlycon console=ttyAMA0 panic=-1';
/** The whole line: output arrives in pieces, and a run stopped mid-line would compare a cut line. */
const UNTIL = `Kernel command line: ${APPEND}`;
const BOOT_LIMIT_MS = 120_000;

/** The kernel's messages without their timestamps, up to the command line, placement lines dropped. */
function messages(output: string): string[] {
  // A run stopped right after the command line may hold its '\r' without the '\n'.
  const lines = output.split(/\r?\n|\r/).map((l) => l.replace(/^\[ *\d+\.\d+\] /, ''));
  const end = lines.findIndex((l) => l.startsWith(UNTIL));
  return lines.slice(0, end + 1).filter((l) => !l.startsWith('NUMA: NODE_DATA'));
}

describe("Debian's arm64 kernel on tsemu-system -M virt", () => {
  let kernel = '';
  beforeAll(async () => {
    kernel = await debianArm64Kernel();
  }, 600_000);

  // With the GICv3 the kernel finds the CPU interface's system registers (ID_AA64PFR0_EL1.GIC).
  it.each(['virt', 'virt,gic-version=3'])(
    'prints through earlycon what qemu-system-aarch64 -M %s prints, up to the kernel command line',
    async (machine) => {
      const args = [
        ...['-M', machine, '-cpu', 'cortex-a57', '-m', '512M', '-nographic'],
        ...['-kernel', kernel, '-append', APPEND],
      ];
      const [ours, theirs] = await Promise.all([
        runUntil(TSEMU_SYSTEM, args, UNTIL, BOOT_LIMIT_MS),
        runUntil(QEMU_SYSTEM, args, UNTIL, BOOT_LIMIT_MS),
      ]);
      expect(theirs.reached, theirs.output).toBe(true);
      expect(messages(ours.output)).toEqual(messages(theirs.output));
      expect(ours.output).toContain('Booting Linux on physical CPU 0x0000000000');
    },
    180_000,
  );
});
