/**
 * A breakpoint set while the loop it lands in runs as compiled code must stop the guest: inserting
 * it discards the translations of its page (ARM and Thumb-2 code: gdb's breakpoint kind 4 is an ARM
 * breakpoint, 2 a Thumb one, and the engine keys Thumb code by pc | 1). The debuggee's "busy" loop
 * runs without syscalls; after Ctrl-C the stop pc is a block start inside the loop, and a breakpoint
 * there must be reported at that pc when the guest continues. (A protocol client drives this: gdb
 * batch mode cannot send Ctrl-C.)
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM } from '../arm/targets';
import { tsemuBinary } from '../lib/targets';
import { buildDebuggee, freePort, symbolExtent, waitForPort } from './gdb-harness';
import { RspClient, interruptWhen } from './rsp-client';

const CASES = [
  { title: 'Thumb-2', flags: ['-mthumb'], kind: 2 },
  { title: 'A32', flags: ['-marm'], kind: 4 },
];

/** The ARM pc is gdb register 15, four little-endian bytes. */
const pcOf = (reply: string | undefined): number => Buffer.from(reply ?? '', 'hex').readUInt32LE(0);

describe.each(CASES)('gdbstub breakpoints in running compiled code (arm, $title)', ({ flags, kind }) => {
  let program = '';
  beforeAll(() => {
    program = buildDebuggee(ARM, flags);
  }, 60_000);

  it('a breakpoint inserted at the interrupted pc stops the loop there', async () => {
    const port = await freePort();
    const emu = spawn(tsemuBinary(ARM), ['-g', String(port), program, 'busy'], { stdio: 'ignore' });
    const killer = setTimeout(() => emu.kill('SIGKILL'), 30_000);
    try {
      await waitForPort(port, Date.now() + 20_000);
      const client = await RspClient.connect(port);
      await client.request('qSupported:multiprocess+;swbreak+;vContSupported+');
      await client.request('?');
      // Interrupted while still starting up, the guest goes on until it is in main's loop.
      const [main, size] = symbolExtent(program, 'main', ARM);
      const inMain = async (): Promise<boolean> => pcOf(await client.request('pf')) - main < size;
      expect(await interruptWhen(client, inMain)).toMatch(/^T02/);
      const pc = pcOf(await client.request('pf'));
      expect(await client.request(`Z0,${pc.toString(16)},${kind}`)).toBe('OK');
      client.send('vCont;c');
      // T05: SIGTRAP, at the breakpoint's address.
      expect(await client.reply()).toMatch(/^T05/);
      expect(pcOf(await client.request('pf'))).toBe(pc);
      expect(await client.request(`z0,${pc.toString(16)},${kind}`)).toBe('OK');
      expect(await client.request('vKill;1')).toBe('OK');
      client.close();
    } finally {
      clearTimeout(killer);
      if (emu.exitCode === null) emu.kill('SIGKILL');
    }
  });
});
