/**
 * The system registers an EL1 guest reaches with MRS/MSR (ARM ARM D17), by encoding. Registers
 * that are EL0 state (NZCV, FPCR, TPIDR_EL0, ...) are handled inline by translated code and never
 * get here; the ones here are read and written by the system CPU when the instruction traps.
 * An access to a register not listed is UNDEFINED.
 */
import { sysRegKey } from '../../translate/aarch64/insns/cpu-id';
import { COUNTER_HZ, counterNow } from '../../translate/aarch64/insns/cpu-id';
import {
  EL0_ACCESS,
  EL0_MAY_DC_ZVA,
  EL0_MAY_READ_CNTVCT,
  TPIDR_EL1,
} from '../../translate/aarch64/insns/el1-state';
import { TPIDRRO_EL0 } from '../../translate/aarch64/state';
import { hasIdSpaceTraps, idRegister } from './cpu-model';
import { DAIF_ALL } from './pstate';
import type { CpuRegisters } from './registers';
import type { El1SysRegName } from './shared-state';

export interface SysRegDef {
  name: string;
  /** Absent: reads are UNDEFINED (write-only registers). */
  read?: (cpu: CpuRegisters) => bigint;
  /** Absent: writes are UNDEFINED. */
  write?: (cpu: CpuRegisters, value: bigint) => void;
  /**
   * Whether EL0 may access it now (false: the access traps to EL1 with EC 0x18, as SCTLR_EL1's or
   * CNTKCTL_EL1's controls say). Absent: it is UNDEFINED at EL0.
   */
  el0?: (cpu: CpuRegisters) => boolean;
}

/** SCTLR_EL1.UMA: EL0 may access PSTATE.DAIF. */
const SCTLR_UMA = 1n << 9n;
/** SCTLR_EL1.UCT: EL0 may read CTR_EL0. */
const SCTLR_UCT = 1n << 15n;
/** SCTLR_EL1.DZE: EL0 may run DC ZVA. */
const SCTLR_DZE = 1n << 14n;
/** DCZID_EL0.DZP: DC ZVA is prohibited at the current level. */
const DCZID_DZP = 1n << 4n;
/** CNTKCTL_EL1.EL0PCTEN: EL0 may read CNTPCT_EL0 (and CNTFRQ_EL0). */
const CNTKCTL_EL0PCTEN = 1n << 0n;
/** CNTKCTL_EL1.EL0VCTEN: EL0 may read CNTVCT_EL0 (and CNTFRQ_EL0). */
const CNTKCTL_EL0VCTEN = 1n << 1n;
/** CNTKCTL_EL1.EL0VTEN: EL0 may access the CNTV_* registers. */
const CNTKCTL_EL0VTEN = 1n << 8n;
/** CNTKCTL_EL1.EL0PTEN: EL0 may access the CNTP_* registers. */
const CNTKCTL_EL0PTEN = 1n << 9n;

const sctlrAllows =
  (bit: bigint) =>
  (cpu: CpuRegisters): boolean =>
    (cpu.sys.sctlrEl1 & bit) !== 0n;

const cntkctlAllows =
  (bits: bigint) =>
  (cpu: CpuRegisters): boolean =>
    (cpu.sys.cntkctlEl1 & bits) !== 0n;

/**
 * Sets the state block's EL0_ACCESS from SCTLR_EL1 and CNTKCTL_EL1: the EL0 accesses translated
 * code then makes inline (CNTVCT_EL0, DC ZVA) rather than sending them here to be trapped.
 */
export function syncEl0Access(cpu: CpuRegisters): void {
  const access =
    (sctlrAllows(SCTLR_DZE)(cpu) ? EL0_MAY_DC_ZVA : 0) |
    (cntkctlAllows(CNTKCTL_EL0VCTEN)(cpu) ? EL0_MAY_READ_CNTVCT : 0);
  cpu.view.setUint32(cpu.base + EL0_ACCESS, access, true);
}

/** A register whose writes change what EL0 may do inline (syncEl0Access). */
const el0Control = (def: SysRegDef): SysRegDef => ({
  ...def,
  write: (cpu, v) => {
    def.write!(cpu, v);
    syncEl0Access(cpu);
  },
});

/** A register of the generic timer, which EL0 may access while CNTKCTL_EL1's `bits` say so. */
const timerReg = (def: SysRegDef, bits: bigint): SysRegDef => ({ ...def, el0: cntkctlAllows(bits) });

/**
 * A timer's TVAL, CTL and CVAL (`prefix`_*_EL0 at CRm = `crm`, op2 0, 1, 2), which EL0 may access
 * while CNTKCTL_EL1's `bits` say so.
 */
