/**
 * `info registers` for an AArch64 CPU, in QEMU's layout: PC and X0..X30 three to a line, SP,
 * PSTATE with its flags and exception level, FPCR/FPSR, and the 32 SIMD registers as Qn pairs of
 * 64-bit halves; when CPACR_EL1.FPEN traps FP/SIMD at the CPU's level, "FPU disabled" instead.
 */
import { FPCR, FPSR, SP, vreg, xreg } from '../../translate/aarch64/state';
import type { CpuRegisters } from './registers';

const hex = (v: bigint | number, width: number): string => v.toString(16).padStart(width, '0');

/** CPACR_EL1.FPEN (bits 21:20): 0b11 enables FP/SIMD at EL0 and EL1, 0b01 at EL1 only. */
function fpDisabled(cpu: CpuRegisters): boolean {
  const fpen = Number((cpu.sys.cpacrEl1 >> 20n) & 3n);
  return !(fpen === 3 || (fpen === 1 && cpu.pstate.el === 1));
}

export function formatRegisters(cpu: CpuRegisters, index: number): string {
  const view = cpu.view;
  const u64 = (offset: number): bigint => view.getBigUint64(cpu.base + offset, true);
  let out = `\nCPU#${index}\n PC=${hex(cpu.pc, 16)} `;
  for (let i = 0; i < 31; i++)
    out += `X${String(i).padStart(2, '0')}=${hex(u64(xreg(i)), 16)}${(i + 2) % 3 ? ' ' : '\n'}`;
  out += ` SP=${hex(u64(SP), 16)}\n`;
  const p = cpu.pstate;
  const psr = Number(p.toSpsr());
  const flag = (bit: number, c: string): string => (psr & (1 << bit) ? c : '-');
  out += `PSTATE=${hex(psr, 8)} ${flag(31, 'N')}${flag(30, 'Z')}${flag(29, 'C')}${flag(28, 'V')} EL${p.el}${p.spSel ? 'h' : 't'}`;
  if (fpDisabled(cpu)) return `${out}    FPU disabled\n`;
  out += `     FPCR=${hex(view.getUint32(cpu.base + FPCR, true), 8)} FPSR=${hex(view.getUint32(cpu.base + FPSR, true), 8)}\n`;
  for (let i = 0; i < 32; i++) {
    out += `Q${String(i).padStart(2, '0')}=${hex(u64(vreg(i) + 8), 16)}:${hex(u64(vreg(i)), 16)}${i & 1 ? '\n' : ' '}`;
  }
  return out;
}
