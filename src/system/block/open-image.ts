/** Opening a host file as a raw image, with QEMU's messages for the ways it fails. */
import fs from 'node:fs';
import { RawImage } from '../devices/virtio/raw-image';
import { BlockError } from './errors';

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  EPERM: 'Operation not permitted',
};

/** Errors that mean the file could be opened for reading only (QEMU's auto-read-only falls back then). */
const NOT_WRITABLE = ['EACCES', 'EROFS', 'EPERM'];

export interface OpenOptions {
  readOnly: boolean;
  /** Writes kept in memory (-snapshot). */
  snapshot: boolean;
  /** Read-only when the file cannot be written (QEMU's auto-read-only). */
  autoReadOnly?: boolean;
}

/** Opens `file`; throws BlockError with QEMU's "Could not open" message. */
export function openImage(file: string, o: OpenOptions): RawImage {
  try {
    if (fs.statSync(file).isDirectory()) throw new BlockError(`Could not open '${file}': Is a directory`);
    return RawImage.open(file, o);
  } catch (e) {
    if (e instanceof BlockError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (o.autoReadOnly && !o.readOnly && NOT_WRITABLE.includes(code)) return openImage(file, { ...o, readOnly: true });
    throw new BlockError(`Could not open '${file}': ${ERRNO_TEXT[code] ?? code}`);
  }
}
