/**
 * AArch64 for gdb in system mode, as qemu-system-aarch64 7.2 describes it: the user-mode core and
 * FPU features with cpsr holding all of PSTATE (NZCV, DAIF, the exception level and SPSel), and
 * qemu's org.qemu.gdb.arm.sys.regs feature of system registers, named as qemu names them (so
 * `p $VBAR` works the same under both) and read through the system CPU's own MRS table, so gdb
 * sees what the guest would read. As under qemu, gdb's writes to them are ignored.
 */
import type { CpuRegisters } from '../../system/cpu/registers';
import { findSysReg } from '../../system/cpu/sysregs';
import { sysRegKey } from '../../translate/aarch64/insns/cpu-id';
import { FPCR, FPSR, TPIDR_EL0, TPIDRRO_EL0 } from '../../translate/aarch64/state';
import { slot, type RegisterRow, type TargetDescription } from '../register-table';
import { AARCH64_DESCRIPTION } from './aarch64';

/** A register row read through `get` and written through `set` (writes ignored without it). */
function computed(name: string, bitsize: 32 | 64, get: () => bigint, set?: (value: bigint) => void): RegisterRow {
  return {
    name,
    bitsize,
    type: 'int',
    ...(bitsize === 64 ? { group: 'cp_regs' } : {}),
    read() {
      const out = new Uint8Array(bitsize / 8);
      const view = new DataView(out.buffer);
      if (bitsize === 64) view.setBigUint64(0, get(), true);
      else view.setUint32(0, Number(get() & 0xffffffffn), true);
      return out;
    },
    write(_state, _base, value) {
      const view = new DataView(value.buffer, value.byteOffset, bitsize / 8);
      set?.(bitsize === 64 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true)));
    },
  };
}

/** qemu's name for each system register tsemu models, with its MRS encoding (op0, op1, CRn, CRm, op2). */
const SYSREG_NAMES: readonly (readonly [string, number, number, number, number, number])[] = [
  ['REVIDR_EL1', 3, 0, 0, 0, 6],
  ['ID_AA64DFR0_EL1', 3, 0, 0, 5, 0],
  ['ID_AA64ISAR0_EL1', 3, 0, 0, 6, 0],
  ['ID_AA64MMFR0_EL1', 3, 0, 0, 7, 0],
  ['CLIDR', 3, 1, 0, 0, 1],
  ['CSSELR', 3, 2, 0, 0, 0],
  ['CTR_EL0', 3, 3, 0, 0, 1],
  ['SCTLR', 3, 0, 1, 0, 0],
  ['ACTLR_EL1', 3, 0, 1, 0, 1],
  ['CPACR', 3, 0, 1, 0, 2],
  ['TTBR0_EL1', 3, 0, 2, 0, 0],
  ['TTBR1_EL1', 3, 0, 2, 0, 1],
  ['TCR_EL1', 3, 0, 2, 0, 2],
  ['SPSR_EL1', 3, 0, 4, 0, 0],
  ['ELR_EL1', 3, 0, 4, 0, 1],
  ['SP_EL0', 3, 0, 4, 1, 0],
  ['AFSR0_EL1', 3, 0, 5, 1, 0],
  ['AFSR1_EL1', 3, 0, 5, 1, 1],
  ['ESR_EL1', 3, 0, 5, 2, 0],
  ['FAR_EL1', 3, 0, 6, 0, 0],
  ['PAR_EL1', 3, 0, 7, 4, 0],
  ['MAIR_EL1', 3, 0, 10, 2, 0],
  ['AMAIR0', 3, 0, 10, 3, 0],
  ['VBAR', 3, 0, 12, 0, 0],
  ['CONTEXTIDR_EL1', 3, 0, 13, 0, 1],
  ['TPIDR_EL1', 3, 0, 13, 0, 4],
  ['CNTKCTL', 3, 0, 14, 1, 0],
  ['MDSCR_EL1', 2, 0, 0, 2, 2],
  ['OSDLR_EL1', 2, 0, 1, 3, 4],
  ['CNTFRQ_EL0', 3, 3, 14, 0, 0],
  ['CNTP_CTL_EL0', 3, 3, 14, 2, 1],
  ['CNTP_CVAL_EL0', 3, 3, 14, 2, 2],
  ['CNTV_CTL_EL0', 3, 3, 14, 3, 1],
  ['CNTV_CVAL_EL0', 3, 3, 14, 3, 2],
];

function systemRegisters(cpu: CpuRegisters): RegisterRow[] {
  const rows = SYSREG_NAMES.map(([name, ...encoding]) => {
    const read = findSysReg(cpu, sysRegKey(...encoding))?.read;
    if (!read) throw new Error(`gdb system register ${name}: no MRS encoding ${encoding.join(',')}`);
    return computed(name, 64, () => read(cpu));
  });
  // Registers EL1 cannot name with MRS (SP_EL1), and EL0 state translated code keeps in slots.
  const slot64 = (name: string, offset: number, bitsize: 32 | 64): RegisterRow => ({
    ...slot(name, offset, 64, 'int', 'cp_regs'),
    read: (state, base) => {
      const out = new Uint8Array(8);
      out.set(new Uint8Array(state.buffer, base + offset, bitsize / 8));
      return out;
    },
    write: () => undefined,
  });
  return [
    ...rows,
    computed('SP_EL1', 64, () => cpu.pstate.sp(1)),
    slot64('TPIDR_EL0', TPIDR_EL0, 64),
    slot64('TPIDRRO_EL0', TPIDRRO_EL0, 64),
    slot64('FPCR', FPCR, 32),
    slot64('FPSR', FPSR, 32),
  ];
}

/** The description of one system CPU (its system registers are reached through `cpu`). */
export function aarch64SystemDescription(cpu: CpuRegisters): TargetDescription {
  const [core, fpu] = AARCH64_DESCRIPTION.features;
  const cpsr = computed('cpsr', 32, () => cpu.pstate.toSpsr(), (v) => cpu.pstate.fromSpsr(v));
  return {
    ...AARCH64_DESCRIPTION,
    features: [
      { ...core!, registers: core!.registers.map((r) => (r.name === 'cpsr' ? cpsr : r)) },
      fpu!,
      { name: 'org.qemu.gdb.arm.sys.regs', registers: systemRegisters(cpu) },
    ],
  };
}
