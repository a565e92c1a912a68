/**
 * The system CPU's state that translated code does not read, kept in its state block past
 * el1-state.ts's words instead of in JavaScript objects of the thread that runs it: the plain EL1
 * system registers, PSTATE.SPSel with the banked SP_EL1, and the generic timers' CTL and CVAL. So
 * another host thread can read and write them in the shared memory (the monitor's `info
 * registers`, gdb, PSCI CPU_ON resetting another vCPU, the board computing the timers' interrupt
 * lines) once vCPUs run on threads of their own (docs/smp.md). The vCPU's power state and its
 * IRQ/FIQ lines follow them (cpu-signals.ts).
 */
import { STATE_SIZE } from '../../memory/layout';
import { EL0_ACCESS } from '../../translate/aarch64/insns/el1-state';

/** The EL1 system registers that are plain storage (their effects are read where they matter), in state block order. */
export const EL1_SYSREG_NAMES = [
  'sctlrEl1',
  'actlrEl1',
  'cpacrEl1',
  'ttbr0El1',
  'ttbr1El1',
  'tcrEl1',
  'esrEl1',
  'afsr0El1',
  'afsr1El1',
  'farEl1',
  'parEl1',
  'mairEl1',
  'amairEl1',
  'vbarEl1',
  'contextidrEl1',
  'cntkctlEl1',
  'spsrEl1',
  'elrEl1',
  'csselrEl1',
  'mdscrEl1',
] as const;

export type El1SysRegName = (typeof EL1_SYSREG_NAMES)[number];

/** The registers, read and written in place. */
export type El1SysRegs = Record<El1SysRegName, bigint>;

/** i64 each, in EL1_SYSREG_NAMES order. */
const EL1_SYSREGS = EL0_ACCESS + 8;
/** i32: PSTATE.SPSel. */
export const SPSEL = EL1_SYSREGS + 8 * EL1_SYSREG_NAMES.length;
/** i64: SP_EL1 while it is not the stack pointer (SP_EL0's bank is el1-state.ts's BANKED_SP_EL0). */
export const BANKED_SP_EL1 = SPSEL + 8;
/** The timer channels, physical then virtual: CTL (i32: ENABLE, IMASK) at +0, CVAL (i64) at +8. */
export const TIMER_CHANNELS = BANKED_SP_EL1 + 8;
export const TIMER_CHANNEL_SIZE = 16;
/** i32: the vCPU's power state (cpu-signals.ts). */
export const POWER_STATE = TIMER_CHANNELS + 2 * TIMER_CHANNEL_SIZE;
/** i32: the interrupt controller's signals to the CPU (cpu-signals.ts). */
export const INTERRUPT_LINES = POWER_STATE + 4;
if (INTERRUPT_LINES + 4 > STATE_SIZE)
  throw new Error('the system CPU state does not fit its block');

/** The plain EL1 system registers of the CPU whose state block is at `base`. */
export function el1SysRegs(view: DataView, base: number): El1SysRegs {
  const regs: Partial<El1SysRegs> = {};
  EL1_SYSREG_NAMES.forEach((name, i) => {
    const at = base + EL1_SYSREGS + 8 * i;
    Object.defineProperty(regs, name, {
      enumerable: true,
      get: () => view.getBigUint64(at, true),
      set: (value: bigint) => view.setBigUint64(at, value, true),
    });
  });
  return regs as El1SysRegs;
}
