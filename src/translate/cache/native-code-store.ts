/**
 * V8's compiled code of the cache's modules across runs (wasm/native-code.ts): a cached module is
 * made from the code an earlier run kept of it when there is a file of it (native-code-file.ts),
 * else compiled from its bytes; at each save, the code of the modules compiled from their bytes
 * whose functions have reached TurboFan since (V8 serializes nothing else) is written, a file per
 * module, so the next run neither compiles them nor runs them in Liftoff code until they tier up.
 * Modules this run generated are kept from the run that next installs them from the cache.
 */
import fs from 'node:fs';
import { compiledCode, moduleFromCode } from '../wasm/native-code';
import type { CachedModule } from './cache-file';
import { nativeCodeFileName, readCacheFile, writeCacheFile } from './cache-store';
import type { CompiledCachedModule } from './code-cache';
import { decodeNativeCode, encodeNativeCode } from './native-code-file';
import { partBytes } from './sealed-file';

export class NativeCodeStore {
  /** The modules compiled from their bytes whose code is not kept yet, by id (weakly: invalidated code goes). */
  private readonly unkept = new Map<string, WeakRef<WebAssembly.Module>>();

  constructor(private readonly dir: string) {}

  compile(module: CachedModule): CompiledCachedModule {
    const file = nativeCodeFileName(this.dir, module.id);
    // No read (and no mark of use) without a file: most modules have none.
    const stored = fs.existsSync(file) ? readCacheFile(file) : undefined;
    const code = stored && decodeNativeCode(stored.bytes);
    const bytes = partBytes(module.bytes);
    const fromCode = code && moduleFromCode(bytes, code);
    if (fromCode) return { compiled: fromCode, fromCode: true };
    const compiled = new WebAssembly.Module(bytes);
    this.unkept.set(module.id, new WeakRef(compiled));
    return { compiled, fromCode: false };
  }

  /** Module `id` compiled again with TurboFan in this process: its code is kept at the next save, unless it is already. */
  optimized(id: string, compiled: WebAssembly.Module): void {
    if (!fs.existsSync(nativeCodeFileName(this.dir, id))) this.unkept.set(id, new WeakRef(compiled));
  }

  /**
   * Forgets the modules whose code is not kept yet (in a forked child: its parent keeps them). A
   * child trying them at its save asked V8 to serialize each, and V8 counts a reference on each
   * function's code as it does: writes that copy the parent's pages, for modules that are mostly
   * still without TurboFan code and so give nothing.
   */
  forget(): void {
    this.unkept.clear();
  }

  /** Writes the code of the modules that have TurboFan code now; the files written. */
  save(): string[] {
    const written: string[] = [];
    for (const [id, ref] of this.unkept) {
      const compiled = ref.deref();
      const code = compiled && compiledCode(compiled);
      if (compiled && !code) continue;
      this.unkept.delete(id);
      const file = nativeCodeFileName(this.dir, id);
      if (code && writeCacheFile(file, encodeNativeCode(code))) written.push(file);
    }
    return written;
  }
}
