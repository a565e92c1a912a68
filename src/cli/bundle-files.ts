/**
 * The files of tsemu's bundle and start-up snapshot (made by tools/build-bundle.mjs after tsc),
 * relative to the install root, and the checks that decide whether they can be used.
 *
 * Both are made from dist/, so they are current only while they are not older than tsc's output
 * (a `tsc` run without the bundle step leaves them behind). A snapshot blob is moreover tied to the
 * exact node binary that built it (another one rejects it, or crashes on it), so beside it lies a
 * stamp naming that binary by device, inode, size and modification time. The native launcher
 * (native/launcher/launcher.c) makes the same checks, on the same one-line stamp, before it starts
 * Node from the snapshot.
 */
import fs from 'node:fs';

export { BUILD_REFERENCE } from '../install-root';
export const BUNDLE = 'dist/bundle/tsemu.js';

/**
 * The start-up snapshots, one per target (snapshot-sets/), each with a user-mode binary that its
 * build starts to check it. Every binary starts from one of them (native/launcher/launcher.c,
 * ENTRIES); ppc64le from ppc64's, system mode and tsemu-binfmt, which initialise their own modules
 * as they start, from aarch64's or arm's.
 */
export const SNAPSHOTS = { aarch64: 'tsemu-aarch64', arm: 'tsemu-arm', ppc64: 'tsemu-ppc64' } as const;
export type SnapshotName = keyof typeof SNAPSHOTS;
export const SNAPSHOT_NAMES = Object.keys(SNAPSHOTS) as SnapshotName[];

/** The snapshot blob `name`. */
export function snapshotPath(name: SnapshotName): string {
  return `dist/bundle/tsemu-${name}.blob`;
}

/** The V8 data of snapshot `blob` laid out as Node's copy of it lies in memory (snapshot-copy.ts). */
export function pagesPath(blob: string): string {
  return `${blob}.pages`;
}

/** Node 20's snapshot blob starts with this (node_snapshotable.cc, SnapshotData::kMagic). */
const BLOB_MAGIC = 0x0143da19;

/**
 * Where V8's start-up data lies in a Node 20 snapshot blob `head` (its first bytes): the magic, the
 * metadata (a type byte; Node's version, architecture and platform as 64-bit lengths and bytes; the
 * V8 code cache tag and flags, 32 bits each), then the data's 32-bit size and the data. Undefined
 * when `head` does not have that form.
 */
export function snapshotV8Data(head: Buffer): { offset: number; length: number } | undefined {
  if (head.length < 5 || head.readUInt32LE(0) !== BLOB_MAGIC) return undefined;
  let at = 5;
  for (let i = 0; i < 3; i++) {
    if (at + 8 > head.length) return undefined;
    at += 8 + Number(head.readBigUInt64LE(at));
  }
  at += 8;
  if (at + 4 > head.length) return undefined;
  return { offset: at + 4, length: head.readInt32LE(at) };
}

/**
 * The V8 flags every tsemu binary starts with (native/launcher/launcher.c passes them). A young
 * generation of at most two 2 MiB semi-spaces instead of V8's 16 MiB ones: the interpreter's and
 * the translator's short-lived garbage grew them to the maximum, and sqlite3's peak RSS fell from
 * 216 to 176 MiB with 4 MiB at no CPU cost; 2 MiB costs long runs nothing either and spares a
 * forked child the faults of copying 4 MiB more of its parent's young generation (a guest shell's
 * sed children: 6-11 % less CPU; docs/performance.md). V8 fixes heap sizes when it starts,
 * and counts them in the snapshot's flag hash: Node refuses a snapshot built without them when
 * they are given, and the other way round, so the snapshot is built with them too.
 */
export const SNAPSHOT_FLAGS = ['--max-semi-space-size=2'];

function mtimeMs(file: string): number | undefined {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

/** Whether `file` exists and is not older than the TypeScript build `reference`. */
export function isCurrent(file: string, reference: string): boolean {
  const time = mtimeMs(file);
  return time !== undefined && time >= (mtimeMs(reference) ?? Infinity);
}

export function stampPath(blob: string): string {
  return `${blob}.node`;
}

/**
 * "dev ino size mtime-in-ns flags..." of the file `node` (symbolic links followed), with the
 * SNAPSHOT_FLAGS a snapshot is built with: a launcher built before a change of them finds no match
 * and starts from the bundle, where it would have started Node from a snapshot that Node refuses.
 */
export function nodeIdentity(node: string): string {
  const s = fs.statSync(node, { bigint: true });
  return [s.dev, s.ino, s.size, s.mtimeNs, ...SNAPSHOT_FLAGS].join(' ') + '\n';
}

/** Whether `blob`'s stamp names `node` as its builder. */
export function stampMatches(blob: string, node: string): boolean {
  try {
    return fs.readFileSync(stampPath(blob), 'utf8') === nodeIdentity(node);
  } catch {
    return false;
  }
}

/** Records `node` as the builder of `blob`. */
export function writeStamp(blob: string, node: string): void {
  fs.writeFileSync(stampPath(blob), nodeIdentity(node));
}

/** The variable that names the snapshot a `node --build-snapshot` of the bundle builds. */
export const SNAPSHOT_ENV = 'TSEMU_SNAPSHOT';

/** `given` as a snapshot's name; throws when it names none. */
export function snapshotName(given: string | undefined): SnapshotName {
  const name = SNAPSHOT_NAMES.find((n) => n === given);
  if (name === undefined) {
    throw new Error(
      `${SNAPSHOT_ENV} must name one of the snapshots (${SNAPSHOT_NAMES.join(', ')}), not ${given}`,
    );
  }
  return name;
}
