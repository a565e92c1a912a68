/**
 * The human monitor's line editing against qemu-system-aarch64's: the same keys typed at both
 * monitors (on a unix socket, where QEMU's readline echoes as on a terminal) must be answered with
 * the same bytes: the redraw after each key, cursor movement, deletion, the history, C-l, Tab
 * completion where the candidates are commands both emulators have, and QEMU's help texts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from './harness';
import { labelled, typeOnSocket } from './typed-session';

const QEMU = 'qemu-system-aarch64';

const KEYS = [
  'info status\r',
  'info status\n',
  'info status\r\n',
  '\r',
  'xinfo\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x04\x1b[C\x05 statsu\x1b[D\x7fus\x1b[D\x1b[C\r',
  'nfo status\x01i\x05\r',
  '\x1b[A\r',
  '\x1b[A\x1b[A\x1b[B\x1b[B\x1b[B\r',
  'info foo\x17status\r',
  'iinfo status\x01\x04\r',
  'iinfo status\x1b[1~\x1b[3~\x1b[4~\r',
  'info statu\x1bOH\x1bOFs\r',
  'info st\x1b[2~atus\x0b\x15\x10\x0e\r',
  'info status\x08\x08us\r',
  '\x1bxinfo status\x9bD\x9bC\r',
  'xx\x0c\x7f\x7f\r',
  'in\xe9fo\r',
  'con\t\r',
  'help clo\t\r',
  'help cont\r',
  'help info status\r',
  'help frobnicate\r',
  'info frobnicate\r',
  'stop \t\r',
];

describe('HMP line editing, compared with QEMU', () => {
  it('answers every key as QEMU does', async () => {
    const run = (binary: string): Promise<string[]> => {
      const sock = path.join(tempDir(), 'hmp.sock');
      const args = ['-M', 'none', '-display', 'none', '-S', '-monitor', `unix:${sock},server=on,wait=off`];
      return typeOnSocket(binary, args, sock, KEYS).finally(() => fs.rmSync(path.dirname(sock), { recursive: true }));
    };
    const [tsemu, qemu] = await Promise.all([run(BIN), run(QEMU)]);
    expect(tsemu.length).toBe(KEYS.length + 1);
    expect(labelled(KEYS, tsemu, '(banner)')).toEqual(labelled(KEYS, qemu, '(banner)'));
  }, 120_000);
});
