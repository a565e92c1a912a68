/**
 * Runs gdb-multiarch in batch mode against a `-M virt` machine started with -S and -gdb (tsemu
 * or qemu-system-aarch64, the oracle), with a bare-metal program of test/guest/system/ as kernel.
 */
import { spawn } from 'node:child_process';
import { VIRT_ARGS } from '../system-virt/bare-metal';
import { freePort, waitForPort, type GdbRun } from './gdb-harness';

export interface SystemGdbRun extends GdbRun {
  /** What the emulator wrote to stderr. */
  emulatorStderr: string;
}

export interface SystemGdbOptions {
  /** The -gdb device for a port (default `tcp::PORT`). */
  device?: (port: number) => string;
  /** Send gdb SIGINT (a terminal's Ctrl-C) this long after it started. */
  interruptAfterMs?: number;
  timeoutMs?: number;
  /** More arguments for the emulator. */
  emulatorArgs?: readonly string[];
}

export async function runSystemGdb(
  emulator: string,
  kernel: string,
  commands: readonly string[],
  options: SystemGdbOptions = {},
): Promise<SystemGdbRun> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const port = await freePort();
  const deadline = Date.now() + timeoutMs;
  const device = options.device?.(port) ?? `tcp::${port}`;
  const emuArgs = [...VIRT_ARGS, ...(options.emulatorArgs ?? []), '-S', '-gdb', device, '-kernel', kernel];
  const emu = spawn(emulator, emuArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let guestStdout = '';
  let emulatorStderr = '';
  emu.stdout.on('data', (d: Buffer) => (guestStdout += d.toString('latin1')));
  emu.stderr.on('data', (d: Buffer) => (emulatorStderr += d.toString('latin1')));
  // 'close', not 'exit': a process can exit before its last output has been read from the pipe
  // (each child below is waited for the same way).
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    emu.on('close', (c, s) => resolve([c, s])),
  );
  const killer = setTimeout(() => emu.kill('SIGKILL'), timeoutMs);
  try {
    await waitForPort(port, deadline);
    const args = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set confirm off'];
    args.push('-ex', `target remote :${port}`);
    for (const c of commands) args.push('-ex', c);
    args.push(kernel);
    const gdb = await new Promise<string>((resolve) => {
      const child = spawn('gdb-multiarch', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      const t = setTimeout(() => child.kill('SIGKILL'), Math.max(1000, deadline - Date.now()));
      const interrupt =
        options.interruptAfterMs !== undefined
          ? setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs)
          : undefined;
      child.on('close', () => {
        clearTimeout(t);
        clearTimeout(interrupt);
        resolve(text);
      });
    });
    const [status, signal] = await exited;
    return { gdb, guestStdout, status, signal, emulatorStderr };
  } finally {
    clearTimeout(killer);
    if (emu.exitCode === null && emu.signalCode === null) emu.kill('SIGKILL');
  }
}
