/**
 * The on-disk form of cold blocks: the compact IR (ir/compact.ts) of blocks earlier runs translated
 * and interpreted, with the guest pc, translation flags and code bytes each was translated from, so
 * a later run checks them and takes the IR instead of decoding and translating the code again.
 *
 *   "TSEMUCB1" | sha-256 of what follows | u32 LE header length | header (JSON) | payload  (indexed-file.ts)
 *
 * The header holds per block its pc, flags, the byte ranges of its code and of its IR in the
 * payload, and the names of the helpers its calls name: a call record's immediate is a helper id,
 * which differs between runs (helpers.ts), so in the file it is an index into that list. The IR is
 * binary, little-endian (the host's order, so the record slots are read in place):
 *
 *   u32 records, temps, labels, insnCount, successors, pool entries | f64 end |
 *   i32 record slots (RECORD_SIZE per record) | i32 labelAt | f64 successors | u8 temp types | pool
 *
 * and a pool entry is a tag byte and its value: a number (f64), a bigint (64 bits, signed or not),
 * a Uint8Array or Int32Array (u32 length, elements), or undefined. A run keeps each entry's pc,
 * flags and code, and reads its IR from the file and turns it into a CompactBlock only when the
 * block runs (stored-file.ts), so it pays, in time and memory, only for the blocks it runs.
 * Anything that does not parse or check exactly reads as no cache, as with cache-file.ts.
 */
import { helperById, helperIdsByName } from '../ir/helpers';
import type { Imm } from '../ir/block';
import { ANY_FLAGS } from '../frontend';
import { OP_LIST, RECORD_SIZE, R_HEAD, R_IMM, headOp, type CompactBlock } from '../ir/compact';
import { PayloadWriter, isCount, readIndexedFile, stringList } from './indexed-file';
import type { LazyPart, SealedFile } from './sealed-file';
import type { StoredFile } from './stored-file';

/**
 * A cold block as stored: its code and its compact IR, encoded (coldEntry, compactOf). The IR is
 * made only when used: as a file is written, or, read from a file, as the block runs (read again
 * from the file then, stored-file.ts).
 */
export interface ColdEntry {
  pc: number;
  flags: number;
  code: Uint8Array;
  /** The IR in the binary form above. */
  ir: LazyPart;
  /** Names of the helpers its call records name by index. */
  helpers: string[];
}

const MAGIC = 'TSEMUCB1';

/**
 * The largest file of cold blocks: every start mapping its file reads and checks it whole (hashing
 * 8 MiB: about 20 ms), where a file of modules costs by the modules a run compiles.
 */
export const MAX_COLD_FILE_BYTES = 8 * 1024 * 1024;
const CALL = OP_LIST.indexOf('call');
const HEAD_BYTES = 32;

const enum Tag {
  Number,
  Int64,
  Uint64,
  Bytes,
  Ints,
  Undefined,
}

type PoolValue = Imm | Int32Array;

/** Bytes the pool entry takes, or undefined for a value the form cannot hold (a bigint above 64 bits). */
function poolBytes(value: PoolValue): number | undefined {
  if (typeof value === 'number') return 9;
  if (typeof value === 'bigint') return value >= -(2n ** 63n) && value < 2n ** 64n ? 9 : undefined;
  if (value instanceof Uint8Array) return 5 + value.length;
  if (value instanceof Int32Array) return 5 + 4 * value.length;
  return 1;
}

function writePool(view: DataView, at: number, value: PoolValue): number {
  if (typeof value === 'number') {
    view.setUint8(at, Tag.Number);
    view.setFloat64(at + 1, value, true);
    return at + 9;
  }
  if (typeof value === 'bigint') {
    view.setUint8(at, value < 0n ? Tag.Int64 : Tag.Uint64);
    if (value < 0n) view.setBigInt64(at + 1, value, true);
    else view.setBigUint64(at + 1, value, true);
    return at + 9;
  }
  if (value === undefined) {
    view.setUint8(at, Tag.Undefined);
    return at + 1;
  }
  const ints = value instanceof Int32Array;
  view.setUint8(at, ints ? Tag.Ints : Tag.Bytes);
  view.setUint32(at + 1, value.length, true);
  at += 5;
  for (let i = 0; i < value.length; i++, at += ints ? 4 : 1) {
    if (ints) view.setInt32(at, value[i]!, true);
    else view.setUint8(at, value[i]!);
  }
  return at;
}

