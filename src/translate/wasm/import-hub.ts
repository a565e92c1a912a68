/**
 * The JavaScript functions batch modules import (helpers, the slow store and load paths, system
 * mode's software TLB), each behind a wasm function of this engine's that calls it.
 *
 * V8 11.3 (Node 20) compiles, with TurboFan, an import wrapper for every distinct JavaScript-
 * compatible signature a module imports, while it compiles the module and whatever the imports
 * turn out to be, and keeps them per module: `perl -e 'use Debconf::Db'` compiles 3100 batch
 * modules, and their wrappers took 7 % of its CPU time from an empty cache and 11 % with a warm one
 * (docs/performance.md). So a batch module imports each of them as a wasm function of the hub
 * instead, with one more parameter, a v128 the callers pass as zero and the hub drops: a signature
 * with a v128 is not JavaScript-compatible, V8 compiles no wrapper for it, and a call from one
 * instance's wasm to another's needs none. The hub's own wasm calls the JavaScript function through
 * the one wrapper its module has per signature.
 */
import { FunctionBody, ModuleBuilder, type Bytes, type FuncType } from './emitter';

/** One import: its name in the batch modules' `env`, its JavaScript signature, and the function. */
export interface HubImport {
  name: string;
  type: FuncType;
  fn: Function;
}

/**
 * The signature a batch module imports a hub function with: the JavaScript one and the v128. Also
 * that of module.ts's `enter` stub, a wasm function whose plain signature V8 would make a wrapper for too.
 */
export function withPad(type: FuncType): FuncType {
  return { params: [...type.params, 'v128'], results: type.results };
}

/** Pushes the v128 a call to an import of signature withPad(...) passes last: i32.const 0, i32x4.splat. */
export function pushPad(code: Bytes): void {
  code.byte(0x41).s32(0).byte(0xfd).u32(0x11);
}

/** The wasm stand-ins of the JavaScript functions imported by name; made on first need, kept after. */
export class ImportHub {
  private readonly made = new Map<string, Function>();

  /**
   * The wasm stand-in for each of `imports`, by name. Those not made yet are made together, in one
   * module (a module has a cost of its own: one per batch that needs a new import, not one per import).
   */
  functions(imports: readonly HubImport[]): Record<string, Function> {
    const missing = imports.filter((imp) => !this.made.has(imp.name));
    if (missing.length > 0) this.make(missing);
    const out: Record<string, Function> = {};
    for (const imp of imports) out[imp.name] = this.made.get(imp.name)!;
    return out;
  }

  private make(imports: readonly HubImport[]): void {
    const mb = new ModuleBuilder();
    imports.forEach((imp, i) => mb.addImport({ module: 'js', name: `f${i}`, kind: 'func', type: imp.type }));
    imports.forEach((imp, i) => {
      // (local.get 0) ... (local.get n-1) (call i): every parameter but the v128.
      const body = new FunctionBody(imp.type.params.length + 1);
      imp.type.params.forEach((_, p) => body.code.byte(0x20).u32(p));
      body.code.byte(0x10).u32(i);
      mb.exportFunction(`f${i}`, mb.addFunction(withPad(imp.type), body));
    });
    const js: Record<string, Function> = {};
    imports.forEach((imp, i) => (js[`f${i}`] = imp.fn));
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(mb.encode()), { js });
    imports.forEach((imp, i) => this.made.set(imp.name, exports[`f${i}`] as Function));
  }
}
