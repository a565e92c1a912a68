/**
 * Debian's arm64 kernel for the Linux boot tests, fetched at test time (never committed): the
 * linux-image-arm64 metapackage names the current kernel package in its Depends field; that
 * package's vmlinuz (gzip-compressed Image) is what `-kernel` gets, as from a Debian install.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fetchDebianPackage } from '../lib/debian';
import { REPO_ROOT } from '../lib/targets';
import { startWithQmp as startProcessWithQmp, type QmpClient } from '../system/harness';

const execFileAsync = promisify(execFile);
const METAPACKAGE = 'linux-image-arm64';

/** Downloads (once) the kernel linux-image-arm64 depends on; returns the path of its vmlinuz. */
export async function debianArm64Kernel(): Promise<string> {
  const meta = await fetchDebianPackage('arm64', METAPACKAGE);
  const deb = readFileSync(path.join(meta, `.fetched-${METAPACKAGE}-arm64`), 'latin1').trim();
  const pool = path.join(process.env['TSEMU_DEB_CACHE'] ?? path.join(REPO_ROOT, '.cache', 'debs'), 'pool');
  const { stdout } = await execFileAsync('dpkg-deb', ['-f', path.join(pool, deb), 'Depends']);
  const kernelPackage = /^(linux-image-\S+-arm64)\b/.exec(stdout.trim())?.[1];
  if (!kernelPackage) throw new Error(`${METAPACKAGE} depends on no kernel package: ${stdout}`);
  const root = await fetchDebianPackage('arm64', kernelPackage);
  const image = readdirSync(path.join(root, 'boot')).find((f) => f.startsWith('vmlinuz-'));
  if (!image) throw new Error(`${kernelPackage} holds no boot/vmlinuz-*`);
  return path.join(root, 'boot', image);
}

/** The lib/modules/<version> directory of the kernel package that holds `vmlinuz` (its modules). */
export function kernelModulesDir(vmlinuz: string): string {
  const version = path.basename(vmlinuz).replace(/^vmlinuz-/, '');
  return path.join(path.dirname(path.dirname(vmlinuz)), 'lib', 'modules', version);
}

export interface ConsoleRun {
  /** What the machine printed until it printed `until` (or until it ended or was stopped). */
  output: string;
  /** Whether `until` appeared (without `until`: whether the emulator ended by itself) in time. */
  reached: boolean;
  /** Seconds from start until `until` appeared, the emulator ended, or the time limit. */
  seconds: number;
  /** The emulator's exit status (null when it was killed). */
  status: number | null;
}

/**
 * Runs an emulator until its console output contains `until`, then kills it; without `until`,
 * until it exits. Killed at the time limit either way.
 */
export function runUntil(
  command: string,
  args: readonly string[],
  until: string | undefined,
  timeoutMs: number,
): Promise<ConsoleRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    let output = '';
    let reached = false;
    let seconds = 0;
    const finish = (): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(finish, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString('latin1');
      if (until !== undefined && !reached && output.includes(until)) {
        reached = true;
        seconds = (performance.now() - started) / 1000;
        finish();
      }
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (until === undefined) reached = status !== null;
      if (!seconds) seconds = (performance.now() - started) / 1000;
      resolve({ output, reached, seconds, status });
    });
  });
}

/** A machine started with QMP on a socket passed as descriptor 3, its client connected. */
export interface QmpMachine {
  client: QmpClient;
  /** The console output so far. */
  output: () => string;
  kill: () => void;
}

/** Starts an emulator as a management application does: QMP on a listening socket given as fd 3. */
export async function startWithQmp(command: string, args: readonly string[]): Promise<QmpMachine> {
  const { client, stdout, kill } = await startProcessWithQmp(command, args);
  return { client, output: stdout, kill };
}

/** Waits until the machine's console output from offset `from` on contains `text`. */
export async function waitForOutput(
  machine: QmpMachine,
  text: string,
  timeoutMs: number,
  from = 0,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!machine.output().includes(text, from)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${machine.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
