/**
 * PowerPC translation flags: CPU state facts translated code may assume (see
 * Frontend.translationFlags).
 */

/**
 * FP arithmetic goes through the exact helpers (fpscr.ts) instead of native wasm operations:
 * FPSCR.RN is not round-to-nearest, or the guest has read or written FPSCR (so its exception
 * bits must be kept; programs that never look at FPSCR keep the fast native path).
 */
export const FLAG_FP_EXACT = 1 << 0;

export function translationFlagsOf(fpscr: number, fpExact: number): number {
  return fpscr & 3 || fpExact ? FLAG_FP_EXACT : 0;
}
