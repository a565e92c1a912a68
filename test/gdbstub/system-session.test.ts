/**
 * Issue 12 acceptance 2: gdb-multiarch in batch mode against `tsemu-system -M virt -S -gdb ...`
 * with a bare-metal kernel, compared with the same session against qemu-system-aarch64 -S -gdb:
 * stopped at the entry, system registers (qemu's org.qemu.gdb.arm.sys.regs names), single steps,
 * virtual and physical memory (Qqemu.PhyMemMode), a breakpoint, continue to the guest powering
 * off; Ctrl-C of a running machine and kill; detach; and the monitor resuming a machine gdb is
 * attached to (QMP cont, then the stop at gdb's breakpoint reported to gdb).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { parseSystemArgs } from '../../src/cli/tsemu-system';
import { QmpClient, killAll, listenUnixFd, tempDir } from '../system/harness';
import { QEMU_SYSTEM, TSEMU_SYSTEM, VIRT_ARGS, bareMetalProgram } from '../system-virt/bare-metal';
import { freePort, hasGdb, symbolAddress, waitForPort } from './gdb-harness';
import { RspClient } from './rsp-client';
import { runSystemGdb } from './system-gdb-harness';

afterEach(killAll);

const HELLO = bareMetalProgram('hello');
const TICKER = bareMetalProgram('ticker');
const HIGHER_HALF = bareMetalProgram('higher_half');

/** Both emulators, concurrently. */
function both<T>(run: (emulator: string) => Promise<T>): Promise<[T, T]> {
  return Promise.all([run(TSEMU_SYSTEM), run(QEMU_SYSTEM)]);
}

