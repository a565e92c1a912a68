/**
 * virt's fw_cfg device, compared with qemu-system-aarch64: test/guest/system/fwcfg.c, run as -bios
 * firmware, prints what it reads through the data register and by DMA (signatures, ID, fixed
 * items, the file directory and each file, -kernel/-initrd/-append given with -bios, DMA's edge
 * cases). QEMU runs with acpi=off: its ACPI tables are the one thing in its fw_cfg that tsemu
 * does not build (and with acpi=off QEMU offers none either).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bareMetalProgram,
  expectSameRefusal,
  firmwareImage,
  runQemu,
  runTsemu,
  withoutProgramName,
} from './bare-metal';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-fwcfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compare(args: string[]): Promise<string> {
  const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
  expect(withoutProgramName(ours.stderr)).toBe(withoutProgramName(theirs.stderr));
  expect(ours.stdout).toBe(theirs.stdout);
  expect(ours.status).toBe(theirs.status);
  expect(theirs.status).toBe(0);
  return theirs.stdout;
}

describe('fw_cfg on tsemu-system -M virt, as qemu-system-aarch64 has it', () => {
  it('gives -bios firmware the kernel, initrd and command line, by data register and by DMA', async () => {
    const initrd = path.join(dir, 'initrd');
    writeFileSync(initrd, 'an initrd of a few bytes, not a multiple of 8');
    const stdout = await compare([
      ...['-M', 'virt,acpi=off', '-cpu', 'cortex-a57', '-m', '128M', '-nographic'],
      ...['-bios', firmwareImage('fwcfg'), '-kernel', bareMetalProgram('hello'), '-initrd', initrd],
      ...['-append', 'console=ttyAMA0 root=/dev/vda'],
    ]);
    expect(stdout).toContain('signature QEMU');
    expect(stdout).toContain('etc/smbios/smbios-tables');
    expect(stdout).toContain('cmdline "console=ttyAMA0 root=/dev/vda"');
  });

  it('describes the CPUs, sockets and RAM in its items and SMBIOS tables', () =>
    compare([
      ...['-M', 'virt,acpi=off', '-cpu', 'cortex-a72', '-smp', '4,sockets=2', '-m', '256M'],
      ...['-display', 'none', '-serial', 'stdio', '-bios', firmwareImage('fwcfg')],
    ]));

  it("lists the disks given a bootindex in its bootorder, in QEMU's order and words", async () => {
    const disks = ['a', 'b'].map((name) => {
      const file = path.join(dir, `${name}.img`);
      writeFileSync(file, Buffer.alloc(64 * 1024));
      return file;
    });
    const stdout = await compare([
      ...['-M', 'virt,acpi=off', '-cpu', 'cortex-a57', '-m', '128M', '-nographic', '-bios', firmwareImage('fwcfg')],
      ...['-blockdev', `driver=file,filename=${disks[0]},node-name=f0`, '-drive', `if=none,id=d1,file=${disks[1]},format=raw`],
      ...['-device', 'virtio-rng-device', '-device', 'virtio-blk-device,drive=f0,bootindex=2'],
      ...['-device', 'virtio-blk-device,drive=d1,bootindex=1'],
    ]);
    expect(stdout).toMatch(/bootorder size=0x4e\n/);
  });

  it('refuses unreadable images, -append/-initrd without -kernel and a bad acpi value, as QEMU', async () => {
    const base = ['-M', 'virt', '-nographic', '-bios', firmwareImage('fwcfg')];
    await Promise.all([
      expectSameRefusal([...base, '-kernel', path.join(dir, 'missing')]),
      expectSameRefusal([...base, '-kernel', bareMetalProgram('hello'), '-initrd', path.join(dir, 'none')]),
      expectSameRefusal(['-M', 'virt,acpi=maybe', '-nographic', '-bios', firmwareImage('fwcfg')]),
      // A command line or an initrd is for a kernel, even with firmware.
      expectSameRefusal([...base, '-append', 'console=ttyAMA0']),
      expectSameRefusal([...base, '-initrd', bareMetalProgram('hello')]),
    ]);
  });
});
