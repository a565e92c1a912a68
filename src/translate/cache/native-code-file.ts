/**
 * The on-disk form of V8's compiled code of one cached module (wasm/native-code.ts), a file per
 * module in the cache directory, named by the module's id (a digest of its wire bytes: the code
 * is used only with the very bytes it was compiled from). Sealed (sealed-file.ts): V8 checks its
 * version and flags but not the code, so a damaged file must never reach it.
 *
 *   "TSEMUTN1" | sha-256 of what follows | V8's serialized module
 *
 * A file per module, read only as its module is installed and dropped once V8 has made the module,
 * so a run never holds more than one module's code (a cache file's worth would be megabytes).
 */
import { seal, unseal, type SealedFile } from './sealed-file';

const MAGIC = 'TSEMUTN1';

export function encodeNativeCode(code: Uint8Array): SealedFile {
  return seal(MAGIC, [code]);
}

/** The code of a file encodeNativeCode made, or undefined for anything else. */
export function decodeNativeCode(file: Buffer): Uint8Array | undefined {
  return unseal(MAGIC, file);
}
