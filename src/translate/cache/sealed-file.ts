/**
 * The frame every translation cache file has: an 8-byte magic naming its kind and format, then a
 * SHA-256 of the rest, so a truncated, corrupted or foreign file is told apart from a good one
 * before anything in it is trusted.
 *
 *   magic (8 bytes) | sha-256 of the body (32 bytes) | body
 *
 * A file is made as the list of its body's parts and written part by part (writeSealed), never
 * joined, and a part may be lazy: its bytes are made only as it is written, into a staging buffer
 * the writer reuses, and hashed there. A cold-block file of megabytes (its blocks' stored IR, each
 * made as a buffer of its own) used to be held whole at a run's end, where a cache-filling run has
 * its peak RSS (docs/performance.md); the digest, which comes first, is written last.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

const MAGIC_SIZE = 8;
const DIGEST_SIZE = 32;
/** The staging buffer parts are gathered in before each write. */
const STAGING_BYTES = 1024 * 1024;

/** Bytes made on demand: `fill` writes exactly `length` bytes into `into`. */
export interface LazyPart {
  readonly length: number;
  fill(into: Uint8Array): void;
}

/** A part of a file's body: its bytes, or a LazyPart making them. */
export type FilePart = Uint8Array | LazyPart;

/** A file to write (writeSealed): its magic (8 latin1 characters) and its body's parts in order. */
export interface SealedFile {
  readonly magic: string;
  readonly body: readonly FilePart[];
}

/** The bytes of `part`: itself, or a new buffer it fills (throwing as its fill does). */
export function partBytes(part: FilePart): Uint8Array {
  if (part instanceof Uint8Array) return part;
  const bytes = new Uint8Array(part.length);
  part.fill(bytes);
  return bytes;
}

export function seal(magic: string, body: readonly FilePart[]): SealedFile {
  return { magic, body };
}

/** The bytes `file` takes once written. */
export function sealedSize(file: SealedFile): number {
  return file.body.reduce((sum, part) => sum + part.length, MAGIC_SIZE + DIGEST_SIZE);
}

/**
 * The SHA-256 in hex, not as the Buffer digest() returns: Node makes that one in C++ as a
 * Uint8Array whose prototype it then sets, which adds a transition to V8's Uint8Array map when
 * there is none (it is weak: a garbage collection takes it once no such Buffer is left). Code
 * optimised since, such as the interpreter's runCompact, relied on that map having none and is
 * thrown away: every forked child that read or wrote a cache file compiled runCompact again
 * (--trace-deopt: "marking dependent code", gdb: Buffer::New from Hash::HashDigest).
 */
function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length;) {
    const n = fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
    if (n <= 0) throw new Error('short write');
    done += n;
  }
}

/** Writes `file` into the empty file open as `fd`; throws when it cannot. */
export function writeSealed(fd: number, file: SealedFile): void {
  const hash = createHash('sha256');
  const staging = new Uint8Array(Math.min(STAGING_BYTES, sealedSize(file)));
  let position = MAGIC_SIZE + DIGEST_SIZE;
  let used = 0;
  const write = (bytes: Uint8Array): void => {
    hash.update(bytes);
    writeAll(fd, bytes, position);
    position += bytes.length;
  };
  const flush = (): void => {
    if (used > 0) write(staging.subarray(0, used));
    used = 0;
  };
  for (const part of file.body) {
    if (part.length > staging.length - used) flush();
    if (part.length > staging.length) {
      // Larger than the staging buffer: written as it is, or made in a buffer of its own.
      write(partBytes(part));
    } else {
      const into = staging.subarray(used, used + part.length);
      if (part instanceof Uint8Array) into.set(part);
      else part.fill(into);
      used += part.length;
    }
  }
  flush();
  // Hex, as sha256 gives it (a Buffer digest: above).
  const head = Buffer.concat([Buffer.from(file.magic, 'latin1'), Buffer.from(hash.digest('hex'), 'hex')]);
  writeAll(fd, head, 0);
}

/** The body of a file seal(magic, ...) made, or undefined when `file` is anything else. */
export function unseal(magic: string, file: Buffer): Buffer | undefined {
  if (file.length < MAGIC_SIZE + DIGEST_SIZE) return undefined;
  if (file.toString('latin1', 0, MAGIC_SIZE) !== magic) return undefined;
  const body = file.subarray(MAGIC_SIZE + DIGEST_SIZE);
  return sha256(body) === file.toString('hex', MAGIC_SIZE, MAGIC_SIZE + DIGEST_SIZE) ? body : undefined;
}
