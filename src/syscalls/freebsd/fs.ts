/**
 * File calls whose FreeBSD form differs from Linux's beyond the tables: the *at() flag bits
 * (FREEBSD_AT), struct stat (via the layout, the generic converter fills it), getdirentries
 * (FreeBSD's struct dirent, converted from the host's getdents64 records), __getcwd (0 on success,
 * not a length) and the termios ioctls (FreeBSD's own bit assignments, termios.ts).
 */
import type { GuestProcess } from '../../user/process';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { hostFd } from '../linux/fd-table';
import { E, guestRange } from '../linux/guest-access';
import { hostArena, hostSyscall } from '../linux/host';
import { LINUX_SYSCALLS } from '../linux/registry';
import type { SyscallArgs } from '../types';
import { FREEBSD_AT, LINUX_AT } from './flags';
import { FREEBSD_DIRENT } from './layouts';

type AtFlag = keyof typeof FREEBSD_AT;

/** The *at() flags a call accepts, FreeBSD -> Linux; undefined (EINVAL) for any other bit. */
function atFlags(flags: number, allowed: readonly AtFlag[]): number | undefined {
  let out = 0;
  let rest = flags;
  for (const name of allowed) {
    if (rest & FREEBSD_AT[name]) out |= LINUX_AT[name];
    rest &= ~FREEBSD_AT[name];
  }
  return rest === 0 ? out : undefined;
}

/** A generic handler with the *at() flags in argument `index` translated first. */
function withAtFlags(linuxName: string, index: number, allowed: readonly AtFlag[], args: string) {
  const generic = LINUX_SYSCALLS[linuxName]!.handler;
  return syscall(args, (proc: GuestProcess, a: SyscallArgs) => {
    const flags = atFlags(int(a[index]), allowed);
    if (flags === undefined) return -E.EINVAL;
    const translated = [...a];
    translated[index] = flags;
    return generic(proc, translated);
  });
}

const FOLLOW: readonly AtFlag[] = ['AT_SYMLINK_NOFOLLOW'];

const HOST_DIRENT_NAME = 19;
const SEEK_CUR = 1;
/** At most this much is read per call (the host scratch arena is 1 MiB). */
const HOST_LIMIT = 256 * 1024;

/**
 * getdirentries(fd, buf, nbytes, basep): the host's getdents64 records rewritten as FreeBSD
 * dirents (8-byte aligned reclen, name at 24). A FreeBSD record is at most 4/3 of the host's
 * (24 -> 32 bytes for the shortest names), so asking the host for 3/4 of nbytes always fits and
 * the directory offset never needs rewinding. *basep gets the offset the read started at.
 */
function getdirentries(proc: GuestProcess, [fdArg, buf, nbytesArg, basep]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const nbytes = int(nbytesArg);
  if (nbytes < 0 || guestRange(proc, buf!, nbytes, true) === undefined) return -E.EFAULT;
  if (basep !== 0 && guestRange(proc, basep!, 8, true) === undefined) return -E.EFAULT;
  const start = hostSyscall('lseek', fd, 0, SEEK_CUR);
  const count = Math.min(Math.floor((nbytes * 3) / 4), HOST_LIMIT);
  const at = hostArena.alloc(count);
  const got = hostSyscall('getdents64', fd, hostArena.address(at), count);
  if (got < 0) return got;
  const host = hostArena.view;
  const view = proc.memory.view;
  let out = 0;
  for (let p = at; p < at + got;) {
    const reclen = host.getUint16(p + 16, true);
    const nameBytes = hostArena.bytesAt(p + HOST_DIRENT_NAME, reclen - HOST_DIRENT_NAME);
    const namlen = nameBytes.indexOf(0);
    const size = Math.ceil((FREEBSD_DIRENT.name + namlen + 1) / 8) * 8;
    const d = buf! + out;
    proc.memory.u8.fill(0, d, d + size);
    view.setBigUint64(d + FREEBSD_DIRENT.fileno, host.getBigUint64(p, true), true);
    view.setBigInt64(d + FREEBSD_DIRENT.off, host.getBigInt64(p + 8, true), true);
    view.setUint16(d + FREEBSD_DIRENT.reclen, size, true);
    view.setUint8(d + FREEBSD_DIRENT.type, host.getUint8(p + 18));
    view.setUint16(d + FREEBSD_DIRENT.namlen, namlen, true);
    proc.memory.u8.set(nameBytes.subarray(0, namlen), d + FREEBSD_DIRENT.name);
    out += size;
    p += reclen;
  }
  if (basep !== 0) view.setBigInt64(basep!, BigInt(start), true);
  return out;
}

function getcwd(proc: GuestProcess, args: SyscallArgs): number {
  const r = LINUX_SYSCALLS['getcwd']!.handler(proc, args);
  return r < 0 ? r : 0;
}

export const FS_SYSCALLS: SyscallGroup = {
  fstatat: withAtFlags('newfstatat', 3, FOLLOW, 'dsxh'),
  faccessat: withAtFlags('faccessat2', 3, ['AT_EACCESS', 'AT_SYMLINK_NOFOLLOW'], 'dsoh'),
  fchmodat: withAtFlags('fchmodat', 3, FOLLOW, 'dsoh'),
  fchownat: withAtFlags('fchownat', 4, FOLLOW, 'dsddh'),
  unlinkat: withAtFlags('unlinkat', 2, ['AT_REMOVEDIR'], 'dsh'),
  linkat: withAtFlags('linkat', 4, ['AT_SYMLINK_FOLLOW'], 'dsdsh'),
  utimensat: withAtFlags('utimensat', 3, FOLLOW, 'dsxh'),
  getdirentries: syscall('dxdx', getdirentries),
  __getcwd: syscall('xd', getcwd),
};
