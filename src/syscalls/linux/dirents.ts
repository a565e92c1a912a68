/**
 * Directory reading: getdents64 records (struct linux_dirent64, the same layout on every ABI, byte
 * order aside) and the old getdents records (struct linux_dirent: longs, d_type in the record's
 * last byte), made from the host's getdents64.
 *
 * 32-bit guests get 32-bit directory cookies, the way a 64-bit Linux serves a 32-bit process:
 * filesystems that hash names into 64-bit cookies (ext4 htree: major hash in the high half) give
 * compat tasks the major hash alone. A directory whose host cookies do not fit in 31 bits is
 * switched to that "hash" form: cookies are shifted down 32 bits on the way to the guest and up
 * on the way back (lseek / _llseek), so telldir/seekdir round-trip and no EOVERFLOW arises.
 *
 * The process's own descriptor directories (/proc/self/fd and fdinfo, a thread's /proc/self/task/TID/...) list
 * host descriptors: tsemu's own (the event loop's, the translation cache's) and the guest's under
 * their host numbers. The guest sees its own numbers there, as readlink of /proc/self/fd/N already
 * resolves them (paths.ts), and none of tsemu's.
 */
import fs from 'node:fs';
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int } from './define';
import { identity } from './fd-kinds';
import { fdTable, hostFd } from './fd-table';
import { E, guestRange } from './guest-access';
import { HOST, hostArena, hostSyscall } from './host';

const NAME_OFFSET = 19;
const COOKIE_SHIFT = 2n ** 32n;
const FITS_31_BITS = 2n ** 31n;
const SEEK_SET = 0;

/** Host directories in hash-cookie form, by host descriptor, with the identity they had. */
const hashed = new WeakMap<GuestProcess, Map<number, string>>();

/** Whether `fd` is still the directory markHashed saw (a reused descriptor number is another file). */
function isHashed(proc: GuestProcess, fd: number): boolean {
  const id = hashed.get(proc)?.get(fd);
  return id !== undefined && id === identity(fd);
}

function markHashed(proc: GuestProcess, fd: number): void {
  const map = hashed.get(proc) ?? new Map<number, string>();
  hashed.set(proc, map);
  map.set(fd, identity(fd));
}

interface HostRecord {
  ino: bigint;
  off: bigint;
  type: number;
  name: Uint8Array;
}

/** Host getdents64 records in `bytes`. */
function parseRecords(bytes: Uint8Array): HostRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: HostRecord[] = [];
  for (let at = 0; at < bytes.length; ) {
    const reclen = view.getUint16(at + 16, HOST.littleEndian);
    const nameEnd = bytes.indexOf(0, at + NAME_OFFSET);
    out.push({
      ino: view.getBigUint64(at, HOST.littleEndian),
      off: view.getBigInt64(at + 8, HOST.littleEndian),
      type: bytes[at + 18]!,
      name: bytes.subarray(at + NAME_OFFSET, nameEnd < 0 || nameEnd > at + reclen ? at + reclen : nameEnd),
    });
    at += reclen;
  }
  return out;
}

/** A record's name as a descriptor number, or undefined for a name that is not one ('.', '..'). */
function descriptorNumber(r: HostRecord): number | undefined {
  const name = String.fromCharCode(...r.name);
  return /^\d+$/.test(name) ? Number(name) : undefined;
}

