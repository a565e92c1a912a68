/**
 * A cache file as read: its bytes, and for a file a run goes on reading from, the file kept open.
 *
 * A run checks and decodes a cache file whole as it first runs code of the mapped file, but of a
 * cold-block file it uses only the IR of the blocks it runs: kept as views of the file's buffer,
 * the whole file stayed in memory for the rest of the run (sqlite3's own 5.7 MB and libc's,
 * docs/performance.md, eighth pass). Kept open instead, the file gives those parts again when
 * they are used (FileReader), and the buffer goes once decoded. Writers never change a cache file
 * in place, they rename a new one over it (cache-store.ts), so the open file keeps the bytes that
 * were read and checked, even once it is replaced or deleted.
 */
import fs from 'node:fs';
import type { LazyPart } from './sealed-file';

/** Closes a reader's descriptor once nothing can read through it any more. */
const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    fs.closeSync(fd);
  } catch {
    // Closed already (never by anyone else: the descriptor is this reader's).
  }
});

/**
 * The file's bytes read at once around a small part: a warm run takes its cold blocks in about the
 * order an earlier run translated, which is their order in the file, so the next few parts it reads
 * are in the window already (a `pread` costs about 5 us, a copy about 1).
 */
const WINDOW_BYTES = 16 * 1024;

/** An open cache file (close-on-exec, as everything Node opens), read at positions. */
export class FileReader {
  private window: Uint8Array | undefined;
  private windowStart = 0;
  private windowEnd = 0;

  constructor(private readonly fd: number) {
    closeWhenCollected.register(this, fd);
  }

  /** Fills `into` with the file's bytes from `position`; throws when the file does not have them. */
  readAt(into: Uint8Array, position: number): void {
    if (into.length === 0) return;
    const end = position + into.length;
    if (into.length <= WINDOW_BYTES && (position < this.windowStart || end > this.windowEnd)) {
      this.window ??= new Uint8Array(WINDOW_BYTES);
      this.windowStart = position;
      this.windowEnd = position + this.read(this.window, position);
    }
    if (position < this.windowStart || end > this.windowEnd) {
      if (this.read(into, position) < into.length) throw new Error('cache file shorter than it was');
    } else {
      into.set(this.window!.subarray(position - this.windowStart, end - this.windowStart));
    }
  }

  /** Reads into `into` from `position` until it is full or the file ends; the bytes read. */
  private read(into: Uint8Array, position: number): number {
    let done = 0;
    while (done < into.length) {
      const n = fs.readSync(this.fd, into, done, into.length - done, position + done);
      if (n <= 0) break;
      done += n;
    }
    return done;
  }
}

/** A cache file's bytes and, when the run reads parts of it again later, the open file. */
export interface StoredFile {
  readonly bytes: Buffer;
  readonly reader?: FileReader;
}

/** Bytes of an open cache file, read when used. */
export class StoredPart implements LazyPart {
  constructor(
    private readonly reader: FileReader,
    readonly length: number,
    private readonly position: number,
  ) {}

  fill(into: Uint8Array): void {
    this.reader.readAt(into.subarray(0, this.length), this.position);
  }
}
