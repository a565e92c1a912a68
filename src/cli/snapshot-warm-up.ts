/**
 * Runs the translation path of the snapshot's frontend while a start-up snapshot of tsemu is built, so that the
 * snapshot holds its functions compiled. V8 compiles a function to bytecode on its first call and
 * keeps that bytecode in a snapshot; a function never called while the snapshot was built is
 * compiled again in every process that calls it, and a start translates a few hundred blocks of the
 * C library's start-up code through a few hundred per-instruction emitters. Compiling on first
 * call was a tenth of a static hello world's samples; warming the translation path here took 3 to
 * 6% off its CPU time (docs/performance.md, "Start-up: the translation path in the snapshot").
 *
 * Each decode table row is translated once, as the instruction its pattern fixes with every field
 * zero and once with every field bit set, each a block of its own, and compacted as the engine
 * keeps cold blocks. Nothing is run: the instructions are only decoded.
 *
 * The rest of a start's path (the loader, guest memory, the syscall layer, the engine, the
 * interpreter) needs a guest and the addon, which the snapshot's build does not have, so it cannot be
 * run here; its functions are compiled without being called instead: every function and class
 * method that the modules of START_PATH_MODULES export, or hold in the plain objects they export
 * (tables of syscalls, targets), through V8's %PrepareFunctionForOptimization, which compiles a
 * function to bytecode (and gives it a feedback vector) and nothing else. Native syntax is allowed
 * for the one function that calls it and turned off again at once: V8's flags must be as they were
 * for Node to accept the snapshot, which tools/build-bundle.mjs checks by starting it. This took
 * about 3% off a warm start's CPU time (docs/performance.md, "Start-up: what the snapshot holds").
 *
 * A start also calls functions of Node's own modules that nothing calls while the snapshot is
 * built (reading a file and its state, Buffer's readers, random bytes, a hash: about 100 functions
 * compiled on first call in every start), and the command line's parser (yargs-parser makes its
 * parser's functions inside each call): warmUpNode calls the first on the bundle's own file, and
 * a command line is parsed once. Both took about 2% off a warm start's CPU time
 * (docs/performance.md, "seventh pass").
 *
 * Node loads some of its own modules on first use too: the engine times each translation with
 * `performance.now()`, whose first use loaded perf_hooks and its dependencies in every process
 * (about 3% of a hello world's samples). Node refreshes `performance`'s time origin as a process
 * starts from a snapshot, so using it here is safe.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { CodeSource } from '../translate/frontend';
import { compactBlock } from '../translate/ir/compact';
import type { SnapshotName } from './bundle-files';
import type { SnapshotSet, WarmUp } from './snapshot-sets/snapshot-set';
import { START_PATH_MODULES } from './start-path-modules';
import { parseUserArgs } from './user';

const PC = 0x10000;

/** One instruction at PC: a 32-bit word, a halfword, or two halfwords (a 32-bit Thumb one, top half first). */
function codeOf(insn: number, width: 16 | 32): CodeSource {
  const halves = width === 16 ? [insn] : [insn >>> 16, insn & 0xffff];
  return {
    fetch32: (pc) => (pc === PC ? insn : undefined),
    fetch16: (pc) => halves[(pc - PC) / 2],
  };
}

/** Translates every row of every table of `warmUps` twice (fields zero, fields all ones). */
function warmUpTranslation(warmUps: readonly WarmUp[]): void {
  for (const { frontend, table, pcBit, width } of warmUps) {
    const bits = width === 16 ? 0xffff : 0xffffffff;
    for (const { pattern } of table.entries) {
      for (const insn of [pattern.value, (pattern.value | (bits & ~pattern.mask)) >>> 0]) {
        try {
          compactBlock(frontend.translate(codeOf(insn, width), PC | pcBit, { maxInsns: 1, flags: 0 }));
        } catch {
          // An encoding an emitter rejects by throwing: the code that ran up to there is compiled all the same.
        }
      }
    }
  }
}

/** How deep compileExported looks into the plain objects a module exports (a table of tables). */
const OBJECT_DEPTH = 2;

/** Compiles, without calling them, the functions the modules `modules` export (see above). */
function compileExported(modules: readonly object[]): void {
  v8.setFlagsFromString('--allow-natives-syntax');
  let compile: (f: unknown) => void;
  try {
    compile = new Function('f', '%PrepareFunctionForOptimization(f)') as (f: unknown) => void;
  } finally {
    v8.setFlagsFromString('--no-allow-natives-syntax');
  }
  const seen = new Set<unknown>();
  const visitProperties = (o: object, depth: number): void => {
    for (const key of Object.getOwnPropertyNames(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key)!;
      visit(d.value, depth);
      visit(d.get, depth);
      visit(d.set, depth);
    }
  };
  const visit = (value: unknown, depth: number): void => {
    if (value === null || (typeof value !== 'function' && typeof value !== 'object') || seen.has(value))
      return;
    seen.add(value);
    if (typeof value === 'function') {
      // Node's and V8's own functions (and bound ones) have no bytecode to make.
      if (Function.prototype.toString.call(value).endsWith('{ [native code] }')) return;
      compile(value);
      const prototype = (value as { prototype?: unknown }).prototype;
      if (typeof prototype === 'object' && prototype !== null) visitProperties(prototype, depth);
      return;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (depth > 0 && (proto === Object.prototype || proto === null)) visitProperties(value, depth - 1);
  };
  for (const module of modules) visitProperties(module, OBJECT_DEPTH);
}

/** Calls, on the bundle's own file, the functions of Node's modules that every start calls (above). */
function warmUpNode(): void {
  const file = fs.realpathSync(__filename);
  const bytes = fs.readFileSync(file);
  fs.statSync(file, { throwIfNoEntry: false });
  fs.statSync(path.join(path.dirname(file), 'absent'), { throwIfNoEntry: false });
  const fd = fs.openSync(file, 'r');
  try {
    fs.fstatSync(fd);
    fs.readSync(fd, Buffer.allocUnsafe(64), 0, 64, 0);
  } finally {
    fs.closeSync(fd);
  }
  const head = Buffer.concat([bytes.subarray(0, 8), Buffer.alloc(8)]);
  head.readBigUInt64LE(0);
  head.readUInt32LE(0);
  head.readUInt32BE(0);
  head.readUInt16LE(0);
  head.toString('latin1');
  Buffer.isEncoding('utf8');
  // In hex, as the cache files' checksum is taken (sealed-file.ts says why not a Buffer digest).
  crypto.createHash('sha256').update(head).digest('hex');
  crypto.randomBytes(16);
  path.basename(file);
}

/** Runs what every start of the snapshot `name` (holding `set`) would otherwise compile or load for the first time. */
export function warmUp(name: SnapshotName, set: SnapshotSet): void {
  warmUpTranslation(set.warmUps);
  compileExported([...START_PATH_MODULES, ...set.modules]);
  warmUpNode();
  parseUserArgs(name, ['-L', '/', './program', 'argument'], {});
  performance.now();
}
