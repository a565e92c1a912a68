/**
 * A64 translation flags: CPU state facts translated code may assume (see Frontend.translationFlags).
 */

/** FPCR.RMode (bits 23:22) is not round-to-nearest: FP arithmetic goes through rounding helpers. */
export const FLAG_DIRECTED_ROUNDING = 1 << 0;
/** FPCR.FZ (bit 24): flush denormals to zero. */
export const FLAG_FLUSH_TO_ZERO = 1 << 1;

export function translationFlagsFromFpcr(fpcr: number): number {
  let flags = 0;
  if ((fpcr >>> 22) & 3) flags |= FLAG_DIRECTED_ROUNDING;
  if ((fpcr >>> 24) & 1) flags |= FLAG_FLUSH_TO_ZERO;
  return flags;
}
