/**
 * The slow paths of memory access. The store path is taken by generated code when the page flags of a store's address are not
 * clear: faults for unmapped or read-only pages, code invalidation for pages holding translations.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { PageFlags } from '../../memory/layout';
import type { Endian } from '../ir/ops';
import type { LoadCheck, SlowStore } from '../wasm/module';

/**
 * Builds the slow store function. `onCodeWrite(addr, size)` runs before a store to a page with
 * translated code; a size of 0 asks only for that check (atomics do their own access afterwards).
 */
export function makeSlowStore(
  memory: GuestMemory,
  endian: Endian,
  onCodeWrite: (addr: number, size: number) => void,
): SlowStore {
  const scratch = new DataView(new ArrayBuffer(16));
  return (_state, addr, lo, hi, size) => {
    if (addr >= 1n << 32n) return 1;
    const a = Number(addr);
    if (!memory.accessible(a, Math.max(size, 1), true)) return 1;
    if ((memory.pageFlags(a) | memory.pageFlags(a + Math.max(size, 1) - 1)) & PageFlags.HasCode) {
      onCodeWrite(a, Math.max(size, 1));
    }
    scratch.setBigUint64(0, lo, true);
    scratch.setBigUint64(8, hi, true);
    // The value arrives as a number: store its low `size` bytes in the guest's byte order.
    for (let i = 0; i < size; i++) {
      memory.u8[a + i] = scratch.getUint8(endian === 'big' ? size - 1 - i : i);
    }
    return 0;
  };
}

/** Builds the slow load check: taken when flags deny the first page or the access crosses a page. */
export function makeLoadCheck(memory: GuestMemory): LoadCheck {
  return (_state, addr, size) => (addr < 1n << 32n && memory.accessible(Number(addr), size, false) ? 0 : 1);
}
