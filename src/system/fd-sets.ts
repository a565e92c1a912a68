/**
 * File descriptor sets (`-add-fd fd=N,set=S[,opaque=TEXT]`): descriptors the management
 * application opened for tsemu, which options then name as `/dev/fdset/S` instead of a path (libvirt
 * passes a serial port's log file so). Opening `/dev/fdset/S` duplicates the set's descriptor whose
 * access mode is the one asked for, as QEMU's qemu_open does: ENOENT without such a set, EACCES
 * without such a descriptor.
 */
import fs from 'node:fs';
import { constants } from 'node:os';
import { checkKeys, OptsError, parseQemuOpts } from './cli/qemu-opts';
import { native } from '../native';

export interface FdSetEntry {
  set: number;
  fd: number;
  opaque?: string;
}

const FDSET_PATH = /^\/dev\/fdset\/(\d+)$/;
/** The access mode bits of open(2)'s flags (Linux). */
const O_ACCMODE = 3;

function nonNegative(key: string, value: string | undefined): number {
  if (value === undefined) throw new OptsError(`${key} option is required and must be non-negative`);
  if (!/^\d+$/.test(value)) throw new OptsError(`Parameter '${key}' expects a number`);
  return Number(value);
}

/** Parses an -add-fd option string and checks that its descriptor is open and not stdio. */
export function fdSetEntryFrom(text: string): FdSetEntry {
  const opts = parseQemuOpts(text);
  checkKeys(opts, ['fd', 'set', 'opaque']);
  // In QEMU's order of checks (parse_add_fd).
  const fd = nonNegative('fd', opts.get('fd'));
  if (fd <= 2) throw new OptsError('fd cannot be a standard I/O stream');
  if (native().hostFdAccessMode(fd) < 0) throw new OptsError('fd is not valid or already in use');
  const set = nonNegative('set', opts.get('set'));
  const opaque = opts.get('opaque');
  return { set, fd, ...(opaque !== undefined && { opaque }) };
}

const entries: FdSetEntry[] = [];

export function addToFdSets(entry: FdSetEntry): void {
  entries.push(entry);
}

/** fs.openSync, but `/dev/fdset/S` is a duplicate of set S's descriptor with the access mode of `flags`. */
export function openPathOrFdSet(path: string, flags: number, mode?: number): number {
  const m = FDSET_PATH.exec(path);
  if (!m) return fs.openSync(path, flags, mode);
  const inSet = entries.filter((e) => e.set === Number(m[1]));
  const fail = (errno: number, code: string, message: string): never => {
    throw Object.assign(new Error(message), { errno: -errno, code });
  };
  if (inSet.length === 0) fail(constants.errno.ENOENT, 'ENOENT', 'No such file or directory');
  const wanted = flags & O_ACCMODE;
  const entry = inSet.find((e) => native().hostFdAccessMode(e.fd) === wanted);
  if (!entry) return fail(constants.errno.EACCES, 'EACCES', 'Permission denied');
  const fd = native().dupFd(entry.fd);
  if (fd < 0) fail(-fd, 'EIO', native().hostStrerror(-fd));
  return fd;
}

/** A failed host file operation's reason in strerror's words, as QEMU prints them ("No such file or directory"). */
export function hostErrorReason(e: unknown): string {
  const errno = (e as NodeJS.ErrnoException).errno;
  return errno === undefined ? (e as Error).message : native().hostStrerror(-errno);
}

/** The fd sets, in query-fdsets' order as QEMU 7.2 gives it: highest set first, each set's descriptors in the order given. */
export function fdSets(): { id: number; entries: FdSetEntry[] }[] {
  const ids = [...new Set(entries.map((e) => e.set))].sort((a, b) => b - a);
  return ids.map((id) => ({ id, entries: entries.filter((e) => e.set === id) }));
}
