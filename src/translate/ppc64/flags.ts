/**
 * PowerPC translation flags: CPU state facts translated code may assume (see
 * Frontend.translationFlags).
 */

/**
 * FP arithmetic goes through the exact helpers (fpscr.ts) instead of native wasm operations:
 * FPSCR.RN is not round-to-nearest, non-IEEE mode is on, or an exception is enabled.
 */
export const FLAG_FP_EXACT = 1 << 0;

/**
 * The guest has written FPSCR, but FPSCR asks for nothing wasm does not give (round to nearest,
 * IEEE mode, no exception enabled): arithmetic runs natively and calls the exact helper, for its
 * FPSCR update only, when the result could raise a flag not already raised (XX clear, or a
 * result that is not a finite normal number). FI and FPRF may then lag behind.
 */
export const FLAG_FP_TRACK = 1 << 1;

/**
 * Translation flags that keep FPSCR's exception bits: float-to-integer conversions then always use
 * the exact helper, integer-to-float ones under FLAG_FP_TRACK only when the integer may round.
 */
export const FP_FLAGS_KEPT = FLAG_FP_EXACT | FLAG_FP_TRACK;

/** FPSCR's RN, NI and exception enable bits (VE, OE, UE, ZE, XE). */
const FPSCR_CONTROL = 0xff;

export function translationFlagsOf(fpscr: number, fpExact: number): number {
  if (fpscr & FPSCR_CONTROL) return FLAG_FP_EXACT;
  return fpExact ? FLAG_FP_TRACK : 0;
}
