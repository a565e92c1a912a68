/**
 * A program's persistent translation cache for one run: opened before the guest starts (reading
 * what earlier runs saved), saved when the guest leaves if this run translated something new.
 */
import fs from 'node:fs';
import { decodeCacheFile, encodeCacheFile } from './cache-file';
import {
  cacheDirectory,
  cacheFileName,
  cacheSizeLimit,
  readCacheFile,
  trimCacheDirectory,
  writeCacheFile,
} from './cache-store';
import { CodeCache } from './code-cache';

export interface PersistentCache {
  readonly cache: CodeCache;
  /** The cache file of this program. */
  readonly file: string;
  /** Writes the cache back when this run added to it; false when it could not. */
  save(): boolean;
}

/**
 * Opens the cache of the program at host path `program` run for `target` with translation options
 * `options`; undefined when the cache is off or the program cannot be read.
 */
export function openPersistentCache(
  env: NodeJS.ProcessEnv,
  target: string,
  program: string,
  options: string,
): PersistentCache | undefined {
  const dir = cacheDirectory(env);
  if (dir === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(program);
  } catch {
    return undefined;
  }
  const file = cacheFileName(dir, target, bytes, options);
  const existing = readCacheFile(file);
  const cache = new CodeCache(existing ? decodeCacheFile(existing) : []);
  return {
    cache,
    file,
    save: () => {
      if (!cache.changed) return true;
      // Past the size limit the file starts over with this run's translations.
      const saved =
        writeCacheFile(file, encodeCacheFile(cache.contents())) ||
        writeCacheFile(file, encodeCacheFile(cache.added()));
      if (saved) trimCacheDirectory(dir, cacheSizeLimit(env), file);
      return saved;
    },
  };
}
