/**
 * The on-disk form of a translation cache: hot batches as generated wasm modules and, for each block
 * in them, the guest pc, translation flags and code bytes it was translated from (so a use can
 * check them).
 *
 *   "TSEMUTC4" | sha-256 of what follows | u32 LE header length | header (JSON) | payload  (indexed-file.ts)
 *
 * The header lists the modules with their ids (moduleId: what a program's profile names them by,
 * profile.ts), the names of the helpers they import, and byte ranges into the payload. Anything
 * that does not parse or check exactly (wrong magic, a truncated or corrupted file, a range outside
 * the payload) reads as no cache at all: a cache is an optimisation, never a reason to fail.
 */
import { createHash } from 'node:crypto';
import { PayloadWriter, isCount, readIndexedFile, stringList } from './indexed-file';
import type { FilePart, SealedFile } from './sealed-file';
import type { StoredFile } from './stored-file';

/** One guest block inside a cached module: where it was, what its code was, under which flags. */
export interface CachedBlockCode {
  pc: number;
  flags: number;
  code: Uint8Array;
}

/**
 * A hot batch's module and the blocks it exports (`b<i>` is blocks[i]), which tail-call each other.
 * Its bytes, read from a file, are read again from it when the module is compiled (stored-file.ts):
 * V8 keeps a copy of its own of a compiled module's bytes, and most of a shared file's modules are
 * never compiled by one program.
 */
export interface CachedModule<Bytes extends FilePart = FilePart> {
  /** moduleId(bytes). */
  id: string;
  bytes: Bytes;
  /** Names of the helpers it imports (ids differ between runs, helpers.ts). */
  helpers: string[];
  blocks: CachedBlockCode[];
}

const MAGIC = 'TSEMUTC4';

/** A module's name in every cache file and profile: a digest of its bytes (which hold its blocks' pcs). */
export function moduleId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 24);
}

interface HeaderModule {
  id: string;
  helpers: string[];
  bytes: [number, number];
  /** [pc, flags, code offset, code length] per block. */
  blocks: [number, number, number, number][];
}

export function encodeCacheFile(modules: readonly CachedModule[]): SealedFile {
  const payload = new PayloadWriter();
  const header: HeaderModule[] = modules.map((m) => ({
    id: m.id,
    helpers: m.helpers,
    bytes: payload.add(m.bytes),
    blocks: m.blocks.map((b) => [b.pc, b.flags, ...payload.add(b.code)]),
  }));
  return payload.file(MAGIC, header);
}

/** The modules of a cache file, or an empty list when the file is not exactly one encodeCacheFile wrote. */
export function decodeCacheFile(file: StoredFile): CachedModule[] {
  const read = readIndexedFile(MAGIC, file);
  if (!read || !Array.isArray(read.header)) return [];
  const { header, slice, part } = read;
  const modules: CachedModule[] = [];
  for (const m of header as Partial<HeaderModule>[]) {
    const bytes = part(m.bytes);
    const helpers = stringList(m.helpers);
    if (!bytes || !helpers || typeof m.id !== 'string') return [];
    if (!Array.isArray(m.blocks)) return [];
    const blocks: CachedBlockCode[] = [];
    for (const b of m.blocks as unknown[]) {
      if (!Array.isArray(b) || b.length !== 4) return [];
      if (!Number.isSafeInteger(b[1]) || ![b[0], b[2], b[3]].every(isCount)) return [];
      const code = slice(b.slice(2));
      if (!code || code.length === 0 || b[0] + code.length > 2 ** 32) return [];
      blocks.push({ pc: b[0], flags: b[1], code });
    }
    modules.push({ id: m.id, bytes, helpers, blocks });
  }
  return modules;
}
