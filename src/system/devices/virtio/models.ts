/**
 * The virtio device models `-device` can name, what a configured one is (its model and the drive
 * or properties it was given), and how a board turns that into a device behind a transport.
 */
import type { BlockStats } from '../../block/stats';
import { VirtioBlk } from './blk';
import type { VirtioDevice } from './device';
import type { RawImage } from './raw-image';
import { VirtioRng } from './rng';
import type { PortFrontend } from './port-frontend';
import { VirtioSerial, type SerialPortSpec } from './serial';

/** A -drive: its id, and the image once opened (undefined: no medium). */
export interface DriveSpec {
  id: string;
  image?: RawImage;
  /** The option text it came from, for error messages. */
  source: string;
}

/** A virtconsole or virtserialport and the chardev it is connected to, if any. */
export interface SerialPortConfig extends SerialPortSpec {
  chardev?: string;
  /** The -device text it came from, for error messages. */
  source: string;
}

export type VirtioDeviceSpec =
  | { model: 'virtio-blk-device'; drive: DriveSpec; stats: BlockStats; serial?: string; bootIndex?: number }
  | { model: 'virtio-rng-device' }
  | { model: 'virtio-serial-device'; ports: SerialPortConfig[] };

/** What the board needs to build its virtio-mmio transports. */
export interface VirtioConfig {
  /** In command-line order; the board assigns them to transports. */
  devices: readonly VirtioDeviceSpec[];
  /** virtio-mmio.force-legacy: version 1 registers (QEMU's default) instead of version 2. */
  legacy: boolean;
}

/** Model names with the properties each accepts (besides `id`). */
export const VIRTIO_MODELS: ReadonlyMap<string, readonly string[]> = new Map([
  ['virtio-blk-device', ['drive', 'serial', 'bootindex']],
  ['virtio-rng-device', []],
  ['virtio-serial-device', []],
]);

/** The ports of a virtio-serial device (on its bus, not a transport of their own). */
export interface SerialPortModel {
  isConsole: boolean;
  props: readonly string[];
}

export const SERIAL_PORT_MODELS: ReadonlyMap<string, SerialPortModel> = new Map([
  ['virtconsole', { isConsole: true, props: ['chardev', 'name', 'nr'] }],
  ['virtserialport', { isConsole: false, props: ['chardev', 'name', 'nr'] }],
]);

/** Builds the device; a serial port's frontend (for its chardev) comes from `frontendFor`. */
export function createVirtioDevice(
  spec: VirtioDeviceSpec,
  frontendFor: (port: SerialPortConfig) => PortFrontend,
): VirtioDevice {
  switch (spec.model) {
    case 'virtio-blk-device':
      return new VirtioBlk(spec.drive.image!, { stats: spec.stats, ...(spec.serial !== undefined && { serial: spec.serial }) });
    case 'virtio-rng-device':
      return new VirtioRng();
    case 'virtio-serial-device': {
      const device = new VirtioSerial();
      for (const port of spec.ports) {
        const frontend = frontendFor(port);
        frontend.input = device.addPort(port, frontend);
      }
      return device;
    }
  }
}
