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
