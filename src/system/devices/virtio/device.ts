/**
 * What a virtio device (virtio 1.2 spec, chapter 5) gives its transport: its ID, feature bits,
 * configuration space and queues, and the handling of a queue's notification. The transport owns
 * the rings and the interrupt; the device only pops requests and pushes completions.
 */
import type { Virtqueue } from './virtqueue';

/** Feature bits of the transport and the rings (spec 6), offered by every device. */
export const VIRTIO_F = {
  notifyOnEmpty: 24n,
  anyLayout: 27n,
  indirectDesc: 28n,
  eventIdx: 29n,
  version1: 32n,
  ringReset: 40n,
} as const;

export const bit = (n: bigint): bigint => 1n << n;

/** A request the device cannot make sense of: QEMU's virtio_error, which marks the device broken. */
export class VirtioError extends Error {}

/** What a device that produces work on its own (input arriving) may ask of its transport. */
export interface DeviceLink {
  queue(index: number): Virtqueue | undefined;
  /** Requests were pushed onto `queue` outside a notification: interrupt the driver if it wants. */
  used(queue: Virtqueue): void;
}

export interface VirtioDevice {
  /** QEMU's type name, e.g. "virtio-blk-device". */
  readonly name: string;
  readonly deviceId: number;
  /** Number of virtqueues. */
  readonly queueCount: number;
  /** Entries per queue until the driver sets QueueNum. */
  readonly queueSize: number;
  /** The features offered: the transport's `common` ones with the device's own added (or some withheld). */
  features(common: bigint, legacy: boolean): bigint;
  /** The configuration space (its length is the config size; reads past it see all ones). */
  config(): Uint8Array;
  /** Writes of the driver into the configuration space (most fields are read-only). */
  writeConfig?(offset: number, bytes: Uint8Array): void;
  /** The features the driver accepted (at FEATURES_OK, or as written on a legacy transport). */
  featuresAccepted?(features: bigint): void;
  /** Called once by the transport, for devices that push requests on their own. */
  bind?(link: DeviceLink): void;
  /** The driver made buffers available on `queue` (notified it). */
  notify(queue: Virtqueue): void;
  /** The driver reset the device (status 0) or the machine reset. */
  reset(): void;
}
