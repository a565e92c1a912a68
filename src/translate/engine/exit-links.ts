/**
 * Links between batch modules, in the way QEMU chains a translation block to the next with a
 * patched jump. An exit to a constant pc that no block of its own module starts at tail-calls
 * through a slot of its module's link table (wasm/lower.ts emitLinkedExit); this keeps each slot
 * pointing at the compiled block its pc runs, or at a function that returns to the dispatcher
 * while there is none. A slot is linked only to a block valid whenever its module's blocks run:
 * one of the same translation flags, or one valid under any (a module of blocks valid under any
 * flags links only to such blocks).
 *
 * Slots follow their targets: a discarded block's slots are linked again to whatever else runs its
 * pc, or unlinked; slots wait by pc for a block compiled later. After a flush of everything the
 * bookkeeping is dropped whole: an instance is linked afresh when its batch is installed again.
 */
import type { ExitLinkTable } from '../wasm/module';

interface Slot<T> {
  table: WebAssembly.Table;
  index: number;
  pc: number;
  /** The translation flags its module's blocks run under. */
  flags: number;
  target: T | undefined;
}

export interface LinkTargets<T> {
  /** The compiled block a module of blocks translated under `flags` may run at `pc`. */
  resolve(pc: number, flags: number): T | undefined;
  /** What runs block `target`. */
  callable(target: T): Function;
  /** A block function that returns to the dispatcher (status 0, the exit has set the pc). */
  unlinked: Function;
}

export class ExitLinks<T> {
  private readonly waiting = new Map<number, Set<Slot<T>>>();
  private readonly linked = new Map<T, Set<Slot<T>>>();
  private readonly slots = new Map<WebAssembly.Table, Slot<T>[]>();

  constructor(private readonly targets: LinkTargets<T>) {}

  /** Links the slots of an instance whose blocks run under `flags` (again, if it was before). */
  attach(links: ExitLinkTable, flags: number): void {
    this.detach(links.table);
    const slots = links.pcs.map((pc, index): Slot<T> => ({ table: links.table, index, pc, flags, target: undefined }));
    this.slots.set(links.table, slots);
    for (const slot of slots) this.link(slot);
  }

  /** Unlinks every slot of an instance and forgets them. */
  detach(table: WebAssembly.Table): void {
    for (const slot of this.slots.get(table) ?? []) {
      this.forget(slot);
      table.set(slot.index, this.targets.unlinked);
    }
    this.slots.delete(table);
  }

  /** A block at `pc` was compiled or installed: the slots waiting for it link to it. */
  arrived(pc: number): void {
    const waiting = this.waiting.get(pc);
    if (!waiting) return;
    for (const slot of [...waiting]) this.link(slot);
  }

  /** Block `target` is no longer run: its slots link to another block of its pc, or wait. */
  discarded(target: T): void {
    const slots = this.linked.get(target);
    if (!slots) return;
    this.linked.delete(target);
    for (const slot of slots) {
      slot.target = undefined;
      this.link(slot);
    }
  }

  /** Block `target` is run by another callable now (a forked child's tier-up). */
  replaced(target: T): void {
    for (const slot of this.linked.get(target) ?? []) slot.table.set(slot.index, this.targets.callable(target));
  }

  /** Every translation was discarded. */
  clear(): void {
    this.waiting.clear();
    this.linked.clear();
    this.slots.clear();
  }

  /** Points `slot` at the block now resolving its pc, or unlinks it and has it wait for one. */
  private link(slot: Slot<T>): void {
    this.forget(slot);
    const target = this.targets.resolve(slot.pc, slot.flags);
    slot.target = target;
    slot.table.set(slot.index, target === undefined ? this.targets.unlinked : this.targets.callable(target));
    if (target === undefined) addTo(this.waiting, slot.pc, slot);
    else addTo(this.linked, target, slot);
  }

  /** Takes `slot` out of the waiting or linked lists it is in. */
  private forget(slot: Slot<T>): void {
    if (slot.target === undefined) removeFrom(this.waiting, slot.pc, slot);
    else removeFrom(this.linked, slot.target, slot);
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
