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

const WINDOW = 1n << 32n;
const DENY_STORE = PageFlags.Unmapped | PageFlags.NoWrite;

export class GuestAccess extends WindowAccess {
  constructor(
    memory: GuestMemory,
    endian: Endian,
    private readonly onCodeWrite: CodeWriteHook,
  ) {
    super(memory, endian);
  }

  load(type: ValType, address: bigint, mem: MemAccess): GuestValue | undefined {
    const at = this.flags(address, mem.size);
    return at && !(at.flags & DENY_READ) ? this.loadAt(type, at.a, mem) : undefined;
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

  /** Flags of the first and last page of [addr, addr + size), or'ed; undefined when outside the window. */
  private flags(addr: bigint, size: number): { a: number; flags: number } | undefined {
    if (addr + BigInt(size) > WINDOW) return undefined;
    const a = Number(addr);
    return { a, flags: this.memory.pageFlags(a) | this.memory.pageFlags(a + size - 1) };
  }

  /**
   * The address as a number if `size` bytes at `addr` may be written (and read, with `alsoRead`),
   * else undefined. Reports a write to translated code before returning.
   */
  private writable(addr: bigint, size: number, alsoRead: boolean): number | undefined {
    const at = this.flags(addr, size);
    if (!at || at.flags & (alsoRead ? DENY_STORE | DENY_READ : DENY_STORE)) return undefined;
    if (at.flags & PageFlags.HasCode) this.onCodeWrite(at.a, size);
    return at.a;
  }
}
