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

export interface ConsoleRun {
  /** What the machine printed until it printed `until` (or until it was stopped). */
  output: string;
  /** Whether `until` appeared before the time limit. */
  reached: boolean;
  /** Seconds from start until `until` appeared (or the time limit). */
  seconds: number;
}

/** Runs an emulator until its console output contains `until`, then kills it. */
export function runUntil(
  command: string,
  args: readonly string[],
  until: string,
  timeoutMs: number,
): Promise<ConsoleRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    let output = '';
    let reached = false;
    const finish = (): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(finish, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString('latin1');
      if (!reached && output.includes(until)) {
        reached = true;
        finish();
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve({ output, reached, seconds: (performance.now() - started) / 1000 }));
  });
}
