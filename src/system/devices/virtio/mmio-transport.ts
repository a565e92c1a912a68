/**
 * The virtio-mmio transport (virtio 1.2 spec, 4.2): a 0x200-byte register window per device, in
 * QEMU's default legacy form (version 1: guest page size, queue PFN and alignment) or the modern
 * one (version 2: 64-bit ring addresses, QueueReady, FEATURES_OK), chosen by virtio-mmio's
 * force-legacy property. A transport without a device answers only magic, version and vendor.
 * Register reads and writes other than the configuration space are 32-bit; others are ignored.
 */
import type { IrqLine } from '../interrupts';
import type { MmioDevice } from '../mmio';
import { bit, VIRTIO_F, VirtioError, type VirtioDevice } from './device';
import type { GuestRam } from './guest-ram';
import { Virtqueue } from './virtqueue';

const MAGIC = 0x000;
const VERSION = 0x004;
const DEVICE_ID = 0x008;
const VENDOR_ID = 0x00c;
const DEVICE_FEATURES = 0x010;
const DEVICE_FEATURES_SEL = 0x014;
const DRIVER_FEATURES = 0x020;
const DRIVER_FEATURES_SEL = 0x024;
const GUEST_PAGE_SIZE = 0x028;
const QUEUE_SEL = 0x030;
const QUEUE_NUM_MAX = 0x034;
const QUEUE_NUM = 0x038;
const QUEUE_ALIGN = 0x03c;
const QUEUE_PFN = 0x040;
const QUEUE_READY = 0x044;
const QUEUE_NOTIFY = 0x050;
const INTERRUPT_STATUS = 0x060;
const INTERRUPT_ACK = 0x064;
const STATUS = 0x070;
const QUEUE_DESC_LOW = 0x080;
const QUEUE_DESC_HIGH = 0x084;
const QUEUE_DRIVER_LOW = 0x090;
const QUEUE_DRIVER_HIGH = 0x094;
const QUEUE_DEVICE_LOW = 0x0a0;
const QUEUE_DEVICE_HIGH = 0x0a4;
const QUEUE_RESET = 0x0c0;
const CONFIG = 0x100;

/** "virt" and "QEMU", as little-endian words. */
const MAGIC_VALUE = 0x74726976;
const VENDOR_QEMU = 0x554d4551;
/** What QEMU reports as QueueNumMax for every queue a device has (VIRTQUEUE_MAX_SIZE). */
const QUEUE_MAX_SIZE = 1024;
const STATUS_DRIVER_OK = 4;
const STATUS_FEATURES_OK = 8;
const STATUS_NEEDS_RESET = 0x40;
const ISR_USED = 1;
const ISR_CONFIG = 2;
const LEGACY_ONLY = bit(VIRTIO_F.notifyOnEmpty) | bit(VIRTIO_F.anyLayout);
const MODERN_ONLY = bit(VIRTIO_F.version1) | bit(VIRTIO_F.ringReset);
const RING_FEATURES = bit(VIRTIO_F.indirectDesc) | bit(VIRTIO_F.eventIdx);

const low = (v: bigint): number => Number(v & 0xffffffffn);
const high = (v: bigint): number => Number(v >> 32n);
const setLow = (v: bigint, w: number): bigint => (v & ~0xffffffffn) | BigInt(w >>> 0);
const setHigh = (v: bigint, w: number): bigint => (v & 0xffffffffn) | (BigInt(w >>> 0) << 32n);

export class VirtioMmioTransport implements MmioDevice {
  readonly name = 'virtio-mmio';
  readonly size = 0x200;
  private readonly queues: Virtqueue[];
  private status = 0;
  private isr = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private queueSel = 0;
  private guestPageShift = 0;
  private broken = false;

  constructor(
    private readonly device: VirtioDevice | undefined,
    private readonly legacy: boolean,
    ram: GuestRam,
    private readonly irq: IrqLine,
    /** Reports a device error (QEMU's error_report). */
    private readonly report: (message: string) => void,
  ) {
    this.queues = Array.from(
      { length: device?.queueCount ?? 0 },
      (_, i) => new Virtqueue(i, ram, device!.queueSize),
    );
    device?.bind?.({
      queue: (index) => this.queues[index],
      used: (queue) => this.guarded(() => queue.finishBatch() && this.raise(ISR_USED)),
    });
    this.reset();
  }

