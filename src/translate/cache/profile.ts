/**
 * A program's profile: the ids of the cached modules (cache-file.ts moduleId) its earlier runs
 * used, in whichever mapped file's cache they lie. The shared files (the dynamic loader's, libc's)
 * collect what every program ran of them; the profile is what lets a program compile only its own
 * share of them (code-cache.ts). One small file per executable:
 *
 *   "TSEMUTP1" | sha-256 of what follows (sealed-file.ts) | JSON array of module ids
 *
 * A file that is not exactly that reads as no profile (the program then runs as for the first time).
 */
import { seal, unseal, type SealedFile } from './sealed-file';

const MAGIC = 'TSEMUTP1';
/**
 * Ids kept, the most recently used first: far more than one program's modules (a Debian `ls`
 * uses about 50), so only ids of modules long gone fall off.
 */
const MAX_IDS = 4096;

export function encodeProfile(ids: Iterable<string>): SealedFile {
  return seal(MAGIC, [Buffer.from(JSON.stringify([...ids].slice(0, MAX_IDS)), 'utf8')]);
}

/** The module ids of a profile file, or an empty set when it is not one encodeProfile wrote. */
export function decodeProfile(file: Buffer): Set<string> {
  const body = unseal(MAGIC, file);
  if (!body) return new Set();
  let ids: unknown;
  try {
    ids = JSON.parse(body.toString('utf8'));
  } catch {
    return new Set();
  }
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return new Set();
  return new Set(ids as string[]);
}
