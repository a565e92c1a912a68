/**
 * Where translation caches live and how they are read and written. One file per mapped file, load
 * address and translator: its name hashes the mapped file's identity (device, inode, size,
 * modification time), where it is mapped, tsemu's version and build, the guest architecture and
 * the translation options, so a changed file or a rebuilt tsemu starts a new cache file (and each
 * cached block is still checked against the guest's current code before use).
 *
 * Location: $TSEMU_CACHE_DIR, else $XDG_CACHE_HOME/tsemu, else ~/.cache/tsemu (none when the home
 * directory does not exist); TSEMU_CACHE=off turns the cache off. Writers never corrupt a file
 * another process reads: each writes a private temporary file and renames it over the old one
 * (rename is atomic), so concurrent runs of one program leave one complete file, the last writer's.
 *
 * Beside them, one profile file per executable (profile.ts), named the same way from the
 * executable's identity, beside each cache file the cold blocks of the same mapped file
 * (cold-file.ts), and V8's compiled code of cached modules, a file per module
 * (native-code-file.ts).
 *
 * Size: the directory is kept under $TSEMU_CACHE_MAX_SIZE (bytes, or with a K/M/G suffix; 512M by
 * default) by deleting the least recently used files when a write would take it past that
 * (keepCacheDirectoryUnder); a file's modification time is its last use (reading it touches it), so
 * files of rebuilt tsemus and of programs no longer run go first.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_REFERENCE, installRoot } from '../../install-root';
import { VERSION } from '../../version';
import { sealedSize, writeSealed, type SealedFile } from './sealed-file';
import { FileReader, type StoredFile } from './stored-file';

/** Above this the cache starts over rather than growing (a guest generating code at run time). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_DIRECTORY_BYTES = 512 * 1024 * 1024;
const CACHE_SUFFIX = '.tc';
const PROFILE_SUFFIX = '.tp';
const COLD_SUFFIX = '.tb';
const NATIVE_CODE_SUFFIX = '.tn';

/** The cache directory from the environment, or undefined when the cache is off. */
export function cacheDirectory(env: NodeJS.ProcessEnv): string | undefined {
  const setting = env['TSEMU_CACHE']?.toLowerCase();
  if (setting === 'off' || setting === '0' || setting === 'no') return undefined;
  if (env['TSEMU_CACHE_DIR']) return path.resolve(env['TSEMU_CACHE_DIR']);
  if (env['XDG_CACHE_HOME']) return path.join(path.resolve(env['XDG_CACHE_HOME']), 'tsemu');
  // A home that does not exist (HOME=/nonexistent for daemons and tests) is not created.
  const home = env['HOME'] ?? os.homedir();
  return home && fs.existsSync(home) ? path.join(home, '.cache', 'tsemu') : undefined;
}

/** The directory's size limit from $TSEMU_CACHE_MAX_SIZE (e.g. 200M), or the default. */
export function cacheSizeLimit(env: NodeJS.ProcessEnv): number {
  const m = /^(\d+)([kmg]?)$/i.exec(env['TSEMU_CACHE_MAX_SIZE']?.trim() ?? '');
  if (!m) return DEFAULT_MAX_DIRECTORY_BYTES;
  const scale = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * scale;
}

/** This build of tsemu: its version and the time of its build, so any rebuild (a changed translator) gives a new identity. */
function buildIdentity(): string {
  try {
    const s = fs.statSync(path.join(installRoot(), BUILD_REFERENCE));
    return `${VERSION}:${s.mtimeMs}:${s.size}`;
  } catch {
    return `${VERSION}:unknown`;
  }
}

/**
 * The cache file of the code of mapped file `identity` (its identity and load address) translated
 * for `target` under `options` (whatever else changes the code generated).
 */
export function cacheFileName(dir: string, target: string, identity: string, options: string): string {
  return fileName(dir, target, identity, options, CACHE_SUFFIX);
}

/** The file of the cold blocks (cold-file.ts) beside cache file `cacheFile`. */
export function coldFileName(cacheFile: string): string {
  return cacheFile.slice(0, -CACHE_SUFFIX.length) + COLD_SUFFIX;
}

/**
 * The file of V8's compiled code (native-code-file.ts) of the module with id `id`: named by the
 * module's bytes alone, which the code is valid for whatever mapped file or build they came from.
 */
export function nativeCodeFileName(dir: string, id: string): string {
  return path.join(dir, `wasm-${id}${NATIVE_CODE_SUFFIX}`);
}

/** The profile file (profile.ts) of the program whose executable has `identity`. */
export function profileFileName(dir: string, target: string, identity: string, options: string): string {
  return fileName(dir, target, identity, options, PROFILE_SUFFIX);
}

function fileName(dir: string, target: string, identity: string, options: string, suffix: string): string {
  const hash = createHash('sha256');
  hash.update(`${buildIdentity()}\0${target}\0${options}\0${identity}`);
  return path.join(dir, `${target}-${hash.digest('hex').slice(0, 32)}${suffix}`);
}

/**
 * The file's bytes (marking it used now), or undefined when there is none or it cannot be read;
 * `keepOpen`: with the open file to read its parts again later (stored-file.ts).
 */
