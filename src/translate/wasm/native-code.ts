/**
 * V8's compiled code of batch modules, kept across runs (cache/native-code-file.ts stores it): a
 * warm run makes a cached module from the code an earlier run's V8 compiled, TurboFan code of the
 * functions that had turned hot included, instead of compiling its wire bytes again with Liftoff
 * and tiering its hot functions up to TurboFan once more.
 *
 * V8 takes serialized code only from the same V8 build, CPU features and flags (its flag hash:
 * tsemu's own flags, set at each start, are the same in every run; a profiling run's are not), and
 * when they differ it falls back to compiling the wire bytes in the background. So the code is
 * given to V8 only when its header, those four words, is the header of code serialized now (a
 * probe module's): a run under other flags compiles as without it.
 *
 * A forked child has no worker threads (tiers.ts), and both work there all the same (measured, not
 * read in V8's source: a child made its modules from code and ran to the same output; V8's job
 * for the copying is presumably joined by the calling thread, which then does the work alone). What
 * a child keeps is the code of the batches its own tier-up compiled again with TurboFan (engine.ts,
 * tierUp), whole modules of TurboFan code, so the children after it start with the code a child had
 * to earn.
 *
 * V8 does not check the code itself: a corrupted one would run. Its file is sealed (a SHA-256).
 */
import { native } from '../../native';
import { compileOptimized } from './tiers';

/** V8's header of serialized code: magic number, version hash, CPU features, flag hash. */
const V8_HEADER_BYTES = 16;

/** A module of one function returning a constant, compiled by TurboFan to serialize it. */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00,
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b,
]);

/** The header of code serialized in this process (null: V8 serialized none). */
let header: Uint8Array | null | undefined;

function currentHeader(): Uint8Array | undefined {
  if (header === undefined) {
    const probe = compileOptimized(() => new WebAssembly.Module(PROBE));
    header = native().serializeWasmModule(probe)?.slice(0, V8_HEADER_BYTES) ?? null;
  }
  return header ?? undefined;
}

/** V8's compiled code of `module` to keep, or undefined (no TurboFan code yet). */
export function compiledCode(module: WebAssembly.Module): Uint8Array | undefined {
  return native().serializeWasmModule(module);
}

/**
 * The module of wire bytes `bytes` made from `code` (compiledCode of the same bytes in some run),
 * or undefined when this process cannot use it: the caller compiles the bytes.
 */
export function moduleFromCode(bytes: Uint8Array, code: Uint8Array): WebAssembly.Module | undefined {
  if (code.length < V8_HEADER_BYTES) return undefined;
  const expected = currentHeader();
  if (!expected || expected.some((byte, i) => code[i] !== byte)) return undefined;
  return native().deserializeWasmModule(bytes, code);
}
