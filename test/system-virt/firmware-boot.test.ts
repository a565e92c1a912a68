/**
 * Real firmware on -M virt: Debian's EDK2 build for QEMU (qemu-efi-aarch64's QEMU_EFI.fd) as -bios,
 * with Debian's arm64 kernel given as -kernel, under tsemu and under qemu-system-aarch64 with the
 * same arguments. The firmware finds the kernel and its command line in fw_cfg (read by DMA),
 * starts it through the kernel's EFI stub with the device tree (acpi=off: tsemu builds no ACPI
 * tables), and the kernel prints its first line through earlycon. On the way EDK2 runs with its
 * first page tables in flash and keeps its variables in the second flash bank.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { QEMU_SYSTEM, TSEMU_SYSTEM } from './bare-metal';
import { debianArm64Kernel, runUntil } from './linux-kernel';

const EDK2 = '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd';
const UNTIL = 'Booting Linux on physical CPU 0x0000000000 [0x411fd070]';
const BOOT_LIMIT_MS = 120_000;

/** The EFI stub's lines and the kernel's first, without the firmware's screen control sequences. */
function bootLines(output: string): string[] {
  return output
    .replace(/\x1b\[[0-9;=]*[A-Za-z]/g, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/^\[ *\d+\.\d+\] /, ''))
    .filter((l) => l.startsWith('EFI stub: ') || l === UNTIL);
}

describe('EDK2 firmware on tsemu-system -M virt', () => {
  let kernel = '';
  beforeAll(async () => {
    kernel = await debianArm64Kernel();
  }, 600_000);

  it('loads -kernel from fw_cfg and starts it, as under qemu-system-aarch64', async () => {
    expect(existsSync(EDK2), `${EDK2} (Debian package qemu-efi-aarch64)`).toBe(true);
    const args = [
      ...['-M', 'virt,acpi=off', '-cpu', 'cortex-a57', '-m', '512M', '-nographic'],
      ...['-bios', EDK2, '-kernel', kernel, '-append', 'earlycon console=ttyAMA0 panic=-1'],
    ];
    const [ours, theirs] = await Promise.all([
      runUntil(TSEMU_SYSTEM, args, UNTIL, BOOT_LIMIT_MS),
      runUntil(QEMU_SYSTEM, args, UNTIL, BOOT_LIMIT_MS),
    ]);
    expect(theirs.reached, theirs.output).toBe(true);
    expect(bootLines(theirs.output)).toContain('EFI stub: Using DTB from configuration table');
    expect(bootLines(ours.output)).toEqual(bootLines(theirs.output));
  }, 180_000);
});
