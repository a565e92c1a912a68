/**
 * Write watchpoints by comparison: the watched bytes are snapshotted, and the debugger loop
 * single-steps the guest while any are set, checking after each instruction whether one changed
 * (what gdb itself does for software watchpoints, without a round trip per instruction). A store
 * of the value already there goes unseen, unlike qemu's, which traps every write.
 */
export class WriteWatchpoints {
  private readonly watched = new Map<string, { addr: number; length: number; value: Buffer }>();

  constructor(private readonly read: (addr: number, length: number) => Uint8Array | undefined) {}

  get size(): number {
    return this.watched.size;
  }

  add(addr: number, length: number): boolean {
    const value = this.read(addr, length);
    if (!value) return false;
    this.watched.set(`${addr},${length}`, { addr, length, value: Buffer.from(value) });
    return true;
  }

  remove(addr: number, length: number): void {
    this.watched.delete(`${addr},${length}`);
  }

  clear(): void {
    this.watched.clear();
  }

  /** The address of a watchpoint whose bytes changed since the last check (all snapshots are renewed). */
  changed(): number | undefined {
    let hit: number | undefined;
    for (const w of this.watched.values()) {
      const now = Buffer.from(this.read(w.addr, w.length) ?? w.value);
      if (hit === undefined && !now.equals(w.value)) hit = w.addr;
      w.value = now;
    }
    return hit;
  }
}