  private offeredFeatures(): bigint {
    if (!this.device) return 0n;
    const common = RING_FEATURES | (this.legacy ? LEGACY_ONLY : MODERN_ONLY);
    return this.device.features(common, this.legacy);
  }

  /** System reset: the transport's own registers too. */
  reset(): void {
    this.deviceFeaturesSel = this.driverFeaturesSel = this.queueSel = this.guestPageShift = 0;
    this.resetDevice();
  }

  /**
   * The driver's reset (Status 0, or a legacy QueuePFN 0): the device, its queues and features;
   * the selectors and the legacy guest page size stay (Linux sets the page size once, before).
   */
  private resetDevice(): void {
    this.status = this.isr = 0;
    this.driverFeatures = 0n;
    this.broken = false;
    for (const q of this.queues) q.reset();
    this.device?.reset();
    this.irq(false);
  }

  private get queue(): Virtqueue | undefined {
    return this.queues[this.queueSel];
  }

  read(offset: number, size: number): number {
    if (offset >= CONFIG) return this.readConfig(offset - CONFIG, size);
    if (size !== 4) return 0;
    switch (offset) {
      case MAGIC:
        return MAGIC_VALUE;
      case VERSION:
        return this.legacy ? 1 : 2;
      case VENDOR_ID:
        return VENDOR_QEMU;
    }
    if (!this.device) return 0;
    const q = this.queue;
    switch (offset) {
      case DEVICE_ID:
        return this.device.deviceId;
      case DEVICE_FEATURES:
        if (this.legacy) return this.deviceFeaturesSel === 0 ? low(this.offeredFeatures()) : 0;
        return this.deviceFeaturesSel === 0
          ? low(this.offeredFeatures())
          : this.deviceFeaturesSel === 1
            ? high(this.offeredFeatures())
            : 0;
      case QUEUE_NUM_MAX:
        return q ? QUEUE_MAX_SIZE : 0;
      case QUEUE_PFN:
        return this.legacy && q ? Number(q.descAddr >> BigInt(this.guestPageShift)) : 0;
      case QUEUE_READY:
        return !this.legacy && q?.ready ? 1 : 0;
      case INTERRUPT_STATUS:
        return this.isr;
      case STATUS:
        return this.status;
      case QUEUE_DESC_LOW:
        return q && !this.legacy ? low(q.descAddr) : 0;
      case QUEUE_DESC_HIGH:
        return q && !this.legacy ? high(q.descAddr) : 0;
      case QUEUE_DRIVER_LOW:
        return q && !this.legacy ? low(q.availAddr) : 0;
      case QUEUE_DRIVER_HIGH:
        return q && !this.legacy ? high(q.availAddr) : 0;
      case QUEUE_DEVICE_LOW:
        return q && !this.legacy ? low(q.usedAddr) : 0;
      case QUEUE_DEVICE_HIGH:
        return q && !this.legacy ? high(q.usedAddr) : 0;
      default: // CONFIG_GENERATION (the configuration never changes), QUEUE_RESET (done at once)
        return 0;
    }
  }

