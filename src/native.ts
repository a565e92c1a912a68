/**
 * Typed access to the native addon (native/*.cc). Each topic file of the addon adds its functions
 * here; nothing else loads the addon.
 */
import path from 'node:path';

export interface NativeAddon {
  /** Ends the process with signal `sig` as its death cause (core dumps off). */
  dieWithSignal(sig: number): never;
  /** Host address of a typed array's first byte. */
  bufferAddress(array: Uint8Array): number;
  /** Raw host syscall; pointers must be host addresses. Returns the result or -errno. */
  syscall(nr: number, ...args: number[]): number;
  /** madvise(MADV_DONTNEED) on a host range: private anonymous pages then read as zero. 0 or -errno. */
  hostDiscard(addr: number, length: number): number;
  /** Maps host fd (anonymous memory if fd < 0) MAP_FIXED, read-write, shared or private, over a host range; on failure restores private anonymous memory there. 0 or -errno. */
  hostMapFixed(addr: number, length: number, shared: boolean, fd: number, offset: number): number;
  /** Puts private anonymous zero memory back over a host range. 0 or -errno. */
  hostMapAnonymous(addr: number, length: number): number;
  /** Moves a host mapping (mremap MAYMOVE|FIXED) and restores private anonymous memory at the old range. 0 or -errno. */
  hostMoveMapping(oldAddr: number, oldLength: number, newLength: number, newAddr: number): number;
  /** The O_ACCMODE bits (0 read-only, 1 write-only, 2 read-write) of a host fd, or -errno. */
  hostFdAccessMode(fd: number): number;
}

let addon: NativeAddon | undefined;

export function native(): NativeAddon {
  if (!addon) {
    const root = path.join(__dirname, '..');
    const candidates = ['build/Release/tsemu_native.node', 'build/cmake/tsemu_native.node'];
    let lastError: unknown;
    for (const c of candidates) {
      try {
        addon = require(path.join(root, c)) as NativeAddon;
        break;
      } catch (e) {
        lastError = e;
      }
    }
    if (!addon) throw new Error(`tsemu: native addon not built (run npm install): ${String(lastError)}`);
  }
  return addon;
}