/** Whether host descriptor `fd` reads one of this process's descriptor directories. */
function listsOwnDescriptors(fd: number): boolean {
  try {
    const m = /^\/proc\/(\d+)\/(?:task\/\d+\/)?fd(?:info)?$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`));
    return m !== null && Number(m[1]) === process.pid;
  } catch {
    return false;
  }
}

/** A descriptor directory's records under the guest's numbers: a host descriptor the guest does not have is left out. */
function asGuestDescriptors(proc: GuestProcess, records: readonly HostRecord[]): HostRecord[] {
  const table = fdTable(proc);
  const guestOf = new Map<number, number[]>();
  for (const fd of table.guestFds()) {
    const host = table.host(fd)!;
    guestOf.set(host, [...(guestOf.get(host) ?? []), fd]);
  }
  return records.flatMap((r) => {
    const host = descriptorNumber(r);
    if (host === undefined) return [r];
    return (guestOf.get(host) ?? []).map((fd) => ({ ...r, name: Buffer.from(String(fd), 'latin1') }));
  });
}

/** The guest's view of cookies for this batch: 32-bit guests switch hash-cookie directories to 32-bit cookies. */
function cookieMapper(proc: GuestProcess, fd: number, records: readonly HostRecord[]): (off: bigint) => bigint {
  if (proc.abi.wordSize !== 4) return (off) => off;
  if (!isHashed(proc, fd) && records.some((r) => r.off >= FITS_31_BITS)) markHashed(proc, fd);
  return isHashed(proc, fd) ? (off) => off / COOKIE_SHIFT : (off) => off;
}

/** One guest record format: where the name goes, the record's size for a name, how to write the rest. */
interface RecordFormat {
  readonly nameOffset: number;
  size(nameLength: number): number;
  /** Writes the fixed fields; false when a value does not fit the record (EOVERFLOW). */
  write(view: DataView, at: number, size: number, r: HostRecord, off: bigint, le: boolean): boolean;
}

const DIRENT64: RecordFormat = {
  nameOffset: NAME_OFFSET,
  size: (n) => Math.ceil((NAME_OFFSET + n + 1) / 8) * 8,
  write: (view, at, size, r, off, le) => {
    view.setBigUint64(at, r.ino, le);
    view.setBigInt64(at + 8, off, le);
    view.setUint16(at + 16, size, le);
    view.setUint8(at + 18, r.type);
    return true;
  },
};

/** struct linux_dirent of a `word`-byte long: ino, off, reclen, name, NUL, pad, d_type last. */
function oldDirent(word: 4 | 8): RecordFormat {
  const header = 2 * word + 2;
  const limit = 2n ** BigInt(8 * word);
  return {
    nameOffset: header,
    size: (n) => Math.ceil((header + n + 2) / word) * word,
    write: (view, at, size, r, off, le) => {
      if (r.ino >= limit || off >= limit / 2n) return false;
      if (word === 8) {
        view.setBigUint64(at, r.ino, le);
        view.setBigInt64(at + 8, off, le);
      } else {
        view.setUint32(at, Number(r.ino), le);
        view.setInt32(at + 4, Number(off), le);
      }
      view.setUint16(at + 2 * word, size, le);
      view.setUint8(at + size - 1, r.type);
      return true;
    },
  };
}

/**
 * Reads host records and writes them in `format` into the guest buffer: the bytes written or
 * -errno. A guest record is never larger than the host's record of the same name, so what the
 * host returned for the guest's count fits, but for a descriptor directory's renumbered names. A
 * record whose values overflow or that does not fit ends the read there (EOVERFLOW or EINVAL when
 * it is the first), the directory positioned at it, as Linux's compat getdents.
 */
function readDirectory(proc: GuestProcess, [fdArg, buf, countArg]: SyscallArgs, format: RecordFormat): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const count = int(countArg);
  if (count < 0) return -E.EINVAL;
  if (guestRange(proc, buf!, count, true) === undefined) return -E.EFAULT;
  const scratch = hostArena.alloc(Math.max(count, 1));
  let own: boolean | undefined;
  let records: HostRecord[] = [];
  while (records.length === 0) {
    const n = hostSyscall('getdents64', fd, hostArena.address(scratch), count);
    if (n <= 0) return n;
    records = parseRecords(hostArena.bytesAt(scratch, n));
    if (own === undefined && records.some((r) => descriptorNumber(r) !== undefined)) own = listsOwnDescriptors(fd);
    // A batch of tsemu's descriptors only leaves nothing: the guest reads on.
    if (own) records = asGuestDescriptors(proc, records);
  }
  const cookie = cookieMapper(proc, fd, records);
  let used = 0;
  for (const [i, r] of records.entries()) {
    const size = format.size(r.name.length);
    const fits = used + size <= count;
    if (fits) proc.memory.u8.fill(0, buf! + used, buf! + used + size);
    if (!fits || !format.write(proc.memory.view, buf! + used, size, r, cookie(r.off), proc.memory.littleEndian)) {
      if (i === 0) return fits ? -E.EOVERFLOW : -E.EINVAL;
      hostSyscall('lseek', fd, Number(records[i - 1]!.off), SEEK_SET);
      break;
    }
    proc.memory.u8.set(r.name, buf! + used + format.nameOffset);
    used += size;
  }
  return used;
}

export function getdents64(proc: GuestProcess, args: SyscallArgs): number {
  return readDirectory(proc, args, DIRENT64);
}

export function getdents(proc: GuestProcess, args: SyscallArgs): number {
  return readDirectory(proc, args, oldDirent(proc.abi.wordSize));
}

/** lseek on a guest descriptor: cookies of a hash-form directory are shifted back to the host's. */
export function lseek(proc: GuestProcess, [fdArg, offset, whence]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  if (proc.abi.wordSize !== 4 || !isHashed(proc, fd)) return hostSyscall('lseek', fd, offset!, int(whence));
  const host = int(whence) === SEEK_SET ? Number(BigInt(offset!) * COOKIE_SHIFT) : offset!;
  const r = hostSyscall('lseek', fd, host, int(whence));
  return r < 0 ? r : Number(BigInt(r) / COOKIE_SHIFT);
}
