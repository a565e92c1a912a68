/**
 * The lookup cache's entry for a pc, computed in generated code as layout.ts `lookupSlot` computes
 * it in JavaScript (the dispatcher's lookup and an indirect branch's, lower.ts).
 */
import { LOOKUP_ENTRIES, LOOKUP_ENTRY_SIZE, LOOKUP_HIGH_SHIFT, LOOKUP_LOW_SHIFT } from '../../memory/layout';
import type { Bytes } from './emitter';

/** Emits code leaving the entry's window address (i32); `pushPc` emits code pushing the pc (i64). */
export function emitLookupSlot(c: Bytes, pushPc: () => void, lookupBase: number): void {
  pushPc();
  c.byte(0xa7).byte(0x41).s32(LOOKUP_LOW_SHIFT).byte(0x76); // i32.wrap_i64, i32.shr_u
  pushPc();
  c.byte(0xa7).byte(0x41).s32(LOOKUP_HIGH_SHIFT).byte(0x76);
  c.byte(0x73); // i32.xor
  c.byte(0x41).s32(LOOKUP_ENTRIES - 1).byte(0x71); // i32.and
  c.byte(0x41).s32(Math.log2(LOOKUP_ENTRY_SIZE)).byte(0x74); // i32.shl
  c.byte(0x41).s32(lookupBase | 0).byte(0x6a); // i32.add
}
