/**
 * The serial port and the monitor sharing stdio, as `-nographic`, `-serial mon:stdio` and
 * `-chardev stdio,mux=on` set them up, against qemu-system-aarch64 running the same interrupt-driven
 * echo program: typed keys reach the guest until `C-a c` gives the monitor the focus (its banner
 * and prompt appear then, its line editing echoes), `C-a c` again gives it back, `C-a h` lists the
 * escapes, `C-a C-a` sends a C-a, `C-a b` sends a break (the program reports the PL011's break
 * error bits), unknown escapes are dropped, `info chardev` shows the mux over its `-base` chardev;
 * with a monitor given elsewhere, -nographic's stdio is a plain one that passes C-a to the guest.
 * `C-a s` under -snapshot writes the guest's disk writes back to the image file, as QEMU's commit.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../system/harness';
import { labelled, typeOnStdin } from '../system/typed-session';
import { QEMU_SYSTEM, TSEMU_SYSTEM, bareMetalProgram } from './bare-metal';

const BOARD = ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128M'];

interface Setup {
  name: string;
  args: (dir: string) => string[];
  keys: string[];
}

const SETUPS: Setup[] = [
  {
    name: '-nographic (serial and monitor multiplexed)',
    args: () => ['-nographic'],
    keys: ['ab', '\x01b', '\x01z', '\x01\x01', '\x01c', 'info status\r', '\x01c', 'cd', '\x01h', '\x01?', '\x01c', 'xy', '\x01c', 'q'],
  },
  {
    name: '-serial mon:stdio',
    args: () => ['-display', 'none', '-serial', 'mon:stdio'],
    keys: ['ab', '\x01c', 'info chardev\r', '\x01c', '\x01c', '\x01c', 'q'],
  },
  {
    name: '-chardev stdio,mux=on with -serial chardev: and -mon chardev=',
    args: () => ['-display', 'none', '-chardev', 'stdio,mux=on,id=cc', '-serial', 'chardev:cc', '-mon', 'chardev=cc'],
    keys: ['ab', '\x01c', 'info chardev\r', '\x01c', 'q'],
  },
  {
    name: '-nographic with a QMP monitor elsewhere (plain stdio)',
    args: (dir) => ['-nographic', '-qmp', `unix:${path.join(dir, 'qmp.sock')},server=on,wait=off`],
    keys: ['ab', '\x01x', '\x01c', 'q'],
  },
];

describe('stdio shared by the serial port and the monitor, compared with QEMU', () => {
  it.each(SETUPS)('$name', async ({ args, keys }) => {
    const program = bareMetalProgram('echo');
    const run = (binary: string): Promise<string[]> => typeOnStdin(binary, [...BOARD, ...args(tempDir()), '-kernel', program], keys);
    const [tsemu, qemu] = await Promise.all([run(TSEMU_SYSTEM), run(QEMU_SYSTEM)]);
    expect(labelled(keys, tsemu, '(start)')).toEqual(labelled(keys, qemu, '(start)'));
  }, 180_000);

  it('C-a s commits a -snapshot drive: the image file gets the guest\'s writes, as QEMU\'s does', async () => {
    const dir = tempDir();
    const original = path.join(dir, 'disk.img');
    const image = Buffer.alloc(128 * 512);
    image.write('tsemu virtio-blk test image, sector 0\n', 0, 'latin1');
    writeFileSync(original, image);
    // The program echoes: each chunk has an answer, so neither waits out the step's time limit.
    const keys = ['x\x01s', 'q'];
    const run = (binary: string, disk: string): Promise<string[]> => {
      copyFileSync(original, disk);
      const drive = ['-drive', `file=${disk},if=none,format=raw,id=d0`, '-device', 'virtio-blk-device,drive=d0'];
      return typeOnStdin(binary, [...BOARD, '-nographic', '-snapshot', ...drive, '-kernel', bareMetalProgram('virtio_wait')], keys);
    };
    const disks = [path.join(dir, 'ours.img'), path.join(dir, 'theirs.img')];
    const [tsemu, qemu] = await Promise.all([run(TSEMU_SYSTEM, disks[0]!), run(QEMU_SYSTEM, disks[1]!)]);
    // All of it at once: the driver's output may pause long enough under load to split differently.
    expect(tsemu.join('')).toBe(qemu.join(''));
    const [ours, theirs] = disks.map((d) => readFileSync(d));
    expect(theirs!.equals(image)).toBe(false);
    expect(ours!.equals(theirs!)).toBe(true);
  }, 180_000);
});
