/**
 * The native launcher (native/launcher/launcher.c, built by node-gyp next to the addon) and the
 * per-architecture names it is registered under: tsemu-<arch>-binfmt, and tsemu-<arch>-binfmt-P
 * for entries with the P flag (the launcher reads the architecture and the P marker from its name).
 */
import fs from 'node:fs';
import path from 'node:path';
import { installRoot } from '../install-root';
import type { BinfmtTarget } from './targets';

/** Where setup-chroot installs the runtime inside a root (the launcher looks there first). */
export const PRIVATE_RUNTIME = '/usr/libexec/tsemu-binfmt';

export function launcherDir(root: string = installRoot()): string {
  return path.join(root, 'build', 'Release');
}

export function launcherPath(root: string = installRoot()): string {
  return path.join(launcherDir(root), 'tsemu-launcher');
}

/** The name the kernel starts the launcher under for `target`. */
export function launcherName(target: BinfmtTarget, preserveArgv0: boolean): string {
  return `tsemu-${target.emulator}-binfmt${preserveArgv0 ? '-P' : ''}`;
}

/** Makes sure `dir` holds the launcher's per-target names (symbolic links to it); returns the path for `target`. */
export function ensureLauncherLink(dir: string, target: BinfmtTarget, preserveArgv0: boolean): string {
  const launcher = path.join(dir, 'tsemu-launcher');
  if (!fs.existsSync(launcher)) {
    throw new Error(`${launcher} is missing: build it with node-gyp (npm run build:native)`);
  }
  const link = path.join(dir, launcherName(target, preserveArgv0));
  let current: string | undefined;
  try {
    current = fs.readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== 'tsemu-launcher') {
    // Made aside and renamed over: concurrent registrations never see the name missing.
    const fresh = `${link}.${process.pid}.new`;
    fs.rmSync(fresh, { force: true });
    fs.symlinkSync('tsemu-launcher', fresh);
    fs.renameSync(fresh, link);
  }
  return link;
}