const timerChannel = (
  prefix: string,
  crm: number,
  timer: 'physical' | 'virtual',
  bits: bigint,
): readonly (readonly [number, SysRegDef])[] =>
  (
    [
      {
        name: `${prefix}_TVAL_EL0`,
        read: (c) => c.timer[timer].readTval(),
        write: (c, v) => c.timer[timer].writeTval(v),
      },
      {
        name: `${prefix}_CTL_EL0`,
        read: (c) => c.timer[timer].readCtl(),
        write: (c, v) => c.timer[timer].writeCtl(v),
      },
      {
        name: `${prefix}_CVAL_EL0`,
        read: (c) => c.timer[timer].cval,
        write: (c, v) => {
          c.timer[timer].cval = v;
        },
      },
    ] satisfies SysRegDef[]
  ).map((def, op2) => [sysRegKey(3, 3, 14, crm, op2), timerReg(def, bits)] as const);

const DCZID_EL0 = sysRegKey(3, 3, 0, 0, 7);

/** An identification register of the CPU's model outside the ID space, with its EL0 rule. */
const modelId = (
  name: string,
  key: number,
  el0: (cpu: CpuRegisters) => boolean,
): readonly [number, SysRegDef] => [key, { name, read: (cpu) => idRegister(cpu.model, key) ?? 0n, el0 }];

/** A register kept in the CPU's state block at `offset`, where translated code reads it. */
const inState = (name: string, offset: number): SysRegDef => ({
  name,
  read: (cpu) => cpu.view.getBigUint64(cpu.base + offset, true),
  write: (cpu, v) => cpu.view.setBigUint64(cpu.base + offset, v, true),
});

const plain = (name: string, field: El1SysRegName): SysRegDef => ({
  name,
  read: (cpu) => cpu.sys[field],
  write: (cpu, v) => {
    cpu.sys[field] = v;
  },
});

/** Plain storage whose writes change address translation. */
const translation = (name: string, field: El1SysRegName): SysRegDef => ({
  name,
  read: (cpu) => cpu.sys[field],
  write: (cpu, v) => {
    cpu.sys[field] = v;
    cpu.onTranslationChange();
  },
});

/**
 * A translation table base register: the ASID it may carry is what TLB entries are tagged with,
 * so a write changes which cached translations apply, but invalidates none (ARM ARM D8.13).
 */
const tableBase = (name: string, field: El1SysRegName): SysRegDef => ({
  name,
  read: (cpu) => cpu.sys[field],
  write: (cpu, v) => {
    cpu.sys[field] = v;
    cpu.onTableBaseChange();
  },
});

/** A register that reads as zero and ignores writes (debug and OS lock registers Linux pokes). */
const ignored = (name: string): SysRegDef => ({ name, read: () => 0n, write: () => undefined });

/**
 * The hardware breakpoint and watchpoint registers (DBGBVRn/DBGBCRn/DBGWVRn/DBGWCRn_EL1, op2 4..7
 * at CRm = n): Linux clears them all at start-up; debug exceptions are not modelled, so they keep
 * nothing.
 */
const DEBUG_POINT_REGS = Array.from({ length: 16 }, (_, n) =>
  (['DBGBVR', 'DBGBCR', 'DBGWVR', 'DBGWCR'] as const).map(
    (name, i) => [sysRegKey(2, 0, 0, n, 4 + i), ignored(`${name}${n}_EL1`)] as const,
  ),
).flat();

