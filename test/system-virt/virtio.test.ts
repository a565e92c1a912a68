/**
 * virtio-mmio on -M virt, compared with qemu-system-aarch64 running the same bare-metal driver
 * (test/guest/system/virtio.c) with the same arguments, each on its own copy of a disk image made
 * here: the transports' registers in QEMU's default legacy form and in the modern one, virtio-blk
 * reads, writes (the images must end up byte-identical), flush, ID, refused requests, a
 * completion taken as a GIC interrupt, read-only drives, -snapshot, virtio-rng, and a virtconsole
 * on virtio-serial (the multiport handshake, output and input through its stdio chardev). Then
 * the option errors of -drive/-device/-global, message for message.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../lib/run-process';
import { QEMU_SYSTEM, TSEMU_SYSTEM, bareMetalProgram, runQemu, runTsemu, withoutProgramName } from './bare-metal';
import { compareOnDisk, makeImage, type Images } from './virtio-disk';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-virtio-'));
const compare = (drive: (disk: string) => string[]): Promise<Images> => compareOnDisk(dir, drive);

const blkAndRng = (disk: string, driveExtra = ''): string[] => [
  ...['-drive', `file=${disk},if=none,format=raw,id=d0${driveExtra}`],
  ...['-device', 'virtio-blk-device,drive=d0,serial=tsemu-serial', '-device', 'virtio-rng-device'],
];

describe('virtio-mmio devices on tsemu-system -M virt, as qemu-system-aarch64 has them', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('legacy transports (QEMU 7.2 default): virtio-blk requests, an interrupt, virtio-rng; the same disk afterwards', async () => {
    const { ours, theirs, original } = await compare((disk) => blkAndRng(disk));
    expect(ours.equals(theirs)).toBe(true);
    expect(ours.equals(original)).toBe(false);
  }, 60_000);

  it('modern transports (-global virtio-mmio.force-legacy=false)', async () => {
    const { ours, theirs } = await compare((disk) => [
      ...['-global', 'virtio-mmio.force-legacy=false'],
      ...blkAndRng(disk),
    ]);
    expect(ours.equals(theirs)).toBe(true);
  }, 60_000);

  it('a read-only drive offers VIRTIO_BLK_F_RO and fails writes', async () => {
    const { ours, original } = await compare((disk) => blkAndRng(disk, ',readonly=on'));
    expect(ours.equals(original)).toBe(true);
  }, 60_000);

  it('-snapshot keeps writes in memory: read back by the guest, the image file unchanged', async () => {
    const { ours, theirs, original } = await compare((disk) => ['-snapshot', ...blkAndRng(disk)]);
    expect(ours.equals(original)).toBe(true);
    expect(theirs.equals(original)).toBe(true);
  }, 60_000);

  it('virtio-serial with a virtconsole on stdio: the control handshake, output, input echoed back, an emergency write', async () => {
    const input = 'ping from the host\n';
    for (const [run, extra] of [[], ['-global', 'virtio-mmio.force-legacy=false']].entries()) {
      const uart = ['ours', 'theirs'].map((who) => path.join(dir, `uart-${who}-${run}.txt`));
      const args = (file: string): string[] => [
        ...['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128M', '-display', 'none', '-serial', `file:${file}`],
        ...extra,
        ...['-chardev', 'stdio,id=c0'],
        ...['-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=c0'],
        ...['-kernel', bareMetalProgram('virtio')],
      ];
      const [ours, theirs] = await Promise.all([
        runTsemu(args(uart[0]!), input),
        runQemu(args(uart[1]!), input),
      ]);
      expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
      expect(theirs.stdout).toBe(`hello from virtio-console\n${input}!`);
      expect(ours.stderr).toBe('');
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.status).toBe(0);
      expect(readFileSync(uart[0]!, 'latin1')).toBe(readFileSync(uart[1]!, 'latin1'));
    }
  }, 60_000);

  it('refuses bad -drive, -device and -global options with QEMU messages', async () => {
    const disk = makeImage(dir);
    const cases = [
      ['-device', 'virtio-foo-device'],
      ['-device', 'virtio-blk-device'],
      ['-device', 'virtio-blk-device,drive=zz'],
      ['-device', 'virtio-rng-device,drive=x'],
      [
        ...['-drive', `file=${disk},if=none,format=raw,id=d0`],
        ...['-device', 'virtio-blk-device,drive=d0', '-device', 'virtio-blk-device,drive=d0'],
      ],
      ['-drive', 'if=none,id=d0', '-device', 'virtio-blk-device,drive=d0'],
      ['-drive', `file=${disk},if=none,format=raw,id=d0`, '-drive', `file=${disk},if=none,format=raw,id=d0`],
      ['-drive', `file=${disk},if=none,format=raw,id=d0,readonly=maybe`],
      ['-drive', `file=${disk},if=none,format=raw,id=d0,bogus=1`],
      ['-drive', `file=${path.join(dir, 'missing.img')},if=none,format=raw,id=d0`],
      ['-drive', `file=${dir},if=none,format=raw,id=d0`],
      ['-global', 'virtio-mmio.foo=1'],
      ['-global', 'virtio-mmio.force-legacy=maybe'],
      ['-device', 'virtconsole,chardev=c0'],
      ['-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=c0'],
      ['-device', 'virtio-serial-device', '-device', 'virtconsole,nr=40'],
      ['-M', 'none', '-display', 'none', '-device', 'virtio-rng-device'],
    ];
    const run = async (binary: string, args: string[]): Promise<string> => {
      const r = await runProcess(binary, {
        args: args[0] === '-M' ? args : ['-M', 'virt', '-nographic', ...args],
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
        timeoutMs: 20_000,
      });
      expect(r.status, `${binary} ${args.join(' ')}`).toBe(1);
      return withoutProgramName(r.stderr);
    };
    for (const args of cases) {
      const [ours, theirs] = await Promise.all([run(TSEMU_SYSTEM, args), run(QEMU_SYSTEM, args)]);
      expect(ours, args.join(' ')).toBe(theirs);
    }
  }, 120_000);

  it('refuses if=virtio (a PCI device on virt) with a clear message instead of ignoring the drive', async () => {
    const r = await runProcess(TSEMU_SYSTEM, {
      args: ['-M', 'virt', '-nographic', '-drive', `file=${makeImage(dir)},format=raw`],
      timeoutMs: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tsemu-system: -drive file=.*: if=virtio is a virtio-blk-pci device/);
  });
});
