/**
 * A split virtqueue (virtio 1.2 spec, 2.7) in guest RAM: the descriptor table, the available ring
 * the driver fills and the used ring the device fills. Chains may go through an indirect table.
 * With VIRTIO_F_EVENT_IDX the device publishes how far it has read (avail_event) and interrupts
 * only when the driver's used_event is crossed; without it, the driver's NO_INTERRUPT flag rules.
 * Malformed rings raise VirtioError with QEMU's wording.
 */
import { VirtqElement, type Segment } from './element';
import type { GuestRam } from './guest-ram';
import { VirtioError } from './device';

const DESC_SIZE = 16;
const DESC_F_NEXT = 1;
const DESC_F_WRITE = 2;
const DESC_F_INDIRECT = 4;
const AVAIL_F_NO_INTERRUPT = 1;
const LEGACY_ALIGN = 4096;

export class Virtqueue {
  /** Entries in each ring (QueueNum); a power of two up to the transport's maximum. */
  size: number;
  /** Legacy transport: the used ring's alignment (QueueAlign). */
  legacyAlign = LEGACY_ALIGN;
  ready = false;
  descAddr = 0n;
  availAddr = 0n;
  usedAddr = 0n;
  /** Negotiated ring features, set by the transport when the driver accepts them. */
  eventIdx = false;
  notifyOnEmpty = false;
  private lastAvail = 0;
  private usedIdx = 0;
  private signalledUsed = 0;
  private signalledUsedValid = false;
  /** Whether requests were used since the last finishBatch. */
  private used = false;

  constructor(
    readonly index: number,
    private readonly ram: GuestRam,
    /** QueueNum until the driver sets it. */
    private readonly defaultSize: number,
  ) {
    this.size = defaultSize;
  }

  reset(): void {
    this.size = this.defaultSize;
    this.legacyAlign = LEGACY_ALIGN;
    this.ready = false;
    this.descAddr = this.availAddr = this.usedAddr = 0n;
    this.lastAvail = this.usedIdx = this.signalledUsed = 0;
    this.signalledUsedValid = this.used = false;
  }

  private view(pa: bigint, length: number): DataView {
    const bytes = this.ram.bytes(pa, length);
    if (!bytes) throw new VirtioError('virtio: bogus descriptor or out of resources');
    return new DataView(bytes.buffer, bytes.byteOffset, length);
  }

  private readU16(pa: bigint): number {
    return this.view(pa, 2).getUint16(0, true);
  }

  private writeU16(pa: bigint, value: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, value, true);
    this.ram.write(pa, b);
  }

  private availIdx(): number {
    return this.readU16(this.availAddr + 2n);
  }

  /** Whether the driver has made nothing new available. */
  empty(): boolean {
    return this.availIdx() === this.lastAvail;
  }

  /** The next available request, or undefined when there is none. */
  pop(): VirtqElement | undefined {
    if (!this.ready || this.size === 0) return undefined;
    const availIdx = this.availIdx();
    if (availIdx === this.lastAvail) return undefined;
    if (((availIdx - this.lastAvail) & 0xffff) > this.size)
      throw new VirtioError(`Guest moved avail index from ${this.lastAvail} to ${availIdx}`);
    const head = this.readU16(this.availAddr + 4n + 2n * BigInt(this.lastAvail % this.size));
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    if (head >= this.size) throw new VirtioError(`Guest says index ${head} is available`);
    return this.walk(head);
  }

  /** Follows the descriptor chain from `head`, into an indirect table if its first descriptor names one. */
  private walk(head: number): VirtqElement {
    let table = this.descAddr;
    let tableSize = this.size;
    let i = head;
    let desc = this.view(table + BigInt(i * DESC_SIZE), DESC_SIZE);
    if (desc.getUint16(12, true) & DESC_F_INDIRECT) {
      const length = desc.getUint32(8, true);
      if (length === 0 || length % DESC_SIZE !== 0)
        throw new VirtioError('Invalid size for indirect buffer table');
      table = desc.getBigUint64(0, true);
      tableSize = length / DESC_SIZE;
      i = 0;
      desc = this.view(table, DESC_SIZE);
    }
    const readable: Segment[] = [];
    const writable: Segment[] = [];
    for (let count = 1; ; count++) {
      if (count > tableSize) throw new VirtioError('Looped descriptor');
      const addr = desc.getBigUint64(0, true);
      const length = desc.getUint32(8, true);
      const flags = desc.getUint16(12, true);
      if (flags & DESC_F_INDIRECT) throw new VirtioError('Invalid indirect descriptor in a chain');
      if (length === 0) throw new VirtioError('virtio: zero sized buffers are not allowed');
      if (!this.ram.bytes(addr, length))
        throw new VirtioError('virtio: bogus descriptor or out of resources');
      if (flags & DESC_F_WRITE) writable.push({ addr, length });
      else if (writable.length > 0) throw new VirtioError('Incorrect order for descriptors');
      else readable.push({ addr, length });
      if (!(flags & DESC_F_NEXT)) break;
      i = desc.getUint16(14, true);
      if (i >= tableSize) throw new VirtioError(`Desc next is ${i}`);
      desc = this.view(table + BigInt(i * DESC_SIZE), DESC_SIZE);
    }
    return new VirtqElement(this.ram, head, readable, writable);
  }

  /** Returns a request to the driver with `length` bytes written into its buffers. */
  push(element: VirtqElement, length: number): void {
    const entry = new Uint8Array(8);
    const view = new DataView(entry.buffer);
    view.setUint32(0, element.head, true);
    view.setUint32(4, length, true);
    this.ram.write(this.usedAddr + 4n + 8n * BigInt(this.usedIdx % this.size), entry);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    this.writeU16(this.usedAddr + 2n, this.usedIdx);
    this.used = true;
  }

  /**
   * After a batch of requests: publishes avail_event (with EVENT_IDX: notify me on the next
   * buffer) and says whether the driver wants an interrupt for what was used (if anything was).
   */
  finishBatch(): boolean {
    if (this.eventIdx) this.writeU16(this.usedAddr + 4n + 8n * BigInt(this.size), this.lastAvail);
    if (!this.used) return false;
    this.used = false;
    if (this.notifyOnEmpty && this.empty()) return true;
    if (!this.eventIdx) return (this.readU16(this.availAddr) & AVAIL_F_NO_INTERRUPT) === 0;
    const valid = this.signalledUsedValid;
    const old = this.signalledUsed;
    this.signalledUsedValid = true;
    this.signalledUsed = this.usedIdx;
    const usedEvent = this.readU16(this.availAddr + 4n + 2n * BigInt(this.size));
    // vring_need_event: the driver asked to hear once used_event has been passed.
    return !valid || ((this.usedIdx - usedEvent - 1) & 0xffff) < ((this.usedIdx - old) & 0xffff);
  }
}
