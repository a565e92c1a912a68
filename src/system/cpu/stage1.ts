/**
 * Stage-1 address translation of the EL1&0 regime (ARM ARM D8, VMSAv8-64): the lower range through
 * TTBR0_EL1 and the upper range through TTBR1_EL1 (selected by the VA's top bits, or bit 55 when
 * TCR_EL1.TBIn ignores the top byte), the 4 KiB, 16 KiB and 64 KiB granules with the starting
 * level their TnSZ implies, table, block and page descriptors, the access flag, and the
 * permissions a walk accumulates: AP[2:1] with APTable, UXN/PXN with UXNTable/PXNTable. What those
 * permissions allow at EL0 and EL1 is `permits`. Faults carry their level, as the fault status
 * codes do.
 */

export type Stage1Fault = 'translation' | 'access-flag';

/** The permissions of a successful walk, as the descriptors (and tables above them) gave them. */
export interface Stage1Permissions {
  /** AP[2]: read-only at every level. */
  readOnly: boolean;
  /** AP[1]: EL0 may access (with AP[2] deciding write). */
  user: boolean;
  userExecuteNever: boolean;
  privilegedExecuteNever: boolean;
}

/** A successful walk's `size` is the bytes its last descriptor maps (a page or a block). */
export type Stage1Result =
  | ({ ok: true; pa: bigint; level: number; size: bigint } & Stage1Permissions)
  | { ok: false; fault: Stage1Fault; level: number };

export interface Stage1Regs {
  tcr: bigint;
  ttbr0: bigint;
  ttbr1: bigint;
}

export type Access = 'read' | 'write' | 'exec';

const BIT = (n: number): bigint => 1n << BigInt(n);
const field = (v: bigint, lsb: number, bits: number): number =>
  Number((v >> BigInt(lsb)) & ((1n << BigInt(bits)) - 1n));

/** log2 of the granule TCR_EL1.TG0 (bits 15:14) selects; 4 KiB for reserved values. */
const TG0_GRANULE: Record<number, number> = { 0: 12, 1: 16, 2: 14, 3: 12 };
/** log2 of the granule TCR_EL1.TG1 (bits 31:30) selects. */
const TG1_GRANULE: Record<number, number> = { 0: 12, 1: 14, 2: 12, 3: 16 };
/** Blocks larger than 1 GiB (a 4K level-0, 16K level-1 or 64K level-1 block) need 52-bit addressing. */
const MAX_BLOCK_BITS = 30;
const OUTPUT_MASK = 0x0000ffffffffffffn;

/** Fault status code (ESR ISS.DFSC/IFSC) of a stage-1 outcome. */
export function faultStatusCode(kind: Stage1Fault | 'permission' | 'address-size', level: number): number {
  const base = { 'address-size': 0x00, translation: 0x04, 'access-flag': 0x08, permission: 0x0c }[kind];
  return base + level;
}

/** The range a VA falls in: its table base, granule and size, or undefined (a level-0 translation fault). */
function selectRange(
  regs: Stage1Regs,
  va: bigint,
): { ttbr: bigint; granule: number; vaBits: number } | undefined {
  const tcr = regs.tcr;
  const upper = (va & BIT(55)) !== 0n;
  const tbi = (tcr & BIT(upper ? 38 : 37)) !== 0n;
  const tsz = field(tcr, upper ? 16 : 0, 6);
  const vaBits = 64 - Math.min(Math.max(tsz, 16), 39);
  const disabled = (tcr & BIT(upper ? 23 : 7)) !== 0n;
  // Bits above the range (below the ignored top byte) must all equal bit 55.
  const top = tbi ? 56 : 64;
  const high = (va & (BIT(top) - 1n)) >> BigInt(vaBits);
  const expected = upper ? BIT(top - vaBits) - 1n : 0n;
  if (disabled || high !== expected) return undefined;
  const granule = upper ? TG1_GRANULE[field(tcr, 30, 2)]! : TG0_GRANULE[field(tcr, 14, 2)]!;
  return { ttbr: upper ? regs.ttbr1 : regs.ttbr0, granule, vaBits };
}

/** Walks the tables for `va`; `read64` reads a descriptor from physical memory (undefined: nothing there). */
export function walkStage1(
  regs: Stage1Regs,
  va: bigint,
  read64: (pa: bigint) => bigint | undefined,
): Stage1Result {
  const range = selectRange(regs, va);
  if (!range) return { ok: false, fault: 'translation', level: 0 };
  const { granule, vaBits } = range;
  const stride = granule - 3;
  const startLevel = 4 - Math.ceil((vaBits - granule) / stride);
  let level = startLevel;
  const pageMask = BIT(granule) - 1n;
  // TTBR bit 0 is CnP, not an address bit.
  let table = range.ttbr & OUTPUT_MASK & ~1n;
  const perms: Stage1Permissions = {
    readOnly: false,
    user: true,
    userExecuteNever: false,
    privilegedExecuteNever: false,
  };
  for (;;) {
    const shift = granule + stride * (3 - level);
    // The first table is indexed by the VA bits above the next level's, up to vaBits.
    const indexBits = level === startLevel ? vaBits - shift : stride;
    const index = (va >> BigInt(shift)) & (BIT(indexBits) - 1n);
    const desc = read64(table + index * 8n);
    if (desc === undefined || (desc & 1n) === 0n) return { ok: false, fault: 'translation', level };
    if (level < 3 && (desc & 2n) !== 0n) {
      perms.readOnly ||= (desc & BIT(62)) !== 0n;
      perms.user &&= (desc & BIT(61)) === 0n;
      perms.userExecuteNever ||= (desc & BIT(60)) !== 0n;
      perms.privilegedExecuteNever ||= (desc & BIT(59)) !== 0n;
      table = desc & OUTPUT_MASK & ~pageMask;
      level++;
      continue;
    }
    // A block too large for the granule, or bit 1 clear at level 3, is reserved: a translation fault.
    if ((level < 3 && shift > MAX_BLOCK_BITS) || (level === 3 && (desc & 2n) === 0n)) {
      return { ok: false, fault: 'translation', level };
    }
    if ((desc & BIT(10)) === 0n) return { ok: false, fault: 'access-flag', level };
    const offsetMask = BIT(shift) - 1n;
    return {
      ok: true,
      pa: (desc & OUTPUT_MASK & ~offsetMask) | (va & offsetMask),
      level,
      size: BIT(shift),
      readOnly: perms.readOnly || (desc & BIT(7)) !== 0n,
      user: perms.user && (desc & BIT(6)) !== 0n,
      userExecuteNever: perms.userExecuteNever || (desc & BIT(54)) !== 0n,
      privilegedExecuteNever: perms.privilegedExecuteNever || (desc & BIT(53)) !== 0n,
    };
  }
}

/**
 * Whether a translation's permissions allow `access` at exception level `el` (ARMv8.0, no PAN):
 * EL0 needs AP[1]; writes need AP[2] clear; a region EL0 may write is never executable at EL1,
 * and with SCTLR_EL1.WXN a writable region is not executable at that level.
 */
export function permits(p: Stage1Permissions, access: Access, el: number, wxn: boolean): boolean {
  const readable = el === 0 ? p.user : true;
  const writable = readable && !p.readOnly;
  switch (access) {
    case 'read':
      return readable;
    case 'write':
      return writable;
    case 'exec':
      if (wxn && writable) return false;
      if (el === 0) return !p.userExecuteNever;
      return !p.privilegedExecuteNever && !(p.user && !p.readOnly);
  }
}
