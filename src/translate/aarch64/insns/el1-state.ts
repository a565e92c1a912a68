/**
 * The one piece of privileged CPU state translated A64 code reads: the current exception level.
 * It sits just past the user-mode state layout, so user-mode CPUs (whose state blocks start zeroed)
 * always run at EL0, and system mode sets it on exception entry and return. Everything else about
 * EL1 (system registers, exception entry) lives with the system-mode CPU (src/system/cpu/).
 */
import { STATE_SIZE_AARCH64 } from '../state';

/** i32: the exception level (0..3) the CPU runs at, as CurrentEL.EL. */
export const CURRENT_EL = STATE_SIZE_AARCH64;
