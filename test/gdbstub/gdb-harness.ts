/**
 * Drives Debian's gdb-multiarch in batch mode against an emulator started with `-g PORT` (tsemu
 * or qemu-<arch>, the oracle), and builds the -g test program per target.
 */
import { execFileSync, spawn } from 'node:child_process';
import { expect } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AARCH64, type GuestTarget } from '../lib/targets';

export interface GdbRun {
  /** What gdb printed (stdout and stderr interleaved as gdb wrote them). */
  gdb: string;
  /** The guest's own output and exit status under the emulator. */
  guestStdout: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

export function hasGdb(): boolean {
  try {
    execFileSync('gdb-multiarch', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Builds `source` (debuggee.c unless named) statically with debug info for `target`, with extra compiler flags; returns its path. */
export function buildDebuggee(target: GuestTarget = AARCH64, flags: readonly string[] = [], source = 'debuggee.c'): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-gdb-')), 'debuggee');
  execFileSync(target.cc, ['-static', '-g', '-O0', ...flags, '-o', out, path.join(__dirname, source)]);
  return out;
}

/** The address of a symbol, from the target's cross nm. */
export function symbolAddress(program: string, name: string, target: GuestTarget = AARCH64): number {
  const line = execFileSync(target.cc.replace(/gcc$/, 'nm'), [program], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.endsWith(` ${name}`));
  if (!line) throw new Error(`${name} not in ${program}`);
  return parseInt(line.split(' ')[0]!, 16);
}

/**
 * Watchpoints on debuggee.c's `counter`, which each loop iteration reads and then writes (volatile,
 * -O0: a load, an add, a store): `watch` sees it go 0 -> 1 -> 2; `rwatch` then stops after the next
 * load (reading 2); `awatch` after the store that follows (2 -> 3) and after the next load (3).
 */
export const WATCH_SCRIPT = [
  'break main',
  'continue',
  'watch counter',
  'continue',
  'continue',
  'delete',
  'rwatch counter',
  'continue',
  'delete',
  'awatch counter',
  'continue',
  'continue',
  'delete',
  'continue',
];

export function expectWatchHits(gdb: string): void {
  expect(gdb).toMatch(/Hardware watchpoint 2: counter\s+Old value = 0\s+New value = 1/);
  expect(gdb).toMatch(/Old value = 1\s+New value = 2\s/);
  expect(gdb).toMatch(/Hardware read watchpoint 3: counter\s+Value = 2\s/);
  expect(gdb).toMatch(/Hardware access \(read\/write\) watchpoint 4: counter\s+Old value = 2\s+New value = 3\s/);
  expect(gdb).toMatch(/Hardware access \(read\/write\) watchpoint 4: counter\s+Value = 3\s/);
  expect(gdb).toContain('exited with code 07');
}

/** A symbol's address and size, from the target's cross nm -S (ARM: the address without the Thumb bit). */
export function symbolExtent(program: string, name: string, target: GuestTarget = AARCH64): [number, number] {
  const line = execFileSync(target.cc.replace(/gcc$/, 'nm'), ['-S', program], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.endsWith(` ${name}`));
  if (!line) throw new Error(`${name} not in ${program}`);
  const [addr, size] = line.split(' ');
  return [parseInt(addr!, 16), parseInt(size!, 16)];
}

/**
 * Drops what legitimately differs between qemu and tsemu sessions: the stack's place, qemu's file
 * transfer warning, and gdb's warning that it cannot read /proc/PID/task/PID/maps through the
 * stub (it looks for the vDSO's extent there; tsemu gives ppc64 a vDSO, QEMU 7.2 none, and the
 * gdbstub has no vFile host I/O yet).
 */
export function normalise(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('warning: remote target does not support file transfer'))
    .filter((l) => !l.startsWith("warning: unable to open /proc file '/proc/"))
    .join('\n')
    .replace(/argv=0x[0-9a-f]+/g, 'argv=<stack>');
}

/** Ports already handed out: the kernel may offer a just-closed port again to a parallel caller. */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const p = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(p));
      });
      server.on('error', reject);
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** Waits until something listens on `port` (a probe connection would be taken for gdb's, so /proc/net/tcp{,6} is read). */
export async function waitForPort(port: number, deadline: number): Promise<void> {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const listensIn = (table: string): boolean =>
    fs
      .readFileSync(table, 'utf8')
      .split('\n')
      .some((line) => {
        const fields = line.trim().split(/\s+/);
        return (fields[1] ?? '').endsWith(local) && fields[3] === '0A';
      });
  while (Date.now() < deadline) {
    if (listensIn('/proc/net/tcp') || (fs.existsSync('/proc/net/tcp6') && listensIn('/proc/net/tcp6'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port}`);
}

/**
 * Starts `emulator -g PORT program args`, runs gdb with `commands` (-ex each) after `target remote`,
 * and waits for both to end (bounded by timeoutMs).
 */
export interface GdbOptions {
  /** Send gdb SIGINT (as a terminal's Ctrl-C would) this long after it started. */
  interruptAfterMs?: number;
  /** Leave the program off gdb's command line (gdb then asks the stub for it: qXfer:exec-file). */
  noProgramArgument?: boolean;
  timeoutMs?: number;
}

export async function runGdb(emulator: string, program: string, args: string[], commands: string[], options: GdbOptions = {}): Promise<GdbRun> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = await freePort();
  const deadline = Date.now() + timeoutMs;
  const emu = spawn(emulator, ['-g', String(port), program, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let guestStdout = '';
  emu.stdout.on('data', (d: Buffer) => (guestStdout += d.toString()));
  emu.stderr.on('data', () => undefined);
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => emu.on('close', (c, s) => resolve([c, s])));
  const killer = setTimeout(() => emu.kill('SIGKILL'), timeoutMs);
  try {
    await waitForPort(port, deadline);
    const gdbArgs = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set confirm off', '-ex', `target remote :${port}`];
    for (const c of commands) gdbArgs.push('-ex', c);
    if (!options.noProgramArgument) gdbArgs.push(program);
    const gdb = await new Promise<string>((resolve) => {
      const child = spawn('gdb-multiarch', gdbArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      const t = setTimeout(() => child.kill('SIGKILL'), Math.max(1000, deadline - Date.now()));
      const interrupt =
        options.interruptAfterMs !== undefined ? setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs) : undefined;
      child.on('close', () => {
        clearTimeout(t);
        clearTimeout(interrupt);
        resolve(text);
      });
    });
    const [status, signal] = await exited;
    return { gdb, guestStdout, status, signal };
  } finally {
    clearTimeout(killer);
    if (emu.exitCode === null && emu.signalCode === null) emu.kill('SIGKILL');
  }
}
