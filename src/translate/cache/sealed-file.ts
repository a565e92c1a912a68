/**
 * The frame every translation cache file has: an 8-byte magic naming its kind and format, then a
 * SHA-256 of the rest, so a truncated, corrupted or foreign file is told apart from a good one
 * before anything in it is trusted. A file is made as the list of its parts, written one after
 * the other (cache-store.ts writeCacheFile), never joined: a cold-block file of megabytes joined
 * into one buffer, then sealed into a second, took two copies of itself at a run's end, where a
 * cache-filling run has its peak RSS (docs/performance.md).
 *
 *   magic (8 bytes) | sha-256 of the body (32 bytes) | body
 */
import { createHash } from 'node:crypto';

const MAGIC_SIZE = 8;
const DIGEST_SIZE = 32;

/** A file's bytes: its parts in order. */
export type FileParts = readonly Uint8Array[];

/**
 * The SHA-256 of the concatenation of `body` in hex. Not as the Buffer digest() returns: Node
 * makes that one in C++ as a Uint8Array whose prototype it then sets, which adds a transition to
 * V8's Uint8Array map when there is none (it is weak: a garbage collection takes it once no such
 * Buffer is left). Code optimised since, such as the interpreter's runCompact, relied on that map
 * having none and is thrown away: every forked child that read or wrote a cache file compiled
 * runCompact again (--trace-deopt: "marking dependent code", gdb: Buffer::New from Hash::HashDigest).
 */
function sha256(body: FileParts): string {
  const hash = createHash('sha256');
  for (const part of body) hash.update(part);
  return hash.digest('hex');
}

/** The file holding the concatenation of `body` under `magic` (8 latin1 characters). */
export function seal(magic: string, body: FileParts): FileParts {
  return [Buffer.concat([Buffer.from(magic, 'latin1'), Buffer.from(sha256(body), 'hex')]), ...body];
}

/** The body of a file seal(magic, ...) wrote, or undefined when `file` is anything else. */
export function unseal(magic: string, file: Buffer): Buffer | undefined {
  if (file.length < MAGIC_SIZE + DIGEST_SIZE) return undefined;
  if (file.toString('latin1', 0, MAGIC_SIZE) !== magic) return undefined;
  const body = file.subarray(MAGIC_SIZE + DIGEST_SIZE);
  return sha256([body]) === file.toString('hex', MAGIC_SIZE, MAGIC_SIZE + DIGEST_SIZE) ? body : undefined;
}
