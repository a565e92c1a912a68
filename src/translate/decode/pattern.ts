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

/** One field with its parts gathered, most significant first: extractFields' plan, made once. */
interface FieldPlan {
  name: string;
  parts: { shift: number; mask: number; scale: number }[];
  /** The width of the whole field; sign-extended from its top bit when any part is `sN`. */
  width: number;
  signed: boolean;
}

export interface Pattern {
  mask: number;
  value: number;
  parts: FieldPart[];
  fields: FieldPlan[];
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
  return { mask: mask >>> 0, value: value >>> 0, parts, fields: planFields(parts) };
}

function planFields(parts: readonly FieldPart[]): FieldPlan[] {
  const fields = new Map<string, FieldPlan>();
  for (const part of parts) {
    let field = fields.get(part.name);
    if (!field) fields.set(part.name, (field = { name: part.name, parts: [], width: 0, signed: false }));
    const mask = part.width === 32 ? 0xffffffff : (1 << part.width) - 1;
    field.parts.push({ shift: part.shift, mask, scale: 2 ** part.width });
    field.width += part.width;
    field.signed ||= part.signed;
  }
  return [...fields.values()];
}

/**
 * Extracts the fields of `insn` as described by the pattern. A field written in several parts is
 * their concatenation; sign-extending it from its top bit is the same whichever part is `sN`.
 */
export function extractFields(p: Pattern, insn: number): Fields {
  const out: Fields = {};
  for (const field of p.fields) {
    let v = 0;
    for (const part of field.parts) v = v * part.scale + ((insn >>> part.shift) & part.mask);
    if (field.signed && v >= 2 ** (field.width - 1)) v -= 2 ** field.width;
    out[field.name] = v;
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
  /** keyBits as an array the lookup indexes without a closure. */
  private readonly keyShifts: Int8Array;

  /**
   * @param keyBits bit positions (0 = least significant) used to bucket the entries; entries that do
   * not fix one of them are placed in every bucket it could match.
   */
  constructor(
    readonly entries: readonly DecodeEntry<H>[],
    private readonly keyBits: readonly number[],
  ) {
    this.keyMask = keyBits.reduce((m, b) => (m | (1 << b)) >>> 0, 0);
    this.keyShifts = Int8Array.from(keyBits);
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
    const shifts = this.keyShifts;
    let key = 0;
    for (let i = 0; i < shifts.length; i++) key |= ((insn >>> shifts[i]!) & 1) << i;
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