/**
 * Appends the pool entry at `at` to `pool`; returns where the next begins, or -1 past the end or
 * for a bad tag. An array entry gets elements of its own, copied: a small typed array made by its
 * length lives on V8's heap, where a slice of the file's buffer would need a backing store of its
 * own (one per entry, for every block a start takes from the cache).
 */
function readPool(view: DataView, at: number, pool: PoolValue[]): number {
  if (at >= view.byteLength) return -1;
  const tag = view.getUint8(at) as Tag;
  if (tag === Tag.Undefined) {
    pool.push(undefined);
    return at + 1;
  }
  if (tag === Tag.Number || tag === Tag.Int64 || tag === Tag.Uint64) {
    if (at + 9 > view.byteLength) return -1;
    if (tag === Tag.Number) pool.push(view.getFloat64(at + 1, true));
    else pool.push(tag === Tag.Int64 ? view.getBigInt64(at + 1, true) : view.getBigUint64(at + 1, true));
    return at + 9;
  }
  if (tag !== Tag.Bytes && tag !== Tag.Ints) return -1;
  if (at + 5 > view.byteLength) return -1;
  const length = view.getUint32(at + 1, true);
  const start = at + 5;
  const end = start + (tag === Tag.Ints ? 4 * length : length);
  if (end > view.byteLength) return -1;
  if (tag === Tag.Bytes) {
    pool.push(new Uint8Array(view.buffer, view.byteOffset + start, length).slice());
  } else {
    const ints = new Int32Array(length);
    for (let i = 0; i < length; i++) ints[i] = view.getInt32(start + 4 * i, true);
    pool.push(ints);
  }
  return end;
}

