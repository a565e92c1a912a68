/**
 * A foreign Debian root for the binfmt tests: `debootstrap --foreign` (the first stage, which only
 * downloads and unpacks, run by the host) from the mirror this machine's apt uses, with the .debs
 * kept in .cache/debootstrap/<arch> so later runs download nothing. Also the clean-up of whatever
 * a test or the second stage mounted inside a root.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../lib/targets';

const execFileAsync = promisify(execFile);

export const DEBOOTSTRAP = '/usr/sbin/debootstrap';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
const SUITE = 'bookworm';

/** The Debian mirror apt is configured with (deb822 .sources or one-line sources.list), else deb.debian.org. */
export function aptMirror(): string {
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (fs.existsSync(dir)) files.push(...fs.readdirSync(dir).filter((f) => /\.(list|sources)$/.test(f)).map((f) => path.join(dir, f)));
  for (const file of files) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const uri = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+bookworm\s/m.exec(text);
    if (uri) return uri[1]!;
  }
  return DEFAULT_MIRROR;
}

/** Runs the first stage into `root` (a new directory); throws with debootstrap's output when it fails. */
export async function debootstrapForeign(root: string, debArch: string): Promise<void> {
  const cache = path.join(REPO_ROOT, '.cache', 'debootstrap', debArch);
  fs.mkdirSync(cache, { recursive: true });
  const args = ['--foreign', '--variant=minbase', `--arch=${debArch}`, `--cache-dir=${cache}`, SUITE, root, aptMirror()];
  try {
    await execFileAsync(DEBOOTSTRAP, args, { timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const out = e as { message: string; stdout?: string; stderr?: string };
    throw new Error(`debootstrap ${args.join(' ')} failed: ${out.message}\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  }
}

/** The mounts of this process as (mount point, file system type), octal escapes decoded (from /proc/self/mountinfo). */
function mounts(): { point: string; type: string }[] {
  const decode = (p: string): string => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length > 4)
    .map((fields) => ({ point: decode(fields[4]!), type: fields[fields.indexOf('-') + 1]! }));
}

/** Mount points at or below `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  const real = fs.realpathSync(dir);
  return mounts()
    .map((m) => m.point)
    .filter((p) => p === real || p.startsWith(`${real}/`))
    .sort((a, b) => b.length - a.length);
}

/** The file system type of the topmost mount at exactly `dir`, or undefined when nothing is mounted there. */
export function mountTypeAt(dir: string): string | undefined {
  const real = fs.realpathSync(dir);
  return mounts()
    .filter((m) => m.point === real)
    .at(-1)?.type;
}

/** Unmounts everything mounted at or below `dir`; returns whether nothing is left mounted there. */
export function unmountUnder(dir: string): boolean {
  if (!fs.existsSync(dir)) return true;
  for (const mount of mountsUnder(dir)) spawnSync('umount', [mount]);
  return mountsUnder(dir).length === 0;
}