const TABLE: readonly (readonly [number, SysRegDef])[] = [
  ...DEBUG_POINT_REGS,
  [sysRegKey(3, 0, 1, 0, 0), el0Control(translation('SCTLR_EL1', 'sctlrEl1'))],
  [sysRegKey(3, 0, 1, 0, 1), plain('ACTLR_EL1', 'actlrEl1')],
  [sysRegKey(3, 0, 1, 0, 2), plain('CPACR_EL1', 'cpacrEl1')],
  [sysRegKey(3, 0, 2, 0, 0), tableBase('TTBR0_EL1', 'ttbr0El1')],
  [sysRegKey(3, 0, 2, 0, 1), tableBase('TTBR1_EL1', 'ttbr1El1')],
  [sysRegKey(3, 0, 2, 0, 2), translation('TCR_EL1', 'tcrEl1')],
  [sysRegKey(3, 0, 4, 0, 0), plain('SPSR_EL1', 'spsrEl1')],
  [sysRegKey(3, 0, 4, 0, 1), plain('ELR_EL1', 'elrEl1')],
  [
    sysRegKey(3, 0, 4, 1, 0),
    { name: 'SP_EL0', read: (cpu) => cpu.pstate.sp(0), write: (cpu, v) => cpu.pstate.setSp(0, v) },
  ],
  [
    sysRegKey(3, 0, 4, 2, 0),
    {
      name: 'SPSel',
      read: (cpu) => BigInt(cpu.pstate.spSel),
      write: (cpu, v) => cpu.pstate.setLevel(cpu.pstate.el, Number(v & 1n)),
    },
  ],
  [sysRegKey(3, 0, 4, 2, 2), { name: 'CurrentEL', read: (cpu) => BigInt(cpu.pstate.el << 2) }],
  [
    sysRegKey(3, 3, 4, 2, 1),
    {
      name: 'DAIF',
      read: (cpu) => BigInt(cpu.pstate.daif),
      write: (cpu, v) => {
        cpu.pstate.daif = Number(v) & DAIF_ALL;
      },
      el0: sctlrAllows(SCTLR_UMA),
    },
  ],
  [sysRegKey(3, 0, 5, 1, 0), plain('AFSR0_EL1', 'afsr0El1')],
  [sysRegKey(3, 0, 5, 1, 1), plain('AFSR1_EL1', 'afsr1El1')],
  [sysRegKey(3, 0, 5, 2, 0), plain('ESR_EL1', 'esrEl1')],
  [sysRegKey(3, 0, 6, 0, 0), plain('FAR_EL1', 'farEl1')],
  [sysRegKey(3, 0, 7, 4, 0), plain('PAR_EL1', 'parEl1')],
  [sysRegKey(3, 0, 10, 2, 0), plain('MAIR_EL1', 'mairEl1')],
  [sysRegKey(3, 0, 10, 3, 0), plain('AMAIR_EL1', 'amairEl1')],
  [sysRegKey(3, 0, 12, 0, 0), plain('VBAR_EL1', 'vbarEl1')],
  [sysRegKey(3, 0, 13, 0, 1), plain('CONTEXTIDR_EL1', 'contextidrEl1')],
  // EL1 reads it in translated code (el1-state.ts); writes trap.
  [sysRegKey(3, 0, 13, 0, 4), inState('TPIDR_EL1', TPIDR_EL1)],
  // EL0 reads it in translated code; only EL1 may write it (Linux does at each context switch).
  [sysRegKey(3, 3, 13, 0, 3), inState('TPIDRRO_EL0', TPIDRRO_EL0)],
  [sysRegKey(3, 0, 14, 1, 0), el0Control(plain('CNTKCTL_EL1', 'cntkctlEl1'))],
  [sysRegKey(3, 2, 0, 0, 0), plain('CSSELR_EL1', 'csselrEl1')],
  [sysRegKey(2, 0, 0, 2, 2), plain('MDSCR_EL1', 'mdscrEl1')],
  [sysRegKey(2, 0, 1, 0, 4), ignored('OSLAR_EL1')],
  [sysRegKey(2, 0, 1, 3, 4), ignored('OSDLR_EL1')],
  modelId('CTR_EL0', sysRegKey(3, 3, 0, 0, 1), sctlrAllows(SCTLR_UCT)),
  [
    DCZID_EL0,
    {
      name: 'DCZID_EL0',
      read: (cpu) =>
        (idRegister(cpu.model, DCZID_EL0) ?? 0n) |
        (cpu.pstate.el === 0 && !sctlrAllows(SCTLR_DZE)(cpu) ? DCZID_DZP : 0n),
      el0: () => true,
    },
  ],
  [
    sysRegKey(3, 3, 14, 0, 0),
    {
      name: 'CNTFRQ_EL0',
      read: () => BigInt(COUNTER_HZ),
      el0: cntkctlAllows(CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN),
    },
  ],
  [sysRegKey(3, 3, 14, 0, 1), timerReg({ name: 'CNTPCT_EL0', read: () => counterNow() }, CNTKCTL_EL0PCTEN)],
  [sysRegKey(3, 3, 14, 0, 2), timerReg({ name: 'CNTVCT_EL0', read: () => counterNow() }, CNTKCTL_EL0VCTEN)],
  ...timerChannel('CNTP', 2, 'physical', CNTKCTL_EL0PTEN),
  ...timerChannel('CNTV', 3, 'virtual', CNTKCTL_EL0VTEN),
];

const SYSREGS: ReadonlyMap<number, SysRegDef> = new Map(TABLE);

/** Registers a device of the board adds to a CPU, by encoding (the GICv3 CPU interface's ICC_*_EL1). */
const DEVICE_SYSREGS = new WeakMap<CpuRegisters, ReadonlyMap<number, SysRegDef>>();

/** Adds a device's system registers to `cpu` (as QEMU's devices define coprocessor registers on a CPU). */
export function defineDeviceSysRegs(cpu: CpuRegisters, registers: ReadonlyMap<number, SysRegDef>): void {
  DEVICE_SYSREGS.set(cpu, new Map([...deviceSysRegs(cpu), ...registers]));
}

/** The device registers defined for this CPU. */
export function deviceSysRegs(cpu: CpuRegisters): ReadonlyMap<number, SysRegDef> {
  return DEVICE_SYSREGS.get(cpu) ?? new Map();
}

/**
 * The register at encoding `key` for this CPU, ID registers included; undefined if UNDEFINED. At EL0
 * the ID registers are UNDEFINED, or trapped with EC 0x18 where the model has FEAT_IDST.
 */
export function findSysReg(cpu: CpuRegisters, key: number): SysRegDef | undefined {
  const known = SYSREGS.get(key) ?? DEVICE_SYSREGS.get(cpu)?.get(key);
  if (known) return known;
  const id = idRegister(cpu.model, key);
  if (id === undefined) return undefined;
  return { name: 'ID register', read: () => id, ...(hasIdSpaceTraps(cpu.model) && { el0: () => false }) };
}