/** The bytes of typed array `array` (in the host's order, which is the file's). */
function bytesOf(array: Int32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * The stored form of `block`, translated at pc under `flags` from `code` (ANY_FLAGS exactly when
 * its translation read none: compactOf gives the block's readsFlags back from it); undefined if it
 * holds what the form cannot. Its IR is made only as the file is written (sealed-file.ts: a LazyPart).
 */
export function coldEntry(
  pc: number,
  flags: number,
  code: Uint8Array,
  block: CompactBlock,
): ColdEntry | undefined {
  const poolSizes = block.pool.map(poolBytes);
  if (poolSizes.some((size) => size === undefined)) return undefined;
  const helpers: string[] = [];
  for (let at = 0; at < block.code.length; at += RECORD_SIZE) {
    if (headOp(block.code[at + R_HEAD]!) !== CALL) continue;
    const name = helperById(block.code[at + R_IMM]!).name;
    if (!helpers.includes(name)) helpers.push(name);
  }
  const poolAt =
    HEAD_BYTES + 4 * block.code.length + 4 * block.labels + 8 * block.successors.length + block.temps.length;
  const length = poolAt + poolSizes.reduce((sum: number, size) => sum + size!, 0);
  return { pc, flags, code, ir: { length, fill: (into) => writeIr(block, helpers, into) }, helpers };
}

/** Writes the stored IR of `block` (whose calls name `helpers` by index) into `into`. */
function writeIr(block: CompactBlock, helpers: readonly string[], into: Uint8Array): void {
  const view = new DataView(into.buffer, into.byteOffset, into.length);
  const slotsAt = HEAD_BYTES;
  const labelsAt = slotsAt + 4 * block.code.length;
  const successorsAt = labelsAt + 4 * block.labels;
  const tempsAt = successorsAt + 8 * block.successors.length;
  const counts = [
    block.code.length / RECORD_SIZE,
    block.temps.length,
    block.labels,
    block.insnCount,
    block.successors.length,
    block.pool.length,
  ];
  counts.forEach((count, i) => view.setUint32(4 * i, count, true));
  view.setFloat64(24, block.end, true);
  into.set(bytesOf(block.code), slotsAt);
  for (let at = 0; at < block.code.length; at += RECORD_SIZE) {
    if (headOp(block.code[at + R_HEAD]!) !== CALL) continue;
    const index = helpers.indexOf(helperById(block.code[at + R_IMM]!).name);
    view.setInt32(slotsAt + 4 * (at + R_IMM), index, true);
  }
  into.set(bytesOf(block.labelAt.subarray(0, block.labels)), labelsAt);
  block.successors.forEach((pc, i) => view.setFloat64(successorsAt + 8 * i, pc, true));
  into.set(block.temps, tempsAt);
  let at = tempsAt + block.temps.length;
  for (const value of block.pool) at = writePool(view, at, value);
}

/** The CompactBlock `entry` holds, or undefined when it does not decode (a helper this build lacks). */
export function compactOf(entry: ColdEntry): CompactBlock | undefined {
  if (entry.ir.length < HEAD_BYTES) return undefined;
  // A buffer of its own, from offset 0, so the record slots are read in place.
  const ir = new Uint8Array(entry.ir.length);
  try {
    entry.ir.fill(ir);
  } catch {
    return undefined;
  }
  const view = new DataView(ir.buffer);
  const records = view.getUint32(0, true);
  const temps = view.getUint32(4, true);
  const labels = view.getUint32(8, true);
  const insnCount = view.getUint32(12, true);
  const successors = view.getUint32(16, true);
  const poolCount = view.getUint32(20, true);
  const labelsAt = HEAD_BYTES + 4 * RECORD_SIZE * records;
  const successorsAt = labelsAt + 4 * labels;
  const tempsAt = successorsAt + 8 * successors;
  if (tempsAt + temps > ir.length) return undefined;
  let ids: number[];
  try {
    ids = helperIdsByName(entry.helpers);
  } catch {
    return undefined;
  }
  const code = new Int32Array(ir.buffer, HEAD_BYTES, RECORD_SIZE * records);
  for (let at = 0; at < code.length; at += RECORD_SIZE) {
    if (headOp(code[at + R_HEAD]!) !== CALL) continue;
    const id = ids[code[at + R_IMM]!];
    if (id === undefined) return undefined;
    code[at + R_IMM] = id;
  }
  const pool: PoolValue[] = [];
  for (let i = 0, at = tempsAt + temps; i < poolCount; i++) {
    at = readPool(view, at, pool);
    if (at < 0) return undefined;
  }
  const successorPcs: number[] = [];
  for (let i = 0; i < successors; i++) successorPcs.push(view.getFloat64(successorsAt + 8 * i, true));
  return {
    pc: entry.pc,
    end: view.getFloat64(24, true),
    insnCount,
    code,
    pool,
    temps: ir.subarray(tempsAt, tempsAt + temps),
    labels,
    labelAt: new Int32Array(ir.buffer, labelsAt, labels),
    successors: successorPcs,
    readsFlags: entry.flags !== ANY_FLAGS,
  };
}

/** A block's bytes in a file, with a generous allowance for its line of the header. */
function fileBytes(entry: ColdEntry): number {
  return (
    entry.code.length + entry.ir.length + 64 + entry.helpers.reduce((sum, name) => sum + name.length + 3, 0)
  );
}

/** The stored forms of `blocks` (compact IR translated at pc under flags from code) that have one. */
export function coldEntries(
  blocks: readonly { pc: number; flags: number; code: Uint8Array; ir: CompactBlock }[],
): ColdEntry[] {
  return blocks.flatMap((block) => coldEntry(block.pc, block.flags, block.code, block.ir) ?? []);
}

/** The first of `entries` that fit in a file together. */
export function coldEntriesWithin(entries: readonly ColdEntry[]): ColdEntry[] {
  let room = MAX_COLD_FILE_BYTES;
  const kept: ColdEntry[] = [];
  for (const entry of entries) {
    room -= fileBytes(entry);
    if (room < 0) break;
    kept.push(entry);
  }
  return kept;
}

/** [pc, flags, [code offset, length], [IR offset, length], helper names] per block. */
type HeaderBlock = [number, number, [number, number], [number, number], string[]];

export function encodeColdFile(entries: readonly ColdEntry[]): SealedFile {
  const payload = new PayloadWriter();
  const header: HeaderBlock[] = entries.map((e) => [
    e.pc,
    e.flags,
    payload.add(e.code),
    payload.add(e.ir),
    e.helpers,
  ]);
  return payload.file(MAGIC, header);
}

/** The blocks of a cold file, or an empty list when the file is not exactly one encodeColdFile wrote. */
export function decodeColdFile(file: StoredFile): ColdEntry[] {
  const read = readIndexedFile(MAGIC, file);
  if (!read || !Array.isArray(read.header)) return [];
  const { header, slice, part } = read;
  const entries: ColdEntry[] = [];
  for (const b of header as unknown[]) {
    if (!Array.isArray(b) || b.length !== 5 || !isCount(b[0]) || !Number.isSafeInteger(b[1])) return [];
    const code = slice(b[2]);
    const ir = part(b[3]);
    const helpers = stringList(b[4]);
    if (!code || code.length === 0 || b[0] + code.length > 2 ** 32 || !ir || !helpers) return [];
    entries.push({ pc: b[0], flags: b[1], code, ir, helpers });
  }
  return entries;
}
