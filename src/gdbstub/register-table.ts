/**
 * Target descriptions as data: each target lists its registers (name, size, gdb type, and how to
 * reach the value in the CPU state block) grouped in gdb's standard features, and this module turns
 * the list into gdb's target description XML and into `g`/`p` packet bytes.
 *
 * CPU state slots are always little-endian (the engine writes them that way); gdb wants register
 * bytes in the target's byte order, so big-endian targets get them reversed here, once.
 */

/** How one register lives in the CPU state: a plain little-endian slot, or packed from several. */
export interface RegisterAccess {
  read(state: DataView, base: number): Uint8Array;
  write(state: DataView, base: number, littleEndianValue: Uint8Array): void;
}

export interface RegisterRow extends RegisterAccess {
  readonly name: string;
  readonly bitsize: number;
  /** A gdb predefined type (int, code_ptr, ieee_double...) or one declared in the feature's types. */
  readonly type: string;
  readonly group?: string;
  /** gdb's number for the register when it does not follow the previous one's (gaps kept from gdb's standard features). */
  readonly regnum?: number;
}

export interface TargetFeature {
  /** The standard feature name gdb looks for, e.g. org.gnu.gdb.aarch64.core. */
  readonly name: string;
  /** Type declarations (vector, union, flags elements) the registers refer to. */
  readonly types?: string;
  readonly registers: readonly RegisterRow[];
}

export interface TargetDescription {
  /** The frontend whose CPU state the registers live in (ppc64 serves both byte orders). */
  readonly frontend: string;
  /** gdb's BFD architecture name. */
  readonly architecture: string;
  readonly littleEndian: boolean;
  readonly features: readonly TargetFeature[];
  /**
   * The engine pc a breakpoint of gdb's `kind` at `addr` stands for, where the instruction set is
   * part of the pc (ARM: kinds 2 and 3 are Thumb breakpoints, and Thumb pcs have bit 0 set).
   * Without it, the address itself.
   */
  readonly breakpointPc?: (addr: number, kind: number) => number;
}

/** A register held whole in a little-endian state slot at `offset`. */
export function slot(name: string, offset: number, bitsize: number, type: string, group?: string): RegisterRow {
  const bytes = bitsize / 8;
  return {
    name,
    bitsize,
    type,
    ...(group !== undefined ? { group } : {}),
    read: (state, base) => new Uint8Array(state.buffer, base + offset, bytes).slice(),
    write: (state, base, value) => new Uint8Array(state.buffer, base + offset, bytes).set(value.subarray(0, bytes)),
  };
}

/** A register row with its gdb register number. */
export interface NumberedRegister {
  readonly regnum: number;
  readonly row: RegisterRow;
}

/** Every register with its number (the previous one's plus one, unless the row says), in description order. */
export function numberRegisters(desc: TargetDescription): NumberedRegister[] {
  let next = 0;
  return desc.features.flatMap((f) =>
    f.registers.map((row) => {
      const regnum = row.regnum ?? next;
      next = regnum + 1;
      return { regnum, row };
    }),
  );
}

/** The same row under gdb's number `regnum`. */
export function numbered(regnum: number, row: RegisterRow): RegisterRow {
  return { ...row, regnum };
}

export function targetXml(desc: TargetDescription): string {
  const lines = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target version="1.0">',
    `<architecture>${desc.architecture}</architecture>`,
  ];
  const numbers = numberRegisters(desc);
  let at = 0;
  for (const feature of desc.features) {
    lines.push(`<feature name="${feature.name}">`);
    if (feature.types) lines.push(feature.types.trim());
    for (const r of feature.registers) {
      const group = r.group ? ` group="${r.group}"` : '';
      lines.push(`<reg name="${r.name}" bitsize="${r.bitsize}" type="${r.type}" regnum="${numbers[at++]!.regnum}"${group}/>`);
    }
    lines.push('</feature>');
  }
  lines.push('</target>');
  return lines.join('\n');
}

/** A register's value as gdb sends and expects it: hex bytes in target order. */
export function registerHex(desc: TargetDescription, row: RegisterRow, state: DataView, base: number): string {
  const bytes = row.read(state, base);
  if (!desc.littleEndian) bytes.reverse();
  return Buffer.from(bytes).toString('hex');
}

/** Stores a register from gdb's hex (target byte order). */
export function setRegisterHex(desc: TargetDescription, row: RegisterRow, state: DataView, base: number, hex: string): void {
  const bytes = new Uint8Array(Buffer.from(hex.slice(0, row.bitsize / 4), 'hex'));
  if (!desc.littleEndian) bytes.reverse();
  row.write(state, base, bytes);
}
