/**
 * A process's persistent translation cache: opened before the guest starts, its cache files read
 * as the guest first runs code of each mapped file, and saved when the guest leaves (exit or
 * execve) for every file this run translated something new in: added to what the file holds then
 * (cache-merge.ts), since other programs write the same libraries' files.
 *
 * A mapped file's identity is its device, inode, size and modification time as mmap found them
 * (from the descriptor: a chroot without /proc, where a mapping has no path, keeps its cache), and
 * its load address: translated code holds absolute guest addresses, so a library mapped elsewhere
 * has a cache file of its own. Guest layouts are deterministic, so a library lands at the same
 * address in every program that maps the same files before it.
 *
 * Beside them the executable's profile (profile.ts): the modules this program used, read at the
 * start and extended at each save with the modules this run used; and V8's compiled code of the
 * cached modules (native-code-store.ts), written at each save for those that reached TurboFan.
 */
import fs from 'node:fs';
import type { MappedRegion } from '../../memory/address-space';
import { fileIdentity } from '../../memory/mapped-file';
import { decodeCacheFile, encodeCacheFile, type CachedModule } from './cache-file';
import { coldSaveOrder, novelColdBlocks, novelModules } from './cache-merge';
import {
  MAX_COLD_FILE_BYTES,
  coldEntries,
  coldEntriesWithin,
  decodeColdFile,
  encodeColdFile,
  type ColdEntry,
} from './cold-file';
import { decodeProfile, encodeProfile } from './profile';
import {
  cacheDirectory,
  cacheFileName,
  cacheSizeLimit,
  coldFileName,
  keepCacheDirectoryUnder,
  profileFileName,
  readCacheFile,
  writeCacheFile,
} from './cache-store';
import { CodeCache } from './code-cache';
import { NativeCodeStore } from './native-code-store';

export interface PersistentCache {
  readonly cache: CodeCache;
  /** Writes the cache files this run added to; false when one could not be written. */
  save(): boolean;
  /** Forgets the translations not saved yet (in a forked child: its parent saves them). */
  forgetUnsaved(): void;
  /**
   * Goes on for program `executable` (an execve in the same process): its profile from now on; the
   * record of the modules used so far starts over (save first to keep it in the old program's).
   */
  switchProgram(executable: string): void;
}

/**
 * Opens the cache for the program `executable` (a host path) run for `target` with translation
 * options `options`, whose mapped regions `regionAt` tells; undefined when the cache is off.
 */
export function openPersistentCache(
  env: NodeJS.ProcessEnv,
  target: string,
  regionAt: (addr: number) => MappedRegion | undefined,
  options: string,
  executable: string,
): PersistentCache | undefined {
  const dir = cacheDirectory(env);
  if (dir === undefined) return undefined;
  const profileOf = (program: string): string | undefined => {
    const identity = identityAt(program);
    return identity && profileFileName(dir, target, identity, options);
  };
  let profileFile = profileOf(executable);
  const readProfile = (): Set<string> => {
    const stored = profileFile === undefined ? undefined : readCacheFile(profileFile);
    return stored ? decodeProfile(stored.bytes) : new Set();
  };
  const fileOfRegion = new WeakMap<MappedRegion, string | undefined>();
  // The run's modules and cold blocks come from the open file as they are used (stored-file.ts); a
  // save's, from the bytes it read.
  const read = (file: string, keepOpen = false): CachedModule[] => {
    const stored = readCacheFile(file, keepOpen);
    return stored ? decodeCacheFile(stored) : [];
  };
  const readCold = (file: string, keepOpen = false): ColdEntry[] => {
    const stored = readCacheFile(coldFileName(file), keepOpen);
    return stored ? decodeColdFile(stored) : [];
  };
  const nativeCode = new NativeCodeStore(dir);
  const cache = new CodeCache(
    {
      read: (file) => read(file, true),
      readCold: (file) => readCold(file, true),
      compile: (module) => nativeCode.compile(module),
      optimized: (id, compiled) => nativeCode.optimized(id, compiled),
      fileAt: (pc) => {
        const region = regionAt(pc);
        if (!region) return undefined;
        if (!fileOfRegion.has(region)) {
          const identity = mappedFileIdentity(region);
          fileOfRegion.set(region, identity && cacheFileName(dir, target, identity, options));
        }
        return fileOfRegion.get(region);
      },
    },
    readProfile(),
  );
  const save = (): boolean => {
    const written: string[] = [];
    for (const { file, added, addedCold } of cache.unsaved()) {
      const current = read(file);
      const novel = novelModules(current, added);
      if (novel.length > 0) {
        // Past the size limit the file starts over with this run's translations.
        const merged = encodeCacheFile([...current, ...novel]);
        if (!writeCacheFile(file, merged) && !writeCacheFile(file, encodeCacheFile(novel))) continue;
        written.push(file);
      }
      const coldFile = coldFileName(file);
      const currentCold = readCold(file);
      const novelCold = novelColdBlocks(currentCold, addedCold);
      if (novelCold.length > 0) {
        const ordered = coldSaveOrder(currentCold, coldEntries(novelCold), [...current, ...novel]);
        const entries = coldEntriesWithin(ordered);
        if (!writeCacheFile(coldFile, encodeColdFile(entries), MAX_COLD_FILE_BYTES)) continue;
        written.push(coldFile);
      }
      cache.saved(file);
    }
    written.push(...nativeCode.save());
    // Read again: a concurrent run of the same program may have extended it since.
    const profile = readProfile();
    const used = cache.usedModules();
    if (profileFile !== undefined && [...used].some((id) => !profile.has(id))) {
      const ids = new Set([...used, ...profile]);
      if (writeCacheFile(profileFile, encodeProfile(ids))) written.push(profileFile);
    }
    if (written.length > 0) keepCacheDirectoryUnder(dir, cacheSizeLimit(env), written);
    return cache.unsaved().length === 0;
  };
  return {
    cache,
    save,
    forgetUnsaved: () => {
      for (const { file } of cache.unsaved()) cache.saved(file);
      nativeCode.forget();
    },
    switchProgram: (program) => {
      profileFile = profileOf(program);
      cache.useProfile(readProfile());
    },
  };
}

/** The identity of the file a region maps as it was mapped, and the address its offset 0 would have. */
function mappedFileIdentity(region: MappedRegion): string | undefined {
  return region.identity === '' ? undefined : `${region.identity}@${region.start - region.offset}`;
}

/** The identity of the file at `file`, or undefined when it cannot be read. */
function identityAt(file: string): string | undefined {
  try {
    return fileIdentity(fs.statSync(file));
  } catch {
    return undefined;
  }
}
