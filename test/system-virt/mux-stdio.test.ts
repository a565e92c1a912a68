/**
 * The serial port and the monitor sharing stdio, as `-nographic`, `-serial mon:stdio` and
 * `-chardev stdio,mux=on` set them up, against qemu-system-aarch64 running the same interrupt-driven
 * echo program: typed keys reach the guest until `C-a c` gives the monitor the focus (its banner
 * and prompt appear then, its line editing echoes), `C-a c` again gives it back, `C-a h` lists the
 * escapes, `C-a C-a` sends a C-a, unknown escapes are dropped, `info chardev` shows the mux over
 * its `-base` chardev; and with a monitor given elsewhere, -nographic's stdio is a plain one that
 * passes C-a to the guest.
 */
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
    keys: ['ab', '\x01z', '\x01\x01', '\x01c', 'info status\r', '\x01c', 'cd', '\x01h', '\x01?', '\x01c', 'xy', '\x01c', 'q'],
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
});
