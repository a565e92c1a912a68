/**
 * The monitor acting on a running `-M virt` machine, through the management application's flow
 * (a listening socket handed over as descriptor 3, QMP on it): stop halts the guest (its timer
 * output pauses), query-status reports it, `info registers` through human-monitor-command shows
 * the same state qemu-system-aarch64 shows for the same program stopped at the same WFI (as do
 * x/xp memory dumps of code, data, a device register and unbacked memory), cont
 * resumes the guest, quit ends it with status 0; system_reset restarts the program in both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QmpClient, killAll, startWithQmp, withTimeout, type Message } from '../system/harness';
import { QEMU_SYSTEM, TSEMU_SYSTEM, bareMetalProgram } from './bare-metal';

afterEach(killAll);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for guest output');
    await sleep(20);
  }
}

const hmp = async (client: QmpClient, command: string): Promise<string> =>
  ((await client.execute('human-monitor-command', { 'command-line': command }))['return'] as string).replace(
    /\r\n/g,
    '\n',
  );

const status = async (client: QmpClient): Promise<Message> =>
  (await client.execute('query-status'))['return'] as Message;

describe('QMP on a running -M virt machine', () => {
  it('stop pauses the guest, cont resumes it, quit ends it', async () => {
    const emu = await startWithQmp(TSEMU_SYSTEM, [
      '-M',
      'virt',
      '-m',
      '128M',
      '-nographic',
      '-kernel',
      bareMetalProgram('ticker'),
    ]);
    const { client } = emu;
    await sleep(300);
    expect(emu.stdout().length).toBeGreaterThan(3);
    expect(await status(client)).toEqual({ status: 'running', singlestep: false, running: true });
    await client.execute('stop');
    await client.event('STOP');
    expect((await status(client))['status']).toBe('paused');
    const atStop = emu.stdout().length;
    await sleep(300);
    expect(emu.stdout().length).toBe(atStop);
    expect(await hmp(client, 'info registers')).toMatch(
      /^\nCPU#0\n PC=00000000400[0-9a-f]{5} X00=.*\nPSTATE=[0-9a-f]{8} [-NZCV]{4} EL1h /s,
    );
    await client.execute('cont');
    await client.event('RESUME');
    await sleep(300);
    expect(emu.stdout().length).toBeGreaterThan(atStop);
    await client.execute('quit');
    expect(await withTimeout(emu.exited, 10_000, 'exit')).toBe(0);
  });

  it('system_reset restarts the guest program, as in qemu-system-aarch64', async () => {
    const args = [
      '-M',
      'virt',
      '-cpu',
      'cortex-a57',
      '-m',
      '128M',
      '-nographic',
      '-kernel',
      bareMetalProgram('echo'),
    ];
    const banner = 'type; q ends\n';
    const runs = await Promise.all(
      [TSEMU_SYSTEM, QEMU_SYSTEM].map(async (binary) => {
        const emu = await startWithQmp(binary, args);
        try {
          await waitFor(() => emu.stdout() === banner);
          await emu.client.execute('system_reset');
          const reset = await emu.client.event('RESET');
          await waitFor(() => emu.stdout() === banner + banner);
          return reset['data'];
        } finally {
          emu.kill();
        }
      }),
    );
    expect(runs[0]).toEqual({ guest: false, reason: 'host-qmp-system-reset' });
    expect(runs[0]).toEqual(runs[1]);
  });

  it('info registers and x/xp of a guest stopped in WFI read as qemu-system-aarch64 shows them', async () => {
    const args = [
      '-M',
      'virt',
      '-cpu',
      'cortex-a57',
      '-m',
      '128M',
      '-display',
      'none',
      '-kernel',
      bareMetalProgram('echo'),
    ];
    const commands = [
      'info registers',
      'xp /20xw 0x40080000',
      'xp /2xg 0x40080000',
      'xp /10xb 0x40080001',
      'xp /3dw 0x40080000',
      'xp /3uh 0x40080000',
      'xp /3ob 0x40080000',
      'xp /8c 0x40081000',
      'x /2xw 0x40080000',
      'xp /2xh 0x9000018',
      'xp /1xw 0x50000000',
    ];
    const [ours, theirs] = await Promise.all([
      startWithQmp(TSEMU_SYSTEM, args),
      startWithQmp(QEMU_SYSTEM, args),
    ]);
    try {
      await sleep(500);
      const outputs: string[][] = [];
      for (const { client } of [ours, theirs]) {
        await client.execute('stop');
        const texts: string[] = [];
        for (const command of commands) texts.push(await hmp(client, command));
        outputs.push(texts);
      }
      expect(outputs[0]).toEqual(outputs[1]);
    } finally {
      ours.kill();
      theirs.kill();
    }
  });
});
