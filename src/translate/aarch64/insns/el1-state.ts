/**
 * The privileged CPU state translated A64 code reads: the current exception level, the two EL1
 * registers Linux reads most (SP_EL0, which holds `current`, and TPIDR_EL1, the per-CPU offset:
 * four of every five trapped system instructions of a boot), so that MRS of them needs no trap,
 * the interrupt masks, which Linux saves, sets and restores around every critical section, the
 * cache type register, which it reads before every cache maintenance loop, and which EL0 accesses
 * EL1's controls allow (CNTVCT_EL0, DC ZVA: user code's, made inline while allowed).
 * They sit just past the user-mode state layout, so user-mode CPUs (whose state blocks start
 * zeroed) always run at EL0, and system mode keeps them. Everything else about EL1 (system
 * registers, exception entry) lives with the system-mode CPU (src/system/cpu/).
 */
import { STATE_SIZE_AARCH64 } from '../state';

/** i32: the exception level (0..3) the CPU runs at, as CurrentEL.EL. */
export const CURRENT_EL = STATE_SIZE_AARCH64;
/** i32: 1 while SP_EL0 is not the stack pointer (above EL0 with SPSel = 1): BANKED_SP_EL0 holds it. */
export const SP_EL0_BANKED = CURRENT_EL + 8;
/** i64: SP_EL0 while it is banked. */
export const BANKED_SP_EL0 = CURRENT_EL + 16;
/** i64: TPIDR_EL1. */
export const TPIDR_EL1 = CURRENT_EL + 24;
/** i64: PSTATE.DAIF, bits 9:6 as MRS DAIF reads them (zero in user mode, which never reads it). */
export const DAIF = CURRENT_EL + 32;
/** i64: CTR_EL0 as the CPU reads it above EL0 (its model's value; zero in user mode, unused there). */
export const CTR_EL0 = CURRENT_EL + 40;
/**
 * i32: the EL0 accesses translated code makes inline (EL0_MAY_*; zero in user mode, which never
 * reads it): the system CPU sets them from SCTLR_EL1 and CNTKCTL_EL1, and an EL0 access whose bit is
 * clear goes to it, which traps it to EL1.
 */
export const EL0_ACCESS = CURRENT_EL + 48;
/** EL0_ACCESS: EL0 may read CNTVCT_EL0 (CNTKCTL_EL1.EL0VCTEN). */
export const EL0_MAY_READ_CNTVCT = 1;
/** EL0_ACCESS: EL0 may run DC ZVA (SCTLR_EL1.DZE). */
export const EL0_MAY_DC_ZVA = 2;