  write(offset: number, size: number, value: number): void {
    if (offset >= CONFIG) return this.writeConfig(offset - CONFIG, size, value);
    if (size !== 4 || !this.device) return;
    const q = this.queue;
    switch (offset) {
      case DEVICE_FEATURES_SEL:
        this.deviceFeaturesSel = value >>> 0;
        return;
      case DRIVER_FEATURES:
        if (this.driverFeaturesSel === 0) this.driverFeatures = setLow(this.driverFeatures, value);
        else if (this.driverFeaturesSel === 1) this.driverFeatures = setHigh(this.driverFeatures, value);
        if (this.legacy) this.applyFeatures();
        return;
      case DRIVER_FEATURES_SEL:
        this.driverFeaturesSel = value >>> 0;
        return;
      case GUEST_PAGE_SIZE:
        if (this.legacy) this.guestPageShift = value === 0 ? 0 : 31 - Math.clz32(value & -value);
        return;
      case QUEUE_SEL:
        this.queueSel = value >>> 0;
        return;
      case QUEUE_NUM:
        if (q && value > 0 && value <= QUEUE_MAX_SIZE) q.size = value;
        if (q && this.legacy) this.placeLegacyRings(q);
        return;
      case QUEUE_ALIGN:
        if (q && this.legacy) {
          q.legacyAlign = value >>> 0;
          this.placeLegacyRings(q);
        }
        return;
      case QUEUE_PFN:
        // Legacy drivers write 0 to release a queue; QEMU resets the whole device.
        if (this.legacy && value === 0) this.resetDevice();
        else if (q && this.legacy) {
          q.descAddr = BigInt(value >>> 0) << BigInt(this.guestPageShift);
          this.placeLegacyRings(q);
        }
        return;
      case QUEUE_READY:
        if (q && !this.legacy) q.ready = (value & 1) !== 0;
        return;
      case QUEUE_NOTIFY:
        this.notify(value >>> 0);
        return;
      case INTERRUPT_ACK:
        this.isr &= ~value;
        this.irq(this.isr !== 0);
        return;
      case STATUS:
        this.writeStatus(value & 0xff);
        return;
      case QUEUE_DESC_LOW:
        if (q && !this.legacy) q.descAddr = setLow(q.descAddr, value);
        return;
      case QUEUE_DESC_HIGH:
        if (q && !this.legacy) q.descAddr = setHigh(q.descAddr, value);
        return;
      case QUEUE_DRIVER_LOW:
        if (q && !this.legacy) q.availAddr = setLow(q.availAddr, value);
        return;
      case QUEUE_DRIVER_HIGH:
        if (q && !this.legacy) q.availAddr = setHigh(q.availAddr, value);
        return;
      case QUEUE_DEVICE_LOW:
        if (q && !this.legacy) q.usedAddr = setLow(q.usedAddr, value);
        return;
      case QUEUE_DEVICE_HIGH:
        if (q && !this.legacy) q.usedAddr = setHigh(q.usedAddr, value);
        return;
      case QUEUE_RESET:
        if (q && !this.legacy && value === 1) q.reset();
        return;
    }
  }

  /**
   * Legacy layout: the available ring right after the descriptors, the used ring at the next
   * QueueAlign boundary.
   */
  private placeLegacyRings(q: Virtqueue): void {
    q.availAddr = q.descAddr + 16n * BigInt(q.size);
    const align = BigInt(q.legacyAlign || 1);
    const availEnd = q.availAddr + 6n + 2n * BigInt(q.size);
    q.usedAddr = ((availEnd + align - 1n) / align) * align;
    q.ready = q.descAddr !== 0n;
  }

  /** The features the driver accepted, cut to those offered, into the queues. */
  private applyFeatures(): void {
    const accepted = this.driverFeatures & this.offeredFeatures();
    for (const q of this.queues) {
      q.eventIdx = (accepted & bit(VIRTIO_F.eventIdx)) !== 0n;
      q.notifyOnEmpty = (accepted & bit(VIRTIO_F.notifyOnEmpty)) !== 0n;
    }
    this.device?.featuresAccepted?.(accepted);
  }

  private writeStatus(value: number): void {
    if (value === 0) return this.resetDevice();
    const featuresOk = !this.legacy && value & STATUS_FEATURES_OK && !(this.status & STATUS_FEATURES_OK);
    if (featuresOk) this.applyFeatures();
    this.status = value | (this.status & STATUS_NEEDS_RESET);
  }

  private notify(index: number): void {
    const q = this.queues[index];
    const device = this.device;
    if (!q || !q.ready || !device) return;
    this.guarded(() => {
      device.notify(q);
      if (q.finishBatch()) this.raise(ISR_USED);
    });
  }

  /** Runs device work unless the device is broken; a VirtioError breaks it. */
  private guarded(work: () => void): void {
    if (this.broken) return;
    try {
      work();
    } catch (e) {
      if (!(e instanceof VirtioError)) throw e;
      this.markBroken(e.message);
    }
  }

  /** QEMU's virtio_error: reported once; a modern device asks the driver for a reset. */
  private markBroken(message: string): void {
    this.report(message);
    this.broken = true;
    if (this.legacy) return;
    this.status |= STATUS_NEEDS_RESET;
    if (this.status & STATUS_DRIVER_OK) this.raise(ISR_CONFIG);
  }

  private raise(bits: number): void {
    this.isr |= bits;
    this.irq(true);
  }

  /** Configuration space reads: little-endian, all ones past its end. */
  private readConfig(offset: number, size: number): number {
    const config = this.device?.config();
    if (!config || offset + size > config.length) return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + config[offset + i]!;
    return v;
  }

  private writeConfig(offset: number, size: number, value: number): void {
    const config = this.device?.config();
    if (!config || offset + size > config.length) return;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (value >>> (8 * i)) & 0xff;
    this.device?.writeConfig?.(offset, bytes);
  }
}
