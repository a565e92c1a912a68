/**
 * Declarative instruction decoding, in the spirit of QEMU's decodetree.
 *
 * An encoding is written most-significant bit first as space-separated tokens:
 *   - runs of `0`/`1`: fixed bits,
 *   - runs of `.`: bits this pattern ignores,
 *   - `name:N`: an N-bit unsigned field, `name:sN` a sign-extended one.
 * A field named twice (e.g. `imm:2 ... imm:19` for ADR's immlo/immhi) is concatenated in the order
 * written, first occurrence most significant. The tokens must cover exactly `width` bits.
 *
 * A DecodeTable holds the encodings of one sub-ISA in priority order: the first match wins, so
 * more specific encodings are listed before the general ones they carve out of (QEMU's overlap
 * groups). Lookup goes through buckets keyed by a few always-fixed bits so that only a handful of
 * entries are tried per instruction.
 */

export type Fields = Record<string, number>;

interface FieldPart {
  name: string;
  shift: number;
  width: number;
  signed: boolean;
}

export interface Pattern {
  mask: number;
  value: number;
  parts: FieldPart[];
}

export function parsePattern(text: string, width = 32): Pattern {
  let bit = width;
  let mask = 0;
  let value = 0;
  const parts: FieldPart[] = [];
  for (const token of text.trim().split(/\s+/)) {
    const field = /^([a-zA-Z_][a-zA-Z0-9_]*):(s?)(\d+)$/.exec(token);
    if (field) {
      const w = Number(field[3]);
      bit -= w;
      parts.push({ name: field[1]!, shift: bit, width: w, signed: field[2] === 's' });
      continue;
    }
    if (!/^[01.]+$/.test(token)) throw new Error(`bad pattern token '${token}' in '${text}'`);
    for (const c of token) {
      bit--;
      if (c !== '.') {
        mask |= 1 << bit;
        if (c === '1') value |= 1 << bit;
      }
    }
  }
  if (bit !== 0) throw new Error(`pattern '${text}' covers ${width - bit} bits, not ${width}`);
  return { mask: mask >>> 0, value: value >>> 0, parts };
}

/** Extracts the fields of `insn` as described by the pattern. */
export function extractFields(p: Pattern, insn: number): Fields {
  const out: Fields = {};
  const widths: Record<string, number> = {};
  for (const part of p.parts) {
    const raw = (insn >>> part.shift) & (part.width === 32 ? 0xffffffff : (1 << part.width) - 1);
    const prev = out[part.name];
    const w = (widths[part.name] ?? 0) + part.width;
    widths[part.name] = w;
    let v = prev === undefined ? raw : prev * 2 ** part.width + raw;
    if (part.signed && v >= 2 ** (w - 1)) v -= 2 ** w;
    out[part.name] = v;
  }
  return out;
}

export interface DecodeEntry<H> {
  /** Mnemonic or family name, for logs and tests. */
  name: string;
  pattern: Pattern;
  handler: H;
}

export class DecodeTable<H> {
  private readonly buckets: DecodeEntry<H>[][];
  private readonly keyMask: number;

  /**
   * @param keyBits bit positions (0 = least significant) used to bucket the entries; entries that do
   * not fix one of them are placed in every bucket it could match.
   */
  constructor(
    readonly entries: readonly DecodeEntry<H>[],
    private readonly keyBits: readonly number[],
  ) {
    this.keyMask = keyBits.reduce((m, b) => (m | (1 << b)) >>> 0, 0);
    this.buckets = Array.from({ length: 1 << keyBits.length }, () => []);
    for (const e of entries) {
      for (let key = 0; key < this.buckets.length; key++) {
        const bits = this.bitsOfKey(key);
        if (((bits ^ e.pattern.value) & e.pattern.mask & this.keyMask) === 0) this.buckets[key]!.push(e);
      }
    }
  }

  private bitsOfKey(key: number): number {
    let bits = 0;
    this.keyBits.forEach((b, i) => {
      if (key & (1 << i)) bits |= 1 << b;
    });
    return bits >>> 0;
  }

  private keyOf(insn: number): number {
    let key = 0;
    this.keyBits.forEach((b, i) => {
      if (insn & (1 << b)) key |= 1 << i;
    });
    return key;
  }

  /** All entries matching `insn`, in priority order (a handler may decline and let the next try). */
  *matches(insn: number): Generator<DecodeEntry<H>> {
    for (const e of this.buckets[this.keyOf(insn)]!) {
      if (((insn & e.pattern.mask) >>> 0) === e.pattern.value) yield e;
    }
  }
}

/** Builds table entries from `[pattern, name, handler]` rows. */
export function entries<H>(rows: readonly (readonly [string, string, H])[], width = 32): DecodeEntry<H>[] {
  return rows.map(([text, name, handler]) => ({ name, pattern: parsePattern(text, width), handler }));
}
