/**
 * Data watchpoints (gdb's Z2 write, Z3 read, Z4 access) by page protection. While the guest runs,
 * each page holding watched bytes denies the watched kind of access in the page flag table that
 * generated code and the interpreter consult (bits the guest's own protections lack are added, and
 * removed again when the guest stops), so such an access traps before it happens. The debugger loop
 * then runs that one instruction with the guest's own protections and asks `hit` whether it touched
 * a watchpoint, which is reported after the access, as qemu reports its watchpoints.
 *
 * The trap does not say whether the access was a load or a store, so the watched bytes tell:
 * changed means written, unchanged means read. A store of the value already there thus counts as
 * a read (gdb drops it for `watch` anyway, as it drops unchanged values of hardware watchpoints).
 */
import type { GuestMemory } from '../memory/guest-memory';
import { PAGE_SHIFT, PageFlags } from '../memory/layout';
import type { WatchKind } from './debug-target';

interface Watch {
  kind: WatchKind;
  addr: number;
  length: number;
}

/** The widest guest access (a 16-byte vector or pair): how far below a watchpoint an access may start. */
const MAX_ACCESS = 16;

const DENY: Readonly<Record<WatchKind, number>> = {
  write: PageFlags.NoWrite,
  read: PageFlags.NoRead,
  access: PageFlags.NoRead | PageFlags.NoWrite,
};

const pageOf = (addr: number): number => Math.floor(addr / 2 ** PAGE_SHIFT);

export class Watchpoints {
  private readonly watches: Watch[] = [];
  /** Pages armed, with the bits added to each. */
  private armed: [page: number, bits: number][] = [];

  constructor(private readonly memory: GuestMemory) {}

  get size(): number {
    return this.watches.length;
  }

  /** False for bytes outside the guest's window. */
  add(kind: WatchKind, addr: number, length: number): boolean {
    if (!(length > 0) || addr < 0 || addr + length > 2 ** 32) return false;
    this.watches.push({ kind, addr, length });
    return true;
  }

  remove(kind: WatchKind, addr: number, length: number): void {
    const at = this.watches.findIndex((w) => w.kind === kind && w.addr === addr && w.length === length);
    if (at >= 0) this.watches.splice(at, 1);
  }

  clear(): void {
    this.watches.length = 0;
  }

  /** Makes the watched pages deny the watched accesses (before the guest runs). */
  arm(): void {
    const deny = new Map<number, number>();
    for (const w of this.watches) {
      for (let page = pageOf(w.addr); page <= pageOf(w.addr + w.length - 1); page++) {
        deny.set(page, (deny.get(page) ?? 0) | DENY[w.kind]);
      }
    }
    for (const [page, bits] of deny) {
      const added = bits & ~this.memory.pageFlags(page * 2 ** PAGE_SHIFT);
      if (added === 0) continue;
      this.memory.updatePageBits(page, added, true);
      this.armed.push([page, added]);
    }
  }

  /** Gives the pages back their own protections (whenever the guest stops: syscalls may change them). */
  disarm(): void {
    for (const [page, bits] of this.armed) this.memory.updatePageBits(page, bits, false);
    this.armed = [];
  }

  /** Whether a fault at `addr` may have been caused by a watchpoint's protection. */
  covers(addr: number): boolean {
    const page = pageOf(addr);
    return this.watches.some((w) => page >= pageOf(w.addr) && page <= pageOf(w.addr + w.length - 1));
  }

  /** The watched bytes an access starting at `addr` may touch, as they are now (before the access). */
  snapshot(addr: number): Map<Watch, Buffer> {
    const near = this.watches.filter((w) => addr > w.addr - MAX_ACCESS && addr < w.addr + w.length);
    return new Map(near.map((w) => [w, Buffer.from(this.memory.readBytes(w.addr, w.length))]));
  }

  /** The watchpoint the access at `addr` fired (`before`: the snapshot), and the address to report. */
  hit(addr: number, before: Map<Watch, Buffer>): { kind: WatchKind; addr: number } | undefined {
    for (const [w, old] of before) {
      const written = !old.equals(Buffer.from(this.memory.readBytes(w.addr, w.length)));
      const fired = w.kind === 'access' || (w.kind === 'write') === written;
      if (fired) return { kind: w.kind, addr: Math.max(addr, w.addr) };
    }
    return undefined;
  }
}
