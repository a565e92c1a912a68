/**
 * The virtio device models `-device` can name, what a configured one is (its model and the drive
 * or properties it was given), and how a board turns that into a device behind a transport.
 */
import { VirtioBlk } from './blk';
import type { VirtioDevice } from './device';
import type { RawImage } from './raw-image';
import { VirtioRng } from './rng';

/** A -drive: its id, and the image once opened (undefined: no medium). */
export interface DriveSpec {
  id: string;
  image?: RawImage;
  /** The option text it came from, for error messages. */
  source: string;
}

export type VirtioDeviceSpec =
  | { model: 'virtio-blk-device'; drive: DriveSpec; serial?: string }
  | { model: 'virtio-rng-device' };

/** What the board needs to build its virtio-mmio transports. */
export interface VirtioConfig {
  /** In command-line order; the board assigns them to transports. */
  devices: readonly VirtioDeviceSpec[];
  /** virtio-mmio.force-legacy: version 1 registers (QEMU's default) instead of version 2. */
  legacy: boolean;
}

/** Model names with the properties each accepts (besides `id`). */
export const VIRTIO_MODELS: ReadonlyMap<string, readonly string[]> = new Map([
  ['virtio-blk-device', ['drive', 'serial']],
  ['virtio-rng-device', []],
]);

export function createVirtioDevice(spec: VirtioDeviceSpec): VirtioDevice {
  switch (spec.model) {
    case 'virtio-blk-device':
      return new VirtioBlk(spec.drive.image!, { ...(spec.serial !== undefined && { serial: spec.serial }) });
    case 'virtio-rng-device':
      return new VirtioRng();
  }
}
