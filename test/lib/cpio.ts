/**
 * A writer of cpio archives in the "newc" format (magic 070701), the format the Linux kernel
 * unpacks as an initramfs (Documentation/driver-api/early-userspace/buffer-format.rst): per entry a
 * 110-byte header of 13 eight-digit hex fields, the NUL-terminated name, padding to 4 bytes, the
 * data, padding to 4 bytes; a `TRAILER!!!` entry ends the archive. Device nodes and ownership are
 * written as given, so an unprivileged test can build an archive holding /dev/console.
 */

/** File type bits of st_mode (the kernel's S_IF*), and their mask. */
export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

export interface CpioEntry {
  /** Path inside the archive, without a leading slash ("bin/busybox"). */
  name: string;
  /** st_mode: file type and permission bits. */
  mode: number;
  /** File contents, or a symbolic link's target. */
  data?: Uint8Array | string;
  /** Device number of a character or block device node. */
  rdev?: { major: number; minor: number };
}

const MAGIC = '070701';
const TRAILER = 'TRAILER!!!';

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function pad4(parts: Buffer[], length: number): void {
  const extra = (4 - (length % 4)) % 4;
  if (extra > 0) parts.push(Buffer.alloc(extra));
}

/** The archive holding `entries` in order, each with its own inode number, owned by root. */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  const all: CpioEntry[] = [...entries, { name: TRAILER, mode: 0 }];
  all.forEach((entry, i) => {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : Buffer.from(entry.data ?? []);
    const name = Buffer.from(`${entry.name}\0`);
    const fields = [
      i + 1, // ino
      entry.mode,
      0, // uid
      0, // gid
      (entry.mode & S_IFMT) === S_IFDIR ? 2 : 1, // nlink
      0, // mtime
      data.length,
      0, // devmajor
      0, // devminor
      entry.rdev?.major ?? 0,
      entry.rdev?.minor ?? 0,
      name.length,
      0, // check
    ];
    const header = Buffer.from(MAGIC + fields.map(hex8).join(''));
    parts.push(header, name);
    pad4(parts, header.length + name.length);
    parts.push(data);
    pad4(parts, data.length);
  });
  return Buffer.concat(parts);
}
