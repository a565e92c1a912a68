/**
 * Talking to the kernel's binfmt_misc: mounting it when needed, registering and removing tsemu's
 * entries, and reading their status. Every failure is a BinfmtError with a message a user can act
 * on (not root, binfmt_misc unavailable in this container, ...).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ENTRY_PREFIX, entryName, parseEntryStatus, registrationLine, type EntryFlags, type EntryStatus } from './entry';
import type { BinfmtTarget } from './targets';

export const BINFMT_MISC_DIR = '/proc/sys/fs/binfmt_misc';

export class BinfmtError extends Error {}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Throws a BinfmtError unless running as root: changing binfmt_misc entries needs it. */
export function requireRoot(action: string): void {
  if (!isRoot()) throw new BinfmtError(`${action} binfmt_misc entries needs root`);
}

/** Ensures binfmt_misc is mounted at `dir` (mounting it if root); throws BinfmtError when it cannot be. */
export function ensureMounted(dir: string = BINFMT_MISC_DIR): void {
  if (fs.existsSync(path.join(dir, 'register'))) return;
  if (!isRoot()) throw new BinfmtError(`${dir} is not mounted and mounting it needs root`);
  const mount = spawnSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', dir], { encoding: 'utf8' });
  if (mount.error || mount.status !== 0 || !fs.existsSync(path.join(dir, 'register'))) {
    const reason = mount.error?.message ?? mount.stderr.trim();
    throw new BinfmtError(`binfmt_misc is not available here (mount -t binfmt_misc on ${dir} failed: ${reason || 'no register file'})`);
  }
}

/** Writes one line to a binfmt_misc control file; errno becomes a readable BinfmtError. */
function writeControl(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new BinfmtError(`writing ${file} was refused (${code}): registering needs root in the initial user namespace or a kernel with per-namespace binfmt_misc`);
    }
    throw new BinfmtError(`writing ${file} failed: ${(e as Error).message}`);
  }
}

/** Registers `target` with `interpreter`, replacing an earlier tsemu entry of the same name. */
export function registerEntry(target: BinfmtTarget, interpreter: string, flags: EntryFlags, dir: string = BINFMT_MISC_DIR): void {
  requireRoot('registering');
  ensureMounted(dir);
  removeEntry(entryName(target), dir);
  writeControl(path.join(dir, 'register'), registrationLine(target, interpreter, flags));
}

/** Removes the named entry if present; returns whether it was there. */
export function removeEntry(name: string, dir: string = BINFMT_MISC_DIR): boolean {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return false;
  writeControl(file, '-1');
  return true;
}

/** tsemu's registered entries (none when binfmt_misc is not mounted). */
export function tsemuEntries(dir: string = BINFMT_MISC_DIR): EntryStatus[] {
  if (!fs.existsSync(path.join(dir, 'register'))) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(ENTRY_PREFIX))
    .sort()
    .map((name) => parseEntryStatus(name, fs.readFileSync(path.join(dir, name), 'utf8')));
}
