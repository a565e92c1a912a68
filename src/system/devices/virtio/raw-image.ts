/**
 * A raw disk image (-drive file=...,format=raw) as a block device backend: read and written in
 * place, or, with snapshot=on (-snapshot), with the guest's writes kept in memory so the file is
 * never changed (they last until the emulator exits, across system resets, as QEMU's temporary
 * overlay does) unless committed (`C-a s`: they are written to the file and the overlay starts
 * empty again). A read-only drive refuses writes.
 */
import fs from 'node:fs';

export const SECTOR = 512;

export interface RawImageOptions {
  readOnly: boolean;
  snapshot: boolean;
}

export class RawImage {
  /** The end of the highest write so far (QEMU's wr_highest_offset). */
  highestWrite = 0;
  /** Sectors written under snapshot=on, by sector number. */
  private readonly overlay = new Map<number, Uint8Array>();

  private constructor(
    /** The image file. */
    readonly path: string,
    private readonly fd: number,
    /** Bytes in the image. */
    readonly size: number,
    readonly readOnly: boolean,
    private readonly snapshot: boolean,
  ) {}

  /** Opens `path` (read-only unless it will be written in place); throws the system error. */
  static open(path: string, o: RawImageOptions): RawImage {
    const fd = fs.openSync(path, o.readOnly || o.snapshot ? 'r' : 'r+');
    return new RawImage(path, fd, fs.fstatSync(fd).size, o.readOnly, o.snapshot);
  }

  /** Reads whole sectors: `into.length` bytes from byte `offset` (a multiple of SECTOR). */
  read(offset: number, into: Uint8Array): void {
    const got = fs.readSync(this.fd, into, 0, into.length, offset);
    into.fill(0, got);
    if (this.overlay.size === 0) return;
    for (let at = 0; at < into.length; at += SECTOR) {
      const sector = this.overlay.get((offset + at) / SECTOR);
      if (sector) into.set(sector.subarray(0, into.length - at), at);
    }
  }

  /** Writes whole sectors at byte `offset` (a multiple of SECTOR). */
  write(offset: number, data: Uint8Array): void {
    this.highestWrite = Math.max(this.highestWrite, offset + data.length);
    if (!this.snapshot) {
      fs.writeSync(this.fd, data, 0, data.length, offset);
      return;
    }
    for (let at = 0; at < data.length; at += SECTOR) {
      const sector = new Uint8Array(SECTOR);
      sector.set(data.subarray(at, at + SECTOR));
      this.overlay.set((offset + at) / SECTOR, sector);
    }
  }

  /** Bytes the file occupies on the host (its allocated blocks; a sparse image has fewer than `size`). */
  allocatedBytes(): number {
    return fs.fstatSync(this.fd).blocks * 512;
  }

  /** Writes the snapshot's sectors to the file (QEMU's commit of the temporary overlay). */
  commit(): void {
    if (this.overlay.size === 0) return;
    const fd = fs.openSync(this.path, 'r+');
    try {
      for (const [sector, data] of this.overlay) fs.writeSync(fd, data, 0, SECTOR, sector * SECTOR);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.overlay.clear();
  }

  /** The same file as a read-only device sees it (a read-only node over a writable one). */
  asReadOnly(): RawImage {
    return this.readOnly ? this : new RawImage(this.path, this.fd, this.size, true, this.snapshot);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  flush(): void {
    if (!this.snapshot && !this.readOnly) fs.fsyncSync(this.fd);
  }
}
