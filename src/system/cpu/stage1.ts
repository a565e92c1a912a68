/**
 * Stage-1 address translation of EL1&0's lower range (TTBR0_EL1) with the 4 KiB granule
 * (ARM ARM D8: VMSAv8-64): the table walk from TCR_EL1.T0SZ's starting level, table, block and
 * page descriptors, the access flag, AP[2] (read-only, also from APTable[1]) and PXN (also from
 * PXNTable). Faults carry their level, as the fault status codes do.
 */

export type Stage1Fault = 'translation' | 'access-flag';

export type Stage1Result =
  | { ok: true; pa: bigint; level: number; readOnly: boolean; privilegedExecuteNever: boolean }
  | { ok: false; fault: Stage1Fault; level: number };

/** A stage-1 configuration tsemu does not translate yet (16K/64K granules). */
export class Stage1Unsupported extends Error {}

export interface Stage1Regs {
  tcr: bigint;
  ttbr0: bigint;
}

const ADDRESS_MASK = 0x0000fffffffff000n;
const GRANULE_4K = 0n;
const BIT = (n: number): bigint => 1n << BigInt(n);

/** Fault status code (ESR ISS.DFSC/IFSC) of a stage-1 outcome. */
export function faultStatusCode(kind: Stage1Fault | 'permission', level: number): number {
  const base = { translation: 0x04, 'access-flag': 0x08, permission: 0x0c }[kind];
  return base + level;
}

/** Walks the tables for `va`; `read64` reads a descriptor from physical memory (undefined: nothing there). */
export function walkStage1(
  regs: Stage1Regs,
  va: bigint,
  read64: (pa: bigint) => bigint | undefined,
): Stage1Result {
  const t0sz = Number(regs.tcr & 0x3fn);
  if (((regs.tcr >> 14n) & 3n) !== GRANULE_4K)
    throw new Stage1Unsupported('TCR_EL1.TG0 selects a granule other than 4 KiB');
  const vaBits = 64 - Math.min(Math.max(t0sz, 16), 39);
  // The lower range only: addresses above it, and walks disabled by EPD0, fault at level 0.
  if (va >> BigInt(vaBits) !== 0n || regs.tcr & BIT(7)) return { ok: false, fault: 'translation', level: 0 };
  let level = 4 - Math.ceil((vaBits - 12) / 9);
  let table = regs.ttbr0 & 0x0000fffffffffffen & ~0xfffn;
  let readOnly = false;
  let pxn = false;
  for (;;) {
    const shift = BigInt(12 + 9 * (3 - level));
    const index = (va >> shift) & 0x1ffn;
    const desc = read64(table + index * 8n);
    if (desc === undefined || (desc & 1n) === 0n) return { ok: false, fault: 'translation', level };
    const isTable = level < 3 && (desc & 2n) !== 0n;
    if (isTable) {
      readOnly ||= (desc & BIT(62)) !== 0n;
      pxn ||= (desc & BIT(59)) !== 0n;
      table = desc & ADDRESS_MASK;
      level++;
      continue;
    }
    // A block at level 0, or bit 1 clear at level 3, is reserved: a translation fault.
    if (level === 0 || (level === 3 && (desc & 2n) === 0n)) return { ok: false, fault: 'translation', level };
    if ((desc & BIT(10)) === 0n) return { ok: false, fault: 'access-flag', level };
    const offsetMask = (1n << shift) - 1n;
    return {
      ok: true,
      pa: (desc & ADDRESS_MASK & ~offsetMask) | (va & offsetMask),
      level,
      readOnly: readOnly || (desc & BIT(7)) !== 0n,
      privilegedExecuteNever: pxn || (desc & BIT(53)) !== 0n,
    };
  }
}
