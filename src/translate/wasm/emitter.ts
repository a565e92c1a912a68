/**
 * A small WebAssembly binary writer: byte buffers with LEB128, function bodies with typed local
 * pools, and the module sections tsemu needs (types, imports, functions, exports, and the branch
 * hints of the branch-hinting proposal). It knows nothing about the IR; lowering lives in lower.ts.
 */
import v8 from 'node:v8';
import { atProcessStart } from '../../process-start';
import type { ValType } from '../ir/ops';

/** 2^53 - 1: the integers a Number holds exactly. */
const SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

export const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Growable byte buffer. */
export class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = b;
    return this;
  }
  /** Appends `bs` with one copy (a body's code is appended this way to the code section). */
  bytes(bs: ArrayLike<number>): this {
    if (this.length + bs.length > this.buf.length) this.grow(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }
  /** Makes room for `n` more bytes, at least doubling. */
  private grow(n: number): void {
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }
  u32(v: number): this {
    let x = v >>> 0;
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.byte(b);
    } while (x !== 0);
    return this;
  }
  s32(v: number): this {
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }
  s64(v: bigint): this {
    if (v >= -SAFE_BIG && v <= SAFE_BIG) return this.sSafe(Number(v));
    let x = BigInt.asIntN(64, v);
    if (x >= -SAFE_BIG && x <= SAFE_BIG) return this.sSafe(Number(x));
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }
  /**
   * Signed LEB128 of an integer within +-2^53 (pcs, offsets and most constants of i64 code), in
   * Number arithmetic: the same bytes as `s64`, without a BigInt per 7 bits.
   */
  sSafe(v: number): this {
    let x = v;
    for (;;) {
      const b = x & 0x7f;
      x = Math.floor(x / 128);
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }
  f32(v: number): this {
    const dv = new DataView(new ArrayBuffer(4));
    dv.setFloat32(0, v, true);
    return this.bytes(new Uint8Array(dv.buffer));
  }
  f64(v: number): this {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, v, true);
    return this.bytes(new Uint8Array(dv.buffer));
  }
  name(s: string): this {
    const enc = Buffer.from(s, 'utf8');
    this.u32(enc.length);
    return this.bytes(enc);
  }
  /** Appends `inner` prefixed by its length. */
  sized(inner: Bytes): this {
    this.u32(inner.length);
    return this.bytes(inner.view());
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** A function signature. */
export interface FuncType {
  params: readonly ValType[];
  results: readonly ValType[];
}

/**
 * V8 reads `metadata.code.branch_hint` only with this flag (off by default in Node 20, read at each
 * compile). Its optimising tier then lays a branch marked unlikely out as deferred code, and its
 * register allocator moves the spills that code needs (a call clobbers every register) into it,
 * instead of spilling each value at its definition on the hot path.
 */
atProcessStart(() => v8.setFlagsFromString('--experimental-wasm-branch-hinting'));

/** One function body under construction: its locals and code. */
export class FunctionBody {
  readonly code = new Bytes();
  private readonly localTypes: ValType[] = [];
  /** Branch hints: offset in `code` of an `if` or `br_if`, and whether it is likely taken. */
  private readonly hints: { at: number; likely: boolean }[] = [];

  constructor(readonly paramCount: number) {}

  /** Marks the `if` or `br_if` emitted next as likely (or unlikely) to be taken. */
  hint(likely: boolean): void {
    this.hints.push({ at: this.code.length, likely });
  }

  /** A fresh local of type `t`; returns its index. */
  local(t: ValType): number {
    this.localTypes.push(t);
    return this.paramCount + this.localTypes.length - 1;
  }

  /**
   * Appends the body (its size, the locals vector, the code, `end`) to the code section `out`;
   * returns its branch hints at offsets from the start of the body (the locals vector), as the hint
   * section counts them. The code is copied once, into `out`.
   */
  encodeInto(out: Bytes): { at: number; likely: boolean }[] {
    const locals = new Bytes();
    // Run-length encode consecutive locals of one type.
    let groups = 0;
    for (let i = 0; i < this.localTypes.length; i++) if (i === 0 || this.localTypes[i] !== this.localTypes[i - 1]) groups++;
    locals.u32(groups);
    for (let i = 0; i < this.localTypes.length; ) {
      const t = this.localTypes[i]!;
      let n = 1;
      while (i + n < this.localTypes.length && this.localTypes[i + n] === t) n++;
      locals.u32(n).byte(VALTYPE[t]);
      i += n;
    }
    out.u32(locals.length + this.code.length + 1).bytes(locals.view()).bytes(this.code.view()).byte(0x0b);
    return this.hints.map(({ at, likely }) => ({ at: at + locals.length, likely }));
  }
}

export type Import =
  | { module: string; name: string; kind: 'func'; type: FuncType }
  | { module: string; name: string; kind: 'memory'; shared: boolean; min: number; max: number }
  | { module: string; name: string; kind: 'table'; min: number };

/** Builds a module: imported functions come first in the function index space. */
export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly imports: Import[] = [];
  private readonly funcs: { type: number; body: FunctionBody }[] = [];
  private readonly exports: { name: string; func: number }[] = [];
  private readonly funcNames: { func: number; name: string }[] = [];
  private readonly tables: { min: number; exportAs: string }[] = [];
  private readonly customSections: { name: string; content: Uint8Array }[] = [];
  private importedFuncs = 0;

  typeIndex(t: FuncType): number {
    const key = `${t.params.join(',')}>${t.results.join(',')}`;
    let idx = this.typeKeys.get(key);
    if (idx === undefined) {
      idx = this.types.length;
      this.types.push(t);
      this.typeKeys.set(key, idx);
    }
    return idx;
  }

  /** Adds an import; for functions returns the function index. Imports must precede functions. */
  addImport(imp: Import): number {
    if (this.funcs.length > 0) throw new Error('imports must be added before functions');
    this.imports.push(imp);
    if (imp.kind === 'func') {
      this.typeIndex(imp.type);
      return this.importedFuncs++;
    }
    return -1;
  }

  /** Reserves a function index for a body to be filled later (so bodies may call each other). */
  addFunction(type: FuncType, body: FunctionBody): number {
    this.funcs.push({ type: this.typeIndex(type), body });
    return this.importedFuncs + this.funcs.length - 1;
  }

  exportFunction(name: string, func: number): void {
    this.exports.push({ name, func });
  }

  /**
   * Defines a funcref table of `min` slots, exported as `exportAs`; returns its table index. The
   * module must import no table (imported tables come first in the index space).
   */
  addTable(min: number, exportAs: string): number {
    this.tables.push({ min, exportAs });
    return this.tables.length - 1;
  }

  /** Adds a custom section (read back with WebAssembly.Module.customSections). */
  addCustomSection(name: string, content: Uint8Array): void {
    this.customSections.push({ name, content });
  }

  /** Names function `func` in the module's `name` section (what V8 calls it in profiles); call in increasing `func` order. */
  nameFunction(func: number, name: string): void {
    this.funcNames.push({ func, name });
  }

  encode(): Uint8Array {
    const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, content: Bytes): void => {
      out.byte(id).sized(content);
    };
    const types = new Bytes().u32(this.types.length);
    for (const t of this.types) {
      types.byte(0x60).u32(t.params.length);
      for (const p of t.params) types.byte(VALTYPE[p]);
      types.u32(t.results.length);
      for (const r of t.results) types.byte(VALTYPE[r]);
    }
    section(1, types);
    const imports = new Bytes().u32(this.imports.length);
    for (const imp of this.imports) {
      imports.name(imp.module).name(imp.name);
      if (imp.kind === 'func') imports.byte(0x00).u32(this.typeIndex(imp.type));
      else if (imp.kind === 'table') imports.byte(0x01).byte(0x70).byte(0x00).u32(imp.min);
      else imports.byte(0x02).byte(imp.shared ? 0x03 : 0x01).u32(imp.min).u32(imp.max);
    }
    section(2, imports);
    const funcs = new Bytes().u32(this.funcs.length);
    for (const f of this.funcs) funcs.u32(f.type);
    section(3, funcs);
    if (this.tables.length > 0) {
      const tables = new Bytes().u32(this.tables.length);
      for (const t of this.tables) tables.byte(0x70).byte(0x00).u32(t.min);
      section(4, tables);
    }
    const exportSection = new Bytes().u32(this.exports.length + this.tables.length);
    for (const e of this.exports) exportSection.name(e.name).byte(0x00).u32(e.func);
    this.tables.forEach((t, i) => exportSection.name(t.exportAs).byte(0x01).u32(i));
    section(7, exportSection);
    const code = new Bytes().u32(this.funcs.length);
    const hints = this.funcs.map((f) => f.body.encodeInto(code));
    // The hint section precedes the code section; functions in increasing index order.
    const hinted = hints.flatMap((h, i) => (h.length > 0 ? [{ func: this.importedFuncs + i, hints: h }] : []));
    if (hinted.length > 0) {
      const hintSection = new Bytes().name('metadata.code.branch_hint').u32(hinted.length);
      for (const { func, hints: list } of hinted) {
        hintSection.u32(func).u32(list.length);
        for (const { at, likely } of list) hintSection.u32(at).u32(1).byte(likely ? 1 : 0);
      }
      section(0, hintSection);
    }
    section(10, code);
    if (this.funcNames.length > 0) {
      // The name section's function names subsection (id 1): a vector of (index, name).
      const names = new Bytes().u32(this.funcNames.length);
      for (const { func, name } of this.funcNames) names.u32(func).name(name);
      section(0, new Bytes().name('name').byte(1).sized(names));
    }
    for (const { name, content } of this.customSections) section(0, new Bytes().name(name).bytes(content));
    return out.view().slice();
  }
}
