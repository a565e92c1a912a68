/**
 * DWARF call frame information as .eh_frame holds it (the LSB's .eh_frame format, DWARF 4 section
 * 6.4): LEB128 numbers, the few CFA instructions and location expressions a vDSO's signal
 * trampoline needs, and one CIE with its FDEs laid out at a known address. Pointers in FDEs are
 * encoded pc-relative as signed 4-byte values (DW_EH_PE_pcrel | DW_EH_PE_sdata4).
 */

/** DW_EH_PE_pcrel | DW_EH_PE_sdata4: the pointer encoding of FDEs and of .eh_frame_hdr's eh_frame_ptr. */
export const DW_EH_PE_PCREL_SDATA4 = 0x1b;

const DW_CFA_advance_loc = 0x40;
const DW_CFA_def_cfa = 0x0c;
const DW_CFA_def_cfa_expression = 0x0f;
const DW_CFA_expression = 0x10;
const DW_CFA_nop = 0x00;
const DW_OP_deref = 0x06;
const DW_OP_plus_uconst = 0x23;
const DW_OP_breg0 = 0x70;

function uleb128(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb128(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = ((value % 128) + 128) % 128;
    value = Math.floor(value / 128);
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A location expression: DW_OP_breg<reg> offset, then per step a DW_OP_deref or DW_OP_plus_uconst. */
export type ExprStep = { deref: true } | { plus: number };

export function locationExpression(baseReg: number, offset: number, steps: readonly ExprStep[]): number[] {
  const ops = [DW_OP_breg0 + baseReg, ...sleb128(offset)];
  for (const step of steps) {
    if ('deref' in step) ops.push(DW_OP_deref);
    else if (step.plus !== 0) ops.push(DW_OP_plus_uconst, ...uleb128(step.plus));
  }
  return ops;
}

/** CFA instructions. */
export const cfa = {
  defCfa: (reg: number, offset: number): number[] => [DW_CFA_def_cfa, ...uleb128(reg), ...uleb128(offset)],
  defCfaExpression: (expr: readonly number[]): number[] => [
    DW_CFA_def_cfa_expression,
    ...uleb128(expr.length),
    ...expr,
  ],
  /** Register `reg` is saved at the address the expression computes. */
  expression: (reg: number, expr: readonly number[]): number[] => [
    DW_CFA_expression,
    ...uleb128(reg),
    ...uleb128(expr.length),
    ...expr,
  ],
  /** Moves the location by `units` code alignment factors (at most 63). */
  advanceLoc: (units: number): number[] => [DW_CFA_advance_loc | units],
};

export interface Cie {
  /** Augmentation string: "zR", or "zRS" for a signal frame (the unwinder takes its pc as exact). */
  augmentation: string;
  codeAlign: number;
  dataAlign: number;
  returnAddressColumn: number;
  initialInstructions: readonly number[];
}

export interface Fde {
  /** Address of the first instruction covered, and how many bytes are. */
  start: number;
  length: number;
  instructions: readonly number[];
}

/** Pads a CIE or FDE body with DW_CFA_nop so its length word plus body is a multiple of `align`. */
function padded(body: number[], align: number): number[] {
  while ((body.length + 4) % align !== 0) body.push(DW_CFA_nop);
  return body;
}

/**
 * The .eh_frame bytes for one CIE and its FDEs when the section is at `address`, with the
 * terminating zero length; `word` writes 4-byte fields in the target's byte order. Returns the
 * bytes and each FDE's address (for .eh_frame_hdr's search table).
 */
export function buildEhFrame(
  address: number,
  cie: Cie,
  fdes: readonly Fde[],
  pointerAlign: number,
  word: (value: number) => number[],
): { bytes: number[]; fdeAddresses: number[] } {
  const cieBody = padded(
    [
      ...word(0), // CIE id
      1, // version
      ...[...cie.augmentation].map((c) => c.charCodeAt(0)),
      0,
      ...uleb128(cie.codeAlign),
      ...sleb128(cie.dataAlign),
      ...uleb128(cie.returnAddressColumn),
      ...uleb128(1), // augmentation data: the R encoding only
      DW_EH_PE_PCREL_SDATA4,
      ...cie.initialInstructions,
    ],
    pointerAlign,
  );
  const bytes = [...word(cieBody.length), ...cieBody];
  const fdeAddresses: number[] = [];
  for (const fde of fdes) {
    const at = address + bytes.length;
    fdeAddresses.push(at);
    const ciePointer = bytes.length + 4; // from the CIE pointer field back to the CIE
    const pcBeginField = at + 8;
    const body = padded(
      [...word(ciePointer), ...word(fde.start - pcBeginField), ...word(fde.length), ...uleb128(0), ...fde.instructions],
      pointerAlign,
    );
    bytes.push(...word(body.length), ...body);
  }
  bytes.push(...word(0));
  return { bytes, fdeAddresses };
}
