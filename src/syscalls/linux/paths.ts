/**
 * Guest path arguments as the host sees them. QEMU's -L rule: an absolute path that exists under
 * the guest sysroot is taken from there, anything else from the host. For open and readlink (as
 * under QEMU), /proc/self/exe and /proc/<own pid>/exe name the guest executable, not tsemu.
 * /proc/self/fd/N, /proc/self/fdinfo/N (a thread's /proc/self/task/TID/... too) and /dev/fd/N name
 * guest descriptor N, that is its host descriptor.
 */
import fs from 'node:fs';
import type { GuestProcess } from '../../user/process';
import { fdTable, NEVER_OPEN_FD } from './fd-table';
import { readGuestString } from './guest-access';
import { hostArena } from './host';

const PATH_MAX = 4096;

/** Whether a guest path names the process's own executable through /proc. */
export function isProcSelfExe(path: Buffer): boolean {
  const s = path.toString('latin1');
  return s === '/proc/self/exe' || s === `/proc/${process.pid}/exe`;
}

const FD_PATH = /^(\/proc\/(self|thread-self|\d+)(?:\/task\/\d+)?\/fd(?:info)?\/|\/dev\/fd\/)(\d+)(\/.*)?$/s;

/** A /proc/self/fd/N, /proc/self/fdinfo/N (or /dev/fd/N) path renumbered to the host descriptor, or undefined for other paths. */
function fdPath(proc: GuestProcess, path: Buffer): Buffer | undefined {
  const m = FD_PATH.exec(path.toString('latin1'));
  if (!m || (m[2] !== undefined && /^\d+$/.test(m[2]) && Number(m[2]) !== process.pid)) return undefined;
  const host = fdTable(proc).host(Number(m[3])) ?? NEVER_OPEN_FD;
  return Buffer.from(`${m[1]}${host}${m[4] ?? ''}`, 'latin1');
}

/** The host path for a guest path. */
export function hostPathOf(proc: GuestProcess, path: Buffer): Buffer {
  const renumbered = fdPath(proc, path);
  if (renumbered) return renumbered;
  const prefix = proc.options.ldPrefix;
  if (prefix && path[0] === 0x2f) {
    const prefixed = Buffer.concat([Buffer.from(prefix), path]);
    if (fs.existsSync(prefixed)) return prefixed;
  }
  return path;
}

/** Reads the guest path at `addr`: the bytes, or -EFAULT / -ENAMETOOLONG. */
export function readGuestPath(proc: GuestProcess, addr: number): Buffer | number {
  return readGuestString(proc, addr, PATH_MAX - 1);
}

/** The host path for the guest path at `addr`, NUL-terminated in the host arena: its host address, or -errno. */
export function hostPathArg(proc: GuestProcess, addr: number): number {
  const path = readGuestPath(proc, addr);
  if (typeof path === 'number') return path;
  return hostArena.cString(hostPathOf(proc, path));
}

/** hostPathArg for a file being opened: /proc/self/exe opens the guest executable. */
export function hostOpenPathArg(proc: GuestProcess, addr: number): number {
  const path = readGuestPath(proc, addr);
  if (typeof path === 'number') return path;
  return hostArena.cString(isProcSelfExe(path) ? Buffer.from(proc.exePath) : hostPathOf(proc, path));
}

/** A guest string passed to the host verbatim (a symlink's target), NUL-terminated in the arena, or -errno. */
export function hostStringArg(proc: GuestProcess, addr: number): number {
  const s = readGuestPath(proc, addr);
  return typeof s === 'number' ? s : hostArena.cString(s);
}
