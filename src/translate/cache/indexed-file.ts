/**
 * The layout both kinds of translation cache file share: a JSON header naming byte ranges of a
 * payload, sealed under the file's magic (sealed-file.ts).
 *
 *   magic | sha-256 of what follows | u32 LE header length | header (JSON) | payload
 */
import { seal, unseal, type FilePart, type SealedFile } from './sealed-file';

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
  slice(range: unknown): Uint8Array | undefined;
}

/** The header and payload of a file PayloadWriter.file wrote under `magic`, or undefined. */
export function readIndexedFile(magic: string, file: Buffer): IndexedFile | undefined {
  const body = unseal(magic, file);
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
  // Called for every block of a file each time a start opens it: a plain view, where a Buffer's
  // subarray makes a Buffer through its species constructor (3000 calls, unoptimised as at a
  // start: 0.7-0.9 ms against 1.1-1.3 ms).
  const slice = (range: unknown): Uint8Array | undefined => {
    if (!Array.isArray(range) || range.length !== 2) return undefined;
    const at: unknown = range[0];
    const size: unknown = range[1];
    if (!isCount(at) || !isCount(size) || at + size > payload.length) return undefined;
    return new Uint8Array(payload.buffer, payload.byteOffset + at, size);
  };
  return { header, slice };
}

export function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** `x` as a list of strings (a header's helper names), or undefined when it is not one. */
export function stringList(x: unknown): string[] | undefined {
  return Array.isArray(x) && x.every((s) => typeof s === 'string') ? (x as string[]) : undefined;
}
