/**
 * The layout both kinds of translation cache file share: a JSON header naming byte ranges of a
 * payload, sealed under the file's magic (sealed-file.ts).
 *
 *   magic | sha-256 of what follows | u32 LE header length | header (JSON) | payload
 */
import { seal, unseal, type FilePart, type LazyPart, type SealedFile } from './sealed-file';
import { StoredPart, type StoredFile } from './stored-file';

/** Gathers the payload: `add` appends bytes and gives their [offset, length]. */
export class PayloadWriter {
  private readonly parts: FilePart[] = [];
  private offset = 0;

  add(bytes: FilePart): [number, number] {
    this.parts.push(bytes);
    this.offset += bytes.length;
    return [this.offset - bytes.length, bytes.length];
  }

  /** The sealed file of `header` (whose ranges add gave) and the payload. */
  file(magic: string, header: unknown): SealedFile {
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length);
    return seal(magic, [length, json, ...this.parts]);
  }
}

/** A file's header, and its payload's bytes in a range the header names (undefined when invalid). */
export interface IndexedFile {
  header: unknown;
  /** The bytes, to keep: copied out of the file's buffer when the file is kept open. */
  slice(range: unknown): Uint8Array | undefined;
  /** The bytes, made when used: read from the file again when it is kept open (stored-file.ts). */
  part(range: unknown): LazyPart | undefined;
}

/** Where a payload's small ranges are copied to, so as not to keep a file's buffer for them: shared buffers. */
const PACKED_BYTES = 64 * 1024;

/** The header and payload of a file PayloadWriter.file wrote under `magic`, or undefined. */
export function readIndexedFile(magic: string, file: StoredFile): IndexedFile | undefined {
  const body = unseal(magic, file.bytes);
  if (!body || body.length < 4) return undefined;
  const headerLength = body.readUInt32LE(0);
  if (4 + headerLength > body.length) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(body.subarray(4, 4 + headerLength).toString('utf8'));
  } catch {
    return undefined;
  }
  const payload = body.subarray(4 + headerLength);
  const payloadPosition = file.bytes.length - payload.length;
  const { reader } = file;
  // Called for every block of a file each time a start opens it: a plain view, where a Buffer's
  // subarray makes a Buffer through its species constructor (3000 calls, unoptimised as at a
  // start: 0.7-0.9 ms against 1.1-1.3 ms).
  const view = (range: unknown): Uint8Array | undefined => {
    if (!Array.isArray(range) || range.length !== 2) return undefined;
    const at: unknown = range[0];
    const size: unknown = range[1];
    if (!isCount(at) || !isCount(size) || at + size > payload.length) return undefined;
    return new Uint8Array(payload.buffer, payload.byteOffset + at, size);
  };
  let packed = new Uint8Array(0);
  let packedUsed = 0;
  const copy = (bytes: Uint8Array): Uint8Array => {
    if (bytes.length > PACKED_BYTES / 8) return bytes.slice();
    if (packedUsed + bytes.length > packed.length) {
      packed = new Uint8Array(PACKED_BYTES);
      packedUsed = 0;
    }
    const kept = new Uint8Array(packed.buffer, packedUsed, bytes.length);
    kept.set(bytes);
    packedUsed += bytes.length;
    return kept;
  };
  const slice = (range: unknown): Uint8Array | undefined => {
    const bytes = view(range);
    return bytes && reader ? copy(bytes) : bytes;
  };
  const part = (range: unknown): LazyPart | undefined => {
    const bytes = view(range);
    if (!bytes) return undefined;
    if (!reader) return { length: bytes.length, fill: (into) => into.set(bytes) };
    return new StoredPart(reader, bytes.length, payloadPosition + bytes.byteOffset - payload.byteOffset);
  };
  return { header, slice, part };
}

export function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** `x` as a list of strings (a header's helper names), or undefined when it is not one. */
export function stringList(x: unknown): string[] | undefined {
  return Array.isArray(x) && x.every((s) => typeof s === 'string') ? (x as string[]) : undefined;
}