describe.skipIf(!hasGdb())('gdbstub (tsemu-system -M virt) with gdb-multiarch', () => {
  it('stops at the entry; system registers, stepi, virtual and physical memory, break and continue match qemu', async () => {
    const commands = [
      'p $pc',
      'p/x $SCTLR',
      'p/x $VBAR',
      'p/x $cpsr & 0x3ff',
      'p/x $CNTFRQ_EL0',
      'info registers SCTLR CPACR TTBR0_EL1 TTBR1_EL1 TCR_EL1 MAIR_EL1 ESR_EL1 FAR_EL1 ELR_EL1 SPSR_EL1 CNTKCTL',
      'info registers VBAR CONTEXTIDR_EL1 TPIDR_EL1 SP_EL0 CNTV_CTL_EL0 ID_AA64MMFR0_EL1 CTR_EL0',
      'stepi',
      'stepi',
      'stepi',
      'stepi',
      'stepi',
      'p/x $VBAR',
      'p/x $sp',
      'x/2i $pc',
      'x/4xw 0x40080000',
      'maint packet qqemu.PhyMemMode',
      'maint packet Qqemu.PhyMemMode:1',
      'x/4xw 0x40080000',
      'maint packet Qqemu.PhyMemMode:0',
      'set $VBAR = 0x40081000', // qemu ignores writes to system registers
      'p/x $VBAR',
      'break main',
      'continue',
      'info registers x0 pc',
      'info threads',
      'continue',
    ];
    const [tsemu, qemu] = await both((emulator) =>
      runSystemGdb(emulator, HELLO, commands, { device: (port) => `tcp:127.0.0.1:${port}` }),
    );
    expect(tsemu.gdb).toContain('$1 = (void (*)()) 0x40080000 <_start>');
    expect(tsemu.gdb).toContain('$6 = 0x40080800'); // VBAR after `msr vbar_el1`, five steps in
    expect(tsemu.gdb).toContain('received: "0"'); // virtual addresses until Qqemu.PhyMemMode:1
    expect(tsemu.gdb).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in main \(\)/);
    expect(tsemu.gdb).toContain('[Inferior 1 (process 1) exited normally]');
    expect(tsemu.gdb).toBe(qemu.gdb);
    expect(tsemu.guestStdout).toContain('bye');
    expect(tsemu.status).toBe(0);
    expect(qemu.status).toBe(0);
  }, 60_000);

  it('-accel tcg,thread=multi: breakpoints and registers match qemu (tsemu runs the vCPUs on one thread, and says so)', async () => {
    const commands = ['break main', 'continue', 'info registers x0 pc', 'stepi', 'p $pc', 'continue'];
    const [tsemu, qemu] = await both((emulator) =>
      runSystemGdb(emulator, HELLO, commands, { emulatorArgs: ['-accel', 'tcg,thread=multi'] }),
    );
    expect(tsemu.gdb).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in main \(\)/);
    expect(tsemu.gdb).toBe(qemu.gdb);
    expect(tsemu.emulatorStderr).toBe(
      'tsemu-system: warning: -gdb: the vCPUs run on one host thread (thread=single), where gdb reaches them\n',
    );
    expect(tsemu.status).toBe(0);
    expect(qemu.status).toBe(0);
  }, 60_000);

  it('with the MMU on: a breakpoint in upper-range code, memory read through TTBR1 and at its physical address, as qemu', async () => {
    const physical = symbolAddress(HIGHER_HALF, 'upper_code');
    const upper = (0xffffffc000000000n + BigInt(physical)).toString(16);
    const commands = [
      `break *0x${upper}`,
      'continue',
      'p/x $pc',
      'p/x $SCTLR & 1',
      'p/x $TCR_EL1',
      `x/4xw 0x${upper}`,
      'maint packet Qqemu.PhyMemMode:1',
      `x/4xw 0x${physical.toString(16)}`,
      `x/4xw 0x${upper}`,
      'maint packet Qqemu.PhyMemMode:0',
      'stepi',
      'p/x $pc',
      'delete',
      'continue',
    ];
    const [tsemu, qemu] = await both((emulator) => runSystemGdb(emulator, HIGHER_HALF, commands));
    expect(tsemu.gdb).toContain(`Breakpoint 1, 0x${upper} in ?? ()`);
    expect(tsemu.gdb).toContain(`$4 = 0x${(0xffffffc000000000n + BigInt(physical) + 4n).toString(16)}`);
    expect(tsemu.gdb).toContain(`0x${upper}:\t0x00000000`); // physical mode: nothing there reads as zeros
    expect(tsemu.gdb).toBe(qemu.gdb);
    expect(tsemu.guestStdout).toBe(qemu.guestStdout);
  }, 60_000);

  it('Ctrl-C stops the running machine with SIGINT; kill ends the emulator, as qemu', async () => {
    const commands = ['continue', 'p/x $CNTV_CTL_EL0 & 1', 'p/x $cpsr & 0xc', 'kill'];
    const [tsemu, qemu] = await both((emulator) =>
      runSystemGdb(emulator, TICKER, commands, { interruptAfterMs: 2000 }),
    );
    for (const run of [tsemu, qemu]) {
      expect(run.gdb).toContain('Program received signal SIGINT, Interrupt.');
      expect(run.gdb).toContain('$1 = 0x1');
      expect(run.gdb).toContain('$2 = 0x4'); // EL1
      expect(run.gdb).toContain('[Inferior 1 (process 1) killed]');
      expect(run.guestStdout).toContain('.'); // the timer ticked before the interrupt
      expect(run.status).toBe(0);
    }
    expect(tsemu.emulatorStderr).toContain('Terminated via GDBstub');
  }, 60_000);

  it('detach lets the stopped machine run to its end', async () => {
    const [tsemu, qemu] = await both((emulator) => runSystemGdb(emulator, HELLO, ['stepi', 'detach']));
    for (const run of [tsemu, qemu]) {
      expect(run.gdb).toContain('[Inferior 1 (process 1) detached]');
      expect(run.guestStdout).toContain('bye');
      expect(run.status).toBe(0);
    }
  }, 60_000);

  it('QMP cont resumes a machine gdb holds at -S; the stop at gdb\'s breakpoint is reported to gdb', async () => {
    const main = symbolAddress(HELLO, 'main');
    const session = async (emulator: string): Promise<string[]> => {
      const port = await freePort();
      const sock = path.join(tempDir(), 'qmp.sock');
      const fd = listenUnixFd(sock);
      const qmp = ['-chardev', 'socket,fd=3,server=on,wait=off,id=mon', '-mon', 'chardev=mon,mode=control'];
      const args = [...VIRT_ARGS, '-S', '-gdb', `tcp::${port}`, '-kernel', HELLO, ...qmp];
      const child = spawn(emulator, args, { stdio: ['ignore', 'pipe', 'ignore', fd] });
      native().closeFd(fd);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      try {
        const monitor = await QmpClient.connect(sock);
        await monitor.handshake();
        await waitForPort(port, Date.now() + 10_000);
        const gdb = await RspClient.connect(port);
        const seen: string[] = [];
        seen.push(`? ${(await gdb.request('?'))?.slice(0, 3)}`);
        seen.push(`Z0 ${await gdb.request(`Z0,${main.toString(16)},4`)}`);
        await monitor.execute('cont');
        seen.push(`stop ${(await gdb.reply())?.slice(0, 3)}`);
        const status = (await monitor.execute('query-status'))['return'] as Record<string, unknown>;
        seen.push(`running ${String(status['running'])}`);
        seen.push(`pc ${(await gdb.request('g'))?.slice(32 * 16, 33 * 16)}`); // x0-x30, sp, then pc
        seen.push(`output before main ${JSON.stringify(out)}`);
        seen.push(`z0 ${await gdb.request(`z0,${main.toString(16)},4`)}`);
        await monitor.execute('cont');
        seen.push(`exit ${await gdb.reply()}`);
        seen.push(`status ${await exited}`);
        seen.push(`bye ${out.includes('bye')}`);
        gdb.close();
        return seen;
      } finally {
        child.kill('SIGKILL');
      }
    };
    const [tsemu, qemu] = await both(session);
    const pc = Buffer.alloc(8);
    pc.writeBigUInt64LE(BigInt(main));
    expect(tsemu).toContain(`pc ${pc.toString('hex')}`);
    expect(tsemu).toContain('exit W00');
    expect(tsemu).toEqual(qemu);
  }, 60_000);

  it('malformed packets get error or empty replies; the stub and the machine stay usable', async () => {
    const port = await freePort();
    const child = spawn(TSEMU_SYSTEM, [...VIRT_ARGS, '-S', '-gdb', `tcp::${port}`, '-kernel', HELLO], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await waitForPort(port, Date.now() + 10_000);
      const gdb = await RspClient.connect(port);
      const bad = ['mzz,4', 'm40080000,zz', 'Mzz:00', 'Xzz,1:', 'Z0,zz,4', 'Z9,0,4', 'pzz', 'P1000=00'];
      bad.push('vCont;x', 'M40080000,4:00');
      for (const packet of bad) expect(await gdb.request(packet)).toMatch(/^(E[0-9a-f]{2})?$/);
      expect(await gdb.request('qXfer:features:read:target.xml:zz')).toBeDefined();
      expect(await gdb.request('?')).toMatch(/^T05/);
      expect(await gdb.request('m40080000,4')).toBe('f30300aa'); // mov x19, x0 at the entry
      gdb.send('c');
      expect(await gdb.reply()).toBe('W00');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      gdb.close();
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('-s is -gdb tcp::1234; the later of -s and -gdb wins', () => {
    const gdbOf = (argv: string[]): string | undefined => {
      const parsed = parseSystemArgs(['-M', 'virt', ...argv]);
      return typeof parsed === 'string' ? undefined : parsed.gdb;
    };
    expect(gdbOf(['-s'])).toBe('tcp::1234');
    expect(gdbOf(['-s', '-gdb', 'tcp::4321'])).toBe('tcp::4321');
    expect(gdbOf(['-gdb', 'tcp::4321', '-s'])).toBe('tcp::1234');
    expect(gdbOf([])).toBeUndefined();
  });
});
