/**
 * Guest memory as the interpreter sees it in user mode: guest addresses are window addresses, and
 * every access is checked against the flags of every page it touches (layout.ts). A store to a page
 * holding translated code is allowed but reports itself through `onCodeWrite(addr, size)` first, so
 * the engine can invalidate.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { DENY_READ, PageFlags } from '../../memory/layout';
import type { Endian, MemAccess, ValType } from '../ir/ops';
import { WindowAccess, type GuestValue } from './window-access';

export type CodeWriteHook = (addr: number, size: number) => void;

const WINDOW = 2 ** 32;
/** The address bits below an AArch64 tag (the top byte). */
const TAG_SHIFT = 56;

/** The address without an AArch64 tag in its top byte, if it has one that alone puts it outside the window. */
export function untaggedAddress(addr: bigint): bigint | undefined {
  const untagged = BigInt.asUintN(TAG_SHIFT, addr);
  return untagged !== addr && untagged < BigInt(WINDOW) ? untagged : undefined;
}
const DENY_STORE = PageFlags.Unmapped | PageFlags.NoWrite;

export class GuestAccess extends WindowAccess {
  /** `topByteIgnored`: an address's top byte is a tag, dropped before the access (EngineOptions). */
  constructor(
    memory: GuestMemory,
    endian: Endian,
    private readonly onCodeWrite: CodeWriteHook,
    private readonly topByteIgnored = false,
  ) {
    super(memory, endian);
  }

  load(type: ValType, address: bigint, mem: MemAccess): GuestValue | undefined {
    const a = this.windowAddress(address, mem.size);
    return a >= 0 && !(this.flags(a, mem.size) & DENY_READ) ? this.loadAt(type, a, mem) : undefined;
  }

  store(type: ValType, address: bigint, size: MemAccess['size'], value: GuestValue): boolean {
    const a = this.writable(address, size, false);
    if (a === undefined) return false;
    this.storeAt(type, a, size, value);
    return true;
  }

  atomicAddress(address: bigint, size: number): number | undefined {
    return this.writable(address, size, true);
  }

  /** windowAddress of the address, or of the address without its top byte when that is a tag. */
  private windowAddress(addr: bigint, size: number): number {
    const a = windowAddress(addr, size);
    const untagged = a < 0 && this.topByteIgnored ? untaggedAddress(addr) : undefined;
    return untagged === undefined ? a : windowAddress(untagged, size);
  }

  /** Flags of the first and last page of [a, a + size), or'ed. */
  private flags(a: number, size: number): number {
    return this.memory.pageFlags(a) | this.memory.pageFlags(a + size - 1);
  }

  /**
   * The address as a number if `size` bytes at `addr` may be written (and read, with `alsoRead`),
   * else undefined. Reports a write to translated code before returning.
   */
  private writable(addr: bigint, size: number, alsoRead: boolean): number | undefined {
    const a = this.windowAddress(addr, size);
    if (a < 0) return undefined;
    const flags = this.flags(a, size);
    if (flags & (alsoRead ? DENY_STORE | DENY_READ : DENY_STORE)) return undefined;
    if (flags & PageFlags.HasCode) this.onCodeWrite(a, size);
    return a;
  }
}

/**
 * `addr` as a number when [addr, addr + size) lies in the window, else -1. Made without a bigint
 * (an interpreted start makes one access per load or store): a 64-bit address past 2 ** 53 becomes
 * an inexact number, but one far past the window all the same.
 */
function windowAddress(addr: bigint, size: number): number {
  const a = Number(addr);
  return a >= 0 && a + size <= WINDOW ? a : -1;
}
