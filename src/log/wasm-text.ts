/**
 * -d out_asm: each generated WebAssembly module as text in the spirit of the WebAssembly text
 * format (types, imports, then each function's locals and instructions, nested by block depth).
 * Only the sections and instructions tsemu's code generator emits are decoded; anything else
 * (which would be a generator bug) ends that function's listing with the remaining bytes in hex.
 */
import { FC_OPCODES, FD_OPCODES, FE_OPCODES, OPCODES, type Immediate, type OpcodeInfo } from './wasm-opcodes';

const VALTYPES: Readonly<Record<number, string>> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
};
const PREFIXED: Readonly<Record<number, ReadonlyMap<number, OpcodeInfo>>> = {
  0xfc: FC_OPCODES,
  0xfd: FD_OPCODES,
  0xfe: FE_OPCODES,
};

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('truncated');
    return this.bytes[this.at++]!;
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
  }

  sleb(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return b & 0x40 ? result - (1n << shift) : result;
    }
  }

  take(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) throw new Error('truncated');
    this.at += n;
    return this.bytes.subarray(this.at - n, this.at);
  }

  name(): string {
    return Buffer.from(this.take(this.u32())).toString('utf8');
  }

  valtype(): string {
    const t = this.byte();
    return VALTYPES[t] ?? `type_0x${t.toString(16)}`;
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function funcType(r: Reader): string {
  if (r.byte() !== 0x60) throw new Error('not a function type');
  const params = Array.from({ length: r.u32() }, () => r.valtype());
  const results = Array.from({ length: r.u32() }, () => r.valtype());
  const paramText = params.length ? ` (param ${params.join(' ')})` : '';
  return `(func${paramText}${results.length ? ` (result ${results.join(' ')})` : ''})`;
}

function limits(r: Reader): string {
  const flags = r.byte();
  const min = r.u32();
  const max = flags & 1 ? ` ${r.u32()}` : '';
  return `${min}${max}${flags & 2 ? ' shared' : ''}`;
}

/** The text of one instruction's immediates. */
function immediates(r: Reader, imm: Immediate): string {
  switch (imm) {
    case 'none':
      return '';
    case 'blocktype': {
      const b = r.byte();
      if (b === 0x40) return '';
      if (VALTYPES[b]) return ` (result ${VALTYPES[b]})`;
      r.at--;
      return ` (type ${r.sleb()})`;
    }
    case 'label':
    case 'func':
    case 'local':
    case 'global':
    case 'table':
      return ` ${r.u32()}`;
    case 'br_table': {
      const targets = Array.from({ length: r.u32() }, () => r.u32());
      return ` ${[...targets, r.u32()].join(' ')}`;
    }
    case 'call_indirect': {
      const type = r.u32();
      return ` ${r.u32()} (type ${type})`;
    }
    case 'memarg':
      return memarg(r);
    case 'memarg_lane': {
      const m = memarg(r);
      return `${m} ${r.byte()}`;
    }
    case 'i32':
    case 'i64':
      return ` ${r.sleb()}`;
    case 'f32':
      return ` ${Buffer.from(r.take(4)).readFloatLE(0)}`;
    case 'f64':
      return ` ${Buffer.from(r.take(8)).readDoubleLE(0)}`;
    case 'zero':
      r.byte();
      return '';
    case 'select_types':
      return ` (result ${Array.from({ length: r.u32() }, () => r.valtype()).join(' ')})`;
    case 'v128':
      return ` i8x16 ${Array.from(r.take(16)).join(' ')}`;
    case 'lane':
      return ` ${r.byte()}`;
    case 'lanes16':
      return ` ${Array.from(r.take(16)).join(' ')}`;
  }
}

function memarg(r: Reader): string {
  const align = r.u32();
  const offset = r.u32();
  return `${offset ? ` offset=${offset}` : ''} align=${2 ** align}`;
}

/** The instructions of one function body, indented by nesting; the final `end` closes the function. */
function instructions(r: Reader, end: number, indent: string): string[] {
  const lines: string[] = [];
  let depth = 1;
  while (r.at < end) {
    const start = r.at;
    try {
      const code = r.byte();
      const prefix = PREFIXED[code];
      const info = prefix ? prefix.get(r.u32()) : OPCODES.get(code);
      if (!info) throw new Error('unknown opcode');
      if (info.name === 'end' || info.name === 'else') depth--;
      if (depth === 0) break;
      lines.push(`${indent}${'  '.repeat(depth)}${info.name}${immediates(r, info.imm)}`);
      if (info.imm === 'blocktype' || info.name === 'else') depth++;
    } catch {
      lines.push(`${indent}${'  '.repeat(depth)};; undecoded: ${hex(bytesOf(r, start, end))}`);
      break;
    }
  }
  r.at = end;
  return lines;
}

function bytesOf(r: Reader, start: number, end: number): Uint8Array {
  r.at = start;
  return r.take(end - start);
}

export function moduleText(bytes: Uint8Array): string {
  const r = new Reader(bytes, 8);
  const lines = [`OUT: wasm module, ${bytes.length} bytes`, '(module'];
  const types: string[] = [];
  const funcTypes: number[] = [];
  const exports = new Map<number, string>();
  let importedFuncs = 0;
  const bodies: { at: number; size: number }[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    if (id === 1) {
      const n = r.u32();
      for (let i = 0; i < n; i++) types.push(funcType(r));
      types.forEach((t, i) => lines.push(`  (type (;${i};) ${t})`));
    } else if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        const name = `"${r.name()}" "${r.name()}"`;
        const kind = r.byte();
        if (kind === 0) lines.push(`  (import ${name} (func (;${importedFuncs++};) (type ${r.u32()})))`);
        else if (kind === 1) {
          const element = r.valtype();
          lines.push(`  (import ${name} (table ${limits(r)} ${element}))`);
        }
        else if (kind === 2) lines.push(`  (import ${name} (memory ${limits(r)}))`);
        else lines.push(`  (import ${name} (global ${r.valtype()}${r.byte() ? ' mut' : ''}))`);
      }
    } else if (id === 3) {
      for (let n = r.u32(); n > 0; n--) funcTypes.push(r.u32());
    } else if (id === 7) {
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name();
        const kind = r.byte();
        const index = r.u32();
        if (kind === 0) exports.set(index, name);
      }
    } else if (id === 10) {
      for (let n = r.u32(); n > 0; n--) {
        const bodySize = r.u32();
        bodies.push({ at: r.at, size: bodySize });
        r.at += bodySize;
      }
    }
    r.at = end;
  }
  bodies.forEach((body, i) => {
    const index = importedFuncs + i;
    const exported = exports.has(index) ? ` (export "${exports.get(index)}")` : '';
    const typeIndex = funcTypes[i];
    const signature = typeIndex !== undefined ? ` ;; ${types[typeIndex] ?? ''}` : '';
    lines.push(`  (func (;${index};)${exported} (type ${typeIndex})${signature}`);
    const b = new Reader(bytes, body.at);
    const locals: string[] = [];
    for (let groups = b.u32(); groups > 0; groups--) {
      const count = b.u32();
      const type = b.valtype();
      locals.push(`${type}*${count}`);
    }
    if (locals.length) lines.push(`    (local ${locals.join(' ')})`);
    lines.push(...instructions(b, body.at + body.size, '  '), '  )');
  });
  lines.push(')');
  return lines.join('\n');
}
