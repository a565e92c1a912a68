/**
 * The architectural state of one EL1-capable CPU beyond what translated code reads: PSTATE's
 * privileged fields, the EL1 system registers and the generic timer, all in its state block
 * (shared-state.ts).
 */
import { CTR_EL0, TPIDR_EL1 } from '../../translate/aarch64/insns/el1-state';
import { sysRegKey } from '../../translate/aarch64/insns/cpu-id';
import { STATE_PC } from '../../translate/frontend';
import { idRegister, type CpuModel } from './cpu-model';
import { GenericTimer } from './generic-timer';
import { DAIF_ALL, Pstate } from './pstate';
import { EL1_SYSREG_NAMES, el1SysRegs, type El1SysRegs } from './shared-state';
import { syncEl0Access } from './sysregs';

/** SCTLR_EL1's reset value (RES1 bits set, MMU and caches off), as QEMU resets a Cortex-A57. */
export const SCTLR_RESET = 0x00c50838n;
/** NZCV out of reset: Z. */
const NZCV_RESET = 0x40000000;

export class CpuRegisters {
  readonly pstate: Pstate;
  /** The plain EL1 system registers, in the state block (shared-state.ts). */
  readonly sys: El1SysRegs;
  readonly timer: GenericTimer;
  /** Called after a write to a register that changes address translation (SCTLR, TCR). */
  onTranslationChange: () => void = () => undefined;
  /** Called after a write of TTBR0/1_EL1: the ASID in force may have changed, translations stand. */
  onTableBaseChange: () => void = () => undefined;

  constructor(
    readonly view: DataView,
    /** Offset of the CPU's state block in guest memory. */
    readonly base: number,
    readonly model: CpuModel,
    /** The CPU's index on its board (QEMU's cpu-index). */
    readonly index = 0,
  ) {
    this.pstate = new Pstate(view, base);
    this.sys = el1SysRegs(view, base);
    this.timer = new GenericTimer(view, base);
  }

  /**
   * The reset state (the state block itself is cleared by its owner): EL1h, DAIF all masked, and
   * NZCV (UNKNOWN in the architecture) with Z set, as QEMU's CPUs come out of reset.
   */
  reset(): void {
    for (const name of EL1_SYSREG_NAMES) this.sys[name] = 0n;
    this.sys.sctlrEl1 = SCTLR_RESET;
    this.timer.reset();
    this.pstate.clearBankedSp();
    this.view.setBigUint64(this.base + TPIDR_EL1, 0n, true);
    // Translated code reads CTR_EL0 there above EL0.
    this.view.setBigUint64(this.base + CTR_EL0, idRegister(this.model, sysRegKey(3, 3, 0, 0, 1)) ?? 0n, true);
    syncEl0Access(this);
    this.pstate.daif = DAIF_ALL;
    this.pstate.setLevel(1, 1);
    this.pstate.setNzcv(NZCV_RESET);
  }

  get pc(): bigint {
    return this.view.getBigUint64(this.base + STATE_PC, true);
  }

  set pc(value: bigint) {
    this.view.setBigUint64(this.base + STATE_PC, value, true);
  }
}
