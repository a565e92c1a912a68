/**
 * What mmap needs to know about a host file descriptor (kind, access mode, identity, name), and
 * copying a private file mapping's contents into the guest window.
 */
import fs from 'node:fs';
import { constants } from 'node:os';
import { native } from '../native';

const { errno } = constants;

export interface MappedFile {
  readonly fd: number;
  /** Mapping /dev/zero is mapping anonymous memory. */
  readonly isZeroDevice: boolean;
  /** A regular file (not a block device): the host can map it privately in place of a copy. */
  readonly regular: boolean;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly size: number;
  readonly device: number;
  readonly inode: number;
  /** The host path the descriptor was opened with ('' if unknown). */
  readonly path: string;
  /** fileIdentity of what is mapped, taken from the descriptor (it needs no path, nor /proc). */
  readonly identity: string;
}

/**
 * A file's identity: device, inode, size and modification time, so a file changed or replaced has
 * another (the translation cache names its files by it).
 */
export function fileIdentity(stat: fs.Stats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}

/**
 * /dev/zero is character device 1:5 on Linux (Documentation/admin-guide/devices.txt), in st_rdev's
 * encoding (major << 8 | minor for small numbers); known by number, it needs no /dev in a chroot.
 */
const ZERO_DEVICE_RDEV = (1 << 8) | 5;

/** Describes host fd for mmap, or returns -errno as Linux would for a descriptor it cannot map. */
export function describeMappedFile(fd: number): MappedFile | number {
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch {
    return -errno.EBADF;
  }
  const mode = native().hostFdAccessMode(fd);
  if (mode < 0) return mode;
  const isZeroDevice = stat.isCharacterDevice() && stat.rdev === ZERO_DEVICE_RDEV;
  if (!stat.isFile() && !stat.isBlockDevice() && !isZeroDevice) return -errno.ENODEV;
  let path = '';
  try {
    path = fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    // An fd without a /proc entry just stays unnamed in /proc/self/maps.
  }
  return {
    fd,
    isZeroDevice,
    regular: stat.isFile(),
    readable: mode === fs.constants.O_RDONLY || mode === fs.constants.O_RDWR,
    writable: mode === fs.constants.O_WRONLY || mode === fs.constants.O_RDWR,
    size: stat.size,
    device: stat.dev,
    inode: stat.ino,
    path,
    identity: fileIdentity(stat),
  };
}

/** Largest single read (Linux transfers at most about 2 GiB per read). */
const MAX_READ = 1 << 30;

/**
 * Reads up to `into.length` bytes of the file from `offset` into `into` (bytes past end of file
 * stay as they are). Returns 0 or -errno.
 */
export function readFileInto(file: MappedFile, into: Uint8Array, offset: number): number {
  let done = 0;
  const want = Math.min(into.length, Math.max(0, file.size - offset));
  while (done < want) {
    let n: number;
    try {
      n = fs.readSync(file.fd, into, done, Math.min(want - done, MAX_READ), offset + done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return -(code && code in errno ? errno[code as keyof typeof errno] : errno.EIO);
    }
    if (n === 0) break;
    done += n;
  }
  return 0;
}
