/**
 * Ctrl-C: gdb sends the 0x03 byte while the guest runs; the stub must stop the guest and send a
 * stop reply (gdb manual, Remote Protocol, "Interrupts": typically as SIGINT). gdb in batch mode
 * without a terminal cannot send it, so a bare protocol client does. qemu-aarch64 7.2 is no oracle
 * here: in user mode it does not answer the interrupt of a guest looping on syscalls.
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { AARCH64, tsemuBinary } from '../lib/targets';
import { buildDebuggee, freePort, symbolAddress, symbolExtent, waitForPort } from './gdb-harness';
import { RspClient, interruptWhen } from './rsp-client';

interface Interrupted {
  stop?: string;
  pcReply?: string;
  killed?: string;
  exit: Promise<number | null>;
}

async function interruptSpinningGuest(
  emulator: string,
  program: string,
  mode: 'spin' | 'busy',
): Promise<Interrupted> {
  const port = await freePort();
  const emu = spawn(emulator, ['-g', String(port), program, mode], { stdio: 'ignore' });
  const killer = setTimeout(() => emu.kill('SIGKILL'), 30_000);
  const exit = new Promise<number | null>((resolve) => emu.on('exit', (code) => resolve(code)));
  try {
    await waitForPort(port, Date.now() + 20_000);
    const client = await RspClient.connect(port);
    await client.request('qSupported:multiprocess+;swbreak+;vContSupported+');
    await client.request('?');
    // The busy loop is main's: interrupted elsewhere (still starting up), the guest goes on.
    const [addr, size] = symbolExtent(program, 'main');
    const pcOf = async (): Promise<number> =>
      Number(Buffer.from((await client.request('p20')) ?? '', 'hex').readBigUInt64LE(0));
    const stop = await interruptWhen(client, async () => mode === 'spin' || (await pcOf()) - addr < size);
    const pcReply = await client.request('p20');
    const killed = await client.request('vKill;1');
    client.close();
    await Promise.race([exit, new Promise((r) => setTimeout(r, 5000))]);
    return { ...(stop !== undefined ? { stop } : {}), ...(pcReply !== undefined ? { pcReply } : {}), ...(killed !== undefined ? { killed } : {}), exit };
  } finally {
    clearTimeout(killer);
    if (emu.exitCode === null) emu.kill('SIGKILL');
  }
}

describe('gdbstub Ctrl-C (aarch64 user mode)', () => {
  let program = '';
  beforeAll(() => {
    program = buildDebuggee();
  });

  it('stops a guest looping on syscalls with a SIGINT stop reply, and stays debuggable', async () => {
    const run = await interruptSpinningGuest(tsemuBinary(AARCH64), program, 'spin');
    // T02: gdb's SIGINT; the thread id in the multiprocess form gdb offered.
    expect(run.stop).toMatch(/^T02thread:p1\.[0-9a-f]+;$/);
    // p20 is register 32, the pc: 8 little-endian bytes, inside the program's code (after _init).
    const pc = Buffer.from(run.pcReply ?? '', 'hex').readBigUInt64LE(0);
    expect(pc).toBeGreaterThanOrEqual(BigInt(symbolAddress(program, '_init')));
    expect(pc).toBeLessThan(0x1000000n);
    expect(run.killed).toBe('OK');
    // Like qemu-user, a kill from gdb ends the emulator with status 0.
    expect(await run.exit).toBe(0);
  });

  it('stops a guest looping in compiled code without syscalls', async () => {
    const run = await interruptSpinningGuest(tsemuBinary(AARCH64), program, 'busy');
    expect(run.stop).toMatch(/^T02thread:p1\.[0-9a-f]+;$/);
    // The loop is main's: the pc is inside main (nm's address and size).
    const pc = Number(Buffer.from(run.pcReply ?? '', 'hex').readBigUInt64LE(0));
    const [addr, size] = symbolExtent(program, 'main');
    expect(pc).toBeGreaterThanOrEqual(addr);
    expect(pc).toBeLessThan(addr + size);
    expect(run.killed).toBe('OK');
  });
});