export function readCacheFile(file: string, keepOpen = false): StoredFile | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const bytes = fs.readFileSync(fd);
    const now = new Date();
    fs.futimesSync(fd, now, now);
    if (!keepOpen) return { bytes };
    const reader = new FileReader(fd);
    fd = undefined;
    return { bytes, reader };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The file in a cache directory holding its estimated size in bytes (the total its last scan found,
 * plus what each save wrote since) and the time of that scan (ms since the epoch), as
 * `<bytes> <time>\n`. Not a cache file (no cache suffix): never counted or trimmed.
 */
const USAGE_FILE = 'usage';
/** How long after a scan a save scans the directory anyway (additions lost to concurrent saves, files added unnoticed). */
const USAGE_MAX_AGE_MS = 5 * 60 * 1000;
/** A trim deletes down to this share of the limit, so that a full directory is not scanned again at every save. */
const TRIM_TARGET = 0.9;

/**
 * After a save wrote the cache files `written` into `dir`: keeps the directory under `limit` bytes.
 * Scanning the directory (a stat per file) cost a forked child 30 to 50 ms with a few thousand files,
 * at every exec and exit that wrote, as in Debian's second stage, where nearly every program runs for
 * the first time. So a save adds what it wrote to the directory's estimated size (USAGE_FILE), and
 * scans and trims only when that would pass the limit, or the estimate is missing or its scan old.
 * Two saves at once may each add to the same estimate (one addition lost); the scan's age bounds
 * that drift. A replaced file counts whole although the old one is gone, which errs towards
 * scanning sooner.
 */
export function keepCacheDirectoryUnder(dir: string, limit: number, written: readonly string[]): void {
  const usageFile = path.join(dir, USAGE_FILE);
  let added = 0;
  for (const file of written) {
    try {
      added += fs.statSync(file).size;
    } catch {
      // Trimmed already by another process.
    }
  }
  const estimate = usageEstimate(usageFile);
  const fits = estimate !== undefined && estimate.bytes + added <= limit;
  const scannedAt = fits ? estimate.scannedAt : Date.now();
  const total = fits ? estimate.bytes + added : trimCacheDirectory(dir, limit, written);
  if (total === undefined) return;
  try {
    fs.writeFileSync(usageFile, `${total} ${scannedAt}\n`, { mode: 0o600 });
  } catch {
    // An unwritable estimate only means the next save scans.
  }
}

/** The directory's estimated size and the time of its last scan, or undefined when there is no usable estimate. */
function usageEstimate(usageFile: string): { bytes: number; scannedAt: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(usageFile, 'latin1');
  } catch {
    return undefined;
  }
  // Read while another process rewrites it, the file may be empty or cut short: only a whole line counts.
  const m = /^(\d{1,15}) (\d{1,15})\n$/.exec(text);
  if (!m) return undefined;
  const scannedAt = Number(m[2]);
  if (Date.now() - scannedAt > USAGE_MAX_AGE_MS) return undefined;
  return { bytes: Number(m[1]), scannedAt };
}

/**
 * Deletes the least recently used cache files of `dir` until the rest fit in TRIM_TARGET of `limit`
 * bytes, when they do not fit in `limit`; `keep` (the files just written) stay. Files vanishing
 * meanwhile (another tsemu trimming) are skipped. The bytes left, or undefined when `dir` cannot be read.
 */
function trimCacheDirectory(dir: string, limit: number, keep: readonly string[]): number | undefined {
  let files: { file: string; size: number; used: number }[] = [];
  try {
    for (const name of fs.readdirSync(dir)) {
      if (![CACHE_SUFFIX, PROFILE_SUFFIX, COLD_SUFFIX, NATIVE_CODE_SUFFIX].some((suffix) => name.endsWith(suffix))) continue;
      const file = path.join(dir, name);
      try {
        const s = fs.statSync(file);
        files.push({ file, size: s.size, used: s.mtimeMs });
      } catch {
        // Gone already.
      }
    }
  } catch {
    return undefined;
  }
  let total = files.reduce((sum, f) => sum + f.size, 0);
  if (total <= limit) return total;
  files = files.filter((f) => !keep.includes(f.file)).sort((a, b) => a.used - b.used);
  for (const f of files) {
    if (total <= limit * TRIM_TARGET) break;
    try {
      fs.unlinkSync(f.file);
    } catch {
      // Another process removed it first.
    }
    total -= f.size;
  }
  return total;
}

/** Writes `sealed` into a new file; throws when it cannot. */
function writeNew(file: string, sealed: SealedFile): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    writeSealed(fd, sealed);
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces the file atomically by `sealed`; false (and nothing changed) when it cannot be written or is too large. */
export function writeCacheFile(file: string, sealed: SealedFile, limit = MAX_FILE_BYTES): boolean {
  if (sealedSize(sealed) > limit) return false;
  const temporary = `${file}.${process.pid}.${Math.floor(Math.random() * 2 ** 32).toString(16)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeNew(temporary, sealed);
    fs.renameSync(temporary, file);
    return true;
  } catch {
    try {
      fs.unlinkSync(temporary);
    } catch {
      // Never created.
    }
    return false;
  }
}
