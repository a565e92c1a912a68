/**
 * binfmt.d files for systemd-binfmt (binfmt.d(5)): one tsemu-<arch>.conf per target holding the
 * same registration line the kernel takes, loaded at boot instead of registering now.
 */
import fs from 'node:fs';
import path from 'node:path';
import { entryName, registrationLine, type EntryFlags } from './entry';
import type { BinfmtTarget } from './targets';

/** The binfmt.d file name of `target`. */
export function binfmtConfName(target: BinfmtTarget): string {
  return `${entryName(target)}.conf`;
}

/** The content of `target`'s binfmt.d file. */
export function binfmtConf(target: BinfmtTarget, interpreter: string, flags: EntryFlags): string {
  return `# tsemu: run ${target.arch} binaries through ${interpreter}\n${registrationLine(target, interpreter, flags)}\n`;
}

/** Writes the file into `dir` (created if needed); returns its path. */
export function writeBinfmtConf(dir: string, target: BinfmtTarget, interpreter: string, flags: EntryFlags): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, binfmtConfName(target));
  fs.writeFileSync(file, binfmtConf(target, interpreter, flags));
  return file;
}
