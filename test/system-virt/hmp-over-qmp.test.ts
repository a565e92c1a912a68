/**
 * human-monitor-command's output, byte for byte as qemu-system-aarch64 returns it: HMP's lines end
 * in CRLF there too (the command runs in a monitor of its own, which writes them so), and on a
 * machine without CPUs or memory (-M none) the commands run and say so. Both emulators run the same
 * paused machine with QMP on a socket passed as descriptor 3.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { QmpClient, killAll, listenUnixFd, tempDir } from '../system/harness';
import { QEMU_SYSTEM, TSEMU_SYSTEM } from './bare-metal';

afterEach(killAll);

/** The replies to `lines` from `binary` running `machine` paused, with QMP on descriptor 3. */
async function hmpReplies(
  binary: string,
  machine: readonly string[],
  lines: readonly string[],
): Promise<string[]> {
  const sock = path.join(tempDir(), 'qmp.sock');
  const fd = listenUnixFd(sock);
  const qmp = ['-chardev', 'socket,fd=3,server=on,wait=off,id=mon', '-mon', 'chardev=mon,mode=control'];
  const args = [...machine, '-S', '-display', 'none', ...qmp];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'ignore', fd] });
  native().closeFd(fd);
  try {
    const client = await QmpClient.connect(sock);
    await client.handshake();
    const replies: string[] = [];
    for (const line of lines) {
      const reply = await client.execute('human-monitor-command', { 'command-line': line });
      replies.push(reply['return'] as string);
    }
    return replies;
  } finally {
    child.kill('SIGKILL');
  }
}

describe('human-monitor-command', () => {
  it('returns HMP output with CRLF line ends, as qemu-system-aarch64 does', async () => {
    const same = ['info status', 'help quit', 'no-such-command', 'xp /8x 0x9000fe0', 'stop'];
    const lines = [...same, 'info registers'];
    const virt = ['-M', 'virt', '-cpu', 'cortex-a57'];
    const [ours, theirs] = await Promise.all([
      hmpReplies(TSEMU_SYSTEM, virt, lines),
      hmpReplies(QEMU_SYSTEM, virt, lines),
    ]);
    expect(ours.slice(0, same.length)).toEqual(theirs.slice(0, same.length));
    // The registers' values differ between the emulators; their lines end alike.
    const lineEnds = (text: string): string[] => text.match(/\r?\n/g) ?? [];
    expect(lineEnds(ours.at(-1)!)).toEqual(lineEnds(theirs.at(-1)!));
    expect(theirs[3]).toContain('\r\n');
  });

  it('runs commands on a machine without CPUs or memory, as qemu-system-aarch64 does', async () => {
    const lines = ['info status', 'xp /2x 0x9000fe0', 'info registers', 'x /2x 0', 'info cpus', 'cpu 0'];
    const none = ['-M', 'none'];
    const [ours, theirs] = await Promise.all([
      hmpReplies(TSEMU_SYSTEM, none, lines),
      hmpReplies(QEMU_SYSTEM, none, lines),
    ]);
    expect(ours).toEqual(theirs);
  });
});
