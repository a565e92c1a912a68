/**
 * -bios on -M virt, compared with qemu-system-aarch64: firmware in the first flash bank runs from
 * 0x0 at EL1 and finds the device tree at the base of RAM (bios.c); a missing image and one larger
 * than the 64 MiB bank are refused with QEMU's messages and status.
 */
import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VIRT_ARGS, bareMetalProgram, firmwareImage, runQemu, runTsemu, withoutProgramName } from './bare-metal';

const FLASH_BANK = 64 * 2 ** 20;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-bios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compare(args: string[]): Promise<{ stdout: string; status: number | null }> {
  const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
  expect(withoutProgramName(ours.stderr)).toBe(withoutProgramName(theirs.stderr));
  expect(ours.stdout).toBe(theirs.stdout);
  expect(ours.status).toBe(theirs.status);
  return theirs;
}

describe('tsemu-system -M virt -bios FILE, as qemu-system-aarch64 does', () => {
  it('runs the firmware from flash at 0x0 at EL1 with the device tree at the base of RAM', async () => {
    const theirs = await compare([...VIRT_ARGS, '-bios', firmwareImage('bios')]);
    expect(theirs.stdout).toContain('running in the first flash bank');
    expect(theirs.status).toBe(0);
  });

  it('takes an image as large as the flash bank', async () => {
    const full = path.join(dir, 'full.bin');
    copyFileSync(firmwareImage('bios'), full);
    truncateSync(full, FLASH_BANK);
    expect((await compare([...VIRT_ARGS, '-bios', full])).status).toBe(0);
  });

  // The kernel goes to fw_cfg for the firmware (fw-cfg.test.ts reads it there), not into RAM.
  it('runs the firmware when -kernel is given too (the kernel is for it to load through fw_cfg)', () =>
    compare([...VIRT_ARGS, '-bios', firmwareImage('bios'), '-kernel', bareMetalProgram('hello')]));

  it('refuses a missing image and one larger than the flash bank', async () => {
    const big = path.join(dir, 'big.bin');
    writeFileSync(big, new Uint8Array(0));
    truncateSync(big, FLASH_BANK + 1);
    for (const file of [path.join(dir, 'missing.bin'), big]) {
      expect((await compare([...VIRT_ARGS, '-bios', file])).status).toBe(1);
    }
  });
});
