/**
 * Device registers are reached by ordinary loads and stores that fault in translated code (device
 * pages are never mapped in the guest window). This module decodes the faulting instruction, as a
 * hypervisor decodes an MMIO exit: the A64 single-register integer loads and stores (unsigned
 * offset, unscaled, pre/post-indexed and register offset forms, ARM ARM C4.1.66), which is what
 * compilers and Linux's readl/writel emit for device access. Other forms are reported as not
 * decodable and become a data abort.
 */
import { DecodeTable, entries, extractFields, type Fields } from '../../translate/decode/pattern';
import { SP, xreg } from '../../translate/aarch64/state';

export interface MmioAccess {
  address: bigint;
  /** Bytes accessed: 1, 2, 4 or 8. */
  size: number;
  store: boolean;
  /** Loads: sign-extend to this many bits (32 or 64), or 0 to zero-extend. */
  signExtendTo: 0 | 32 | 64;
  /** Transfer register (31 is XZR). */
  rt: number;
  /** Base register update of the pre/post-indexed forms. */
  writeback?: { rn: number; value: bigint };
}

type Regs = { x(n: number): bigint; xsp(n: number): bigint };
type Form = (f: Fields, r: Regs) => { address: bigint; writeback?: bigint } | undefined;

const unsignedOffset: Form = (f, r) => ({ address: r.xsp(f.rn!) + (BigInt(f.imm!) << BigInt(f.size!)) });

const nineBit: Form = (f, r) => {
  const base = r.xsp(f.rn!);
  const moved = base + BigInt(f.imm!);
  if (f.idx === 1) return { address: base, writeback: moved };
  if (f.idx === 3) return { address: moved, writeback: moved };
  return { address: moved };
};

/** Register offset: option selects UXTW (2), LSL/UXTX (3), SXTW (6), SXTX (7). */
const registerOffset: Form = (f, r) => {
  const raw = r.x(f.rm!);
  const option = f.option!;
  if ((option & 2) === 0) return undefined;
  const extended = option === 2 ? raw & 0xffffffffn : option === 6 ? BigInt.asIntN(32, raw) : raw;
  return { address: r.xsp(f.rn!) + (extended << BigInt(f.s ? f.size! : 0)) };
};

const TABLE = new DecodeTable<Form>(
  entries<Form>([
    ['size:2 111 0 01 opc:2 imm:12 rn:5 rt:5', 'LDR/STR (unsigned offset)', unsignedOffset],
    ['size:2 111 0 00 opc:2 0 imm:s9 idx:2 rn:5 rt:5', 'LDR/STR (9-bit offset)', nineBit],
    ['size:2 111 0 00 opc:2 1 rm:5 option:3 s:1 10 rn:5 rt:5', 'LDR/STR (register offset)', registerOffset],
  ]),
  [27, 28, 29],
);

/** Decodes the load or store `insn` with the CPU's registers, or undefined if it is not a supported form. */
export function decodeMmioAccess(insn: number, view: DataView, base: number): MmioAccess | undefined {
  const regs: Regs = {
    x: (n) => (n === 31 ? 0n : view.getBigUint64(base + xreg(n), true)),
    xsp: (n) => view.getBigUint64(base + (n === 31 ? SP : xreg(n)), true),
  };
  for (const entry of TABLE.matches(insn)) {
    const f = extractFields(entry.pattern, insn);
    const size = 1 << f.size!;
    const opc = f.opc!;
    // opc 2 with size 8 is PRFM, opc 3 with size >= 4 is unallocated: neither reaches a device.
    if ((opc === 2 && size === 8) || (opc === 3 && size >= 4)) return undefined;
    const at = entry.handler(f, regs);
    if (!at) return undefined;
    return {
      address: BigInt.asUintN(64, at.address),
      size,
      store: opc === 0,
      signExtendTo: opc === 2 ? 64 : opc === 3 ? 32 : 0,
      rt: f.rt!,
      ...(at.writeback !== undefined && {
        writeback: { rn: f.rn!, value: BigInt.asUintN(64, at.writeback) },
      }),
    };
  }
  return undefined;
}
