/**
 * virtio-serial (virtio 1.2 spec, 5.3; `-device virtio-serial-device` with `-device
 * virtconsole,chardev=ID` ports): QEMU's 31 ports with the multiport control protocol, or port 0
 * alone (always open) for a driver that does not accept MULTIPORT. Port n has queues rx/tx at
 * 0/1 for n = 0 and 2n + 2 / 2n + 3 above; queues 2/3 carry control messages. A write to the
 * configuration's emerg_wr goes to port 0 at once. Output goes to the port's host side; input
 * waits for the driver's receive buffers (and, with multiport, for the guest to open the port).
 */
import { bit, type DeviceLink, type VirtioDevice } from './device';
import type { Virtqueue } from './virtqueue';

const F_MULTIPORT = 1n;
const F_EMERG_WRITE = 2n;
const MAX_PORTS = 31;
const CONTROL_RX = 2;
const CONTROL_TX = 3;
const CONFIG_EMERG_WR = 8;

/** Control events (struct virtio_console_control: u32 id, u16 event, u16 value). */
const DEVICE_READY = 0;
const PORT_ADD = 1;
const PORT_READY = 3;
const CONSOLE_PORT = 4;
const PORT_OPEN = 6;
const PORT_NAME = 7;

/** A port's host side: where its output goes. */
export interface PortHost {
  write(bytes: Uint8Array): void;
}

export interface SerialPortSpec {
  nr: number;
  isConsole: boolean;
  name?: string;
}

class Port {
  guestOpen = false;
  readonly inbox: Uint8Array[] = [];
  constructor(
    readonly spec: SerialPortSpec,
    readonly host: PortHost,
  ) {}
}

const rxQueue = (nr: number): number => (nr === 0 ? 0 : 2 * nr + 2);

export class VirtioSerial implements VirtioDevice {
  readonly name = 'virtio-serial-device';
  readonly deviceId = 3;
  readonly queueCount = 2 * (MAX_PORTS + 1);
  readonly queueSize = 128;
  private readonly configSpace = new Uint8Array(12);
  private readonly ports = new Map<number, Port>();
  private multiport = false;
  private link?: DeviceLink;
  /** Control messages waiting for a receive buffer on the control queue. */
  private readonly controlOut: Uint8Array[] = [];

  constructor() {
    new DataView(this.configSpace.buffer).setUint32(4, MAX_PORTS, true);
  }

  /** Adds a port; returns what its host side calls with input. */
  addPort(spec: SerialPortSpec, host: PortHost): (bytes: Uint8Array) => void {
    const port = new Port(spec, host);
    this.ports.set(spec.nr, port);
    return (bytes) => {
      port.inbox.push(bytes);
      this.deliverInput(port);
    };
  }

  bind(link: DeviceLink): void {
    this.link = link;
  }

  features(common: bigint): bigint {
    return common | bit(F_MULTIPORT) | bit(F_EMERG_WRITE);
  }

  featuresAccepted(features: bigint): void {
    this.multiport = (features & bit(F_MULTIPORT)) !== 0n;
  }

  config(): Uint8Array {
    return this.configSpace;
  }

  writeConfig(offset: number, bytes: Uint8Array): void {
    if (offset === CONFIG_EMERG_WR) this.ports.get(0)?.host.write(bytes.subarray(0, 1));
  }

  reset(): void {
    this.multiport = false;
    this.controlOut.length = 0;
    for (const port of this.ports.values()) port.guestOpen = false;
  }

  private connected(port: Port): boolean {
    return this.multiport ? port.guestOpen : port.spec.nr === 0;
  }

  notify(queue: Virtqueue): void {
    if (queue.index === CONTROL_TX) return this.controlMessages(queue);
    if (queue.index === CONTROL_RX) return this.sendControl();
    const nr = queue.index < 2 ? 0 : (queue.index >> 1) - 1;
    const port = this.ports.get(nr);
    if (queue.index % 2 === 0) {
      if (port) this.deliverInput(port);
      return;
    }
    for (let element = queue.pop(); element; element = queue.pop()) {
      if (port && this.connected(port)) port.host.write(element.read(0, element.readableSize));
      queue.push(element, 0);
    }
  }

  /** Moves a port's pending input into the driver's receive buffers. */
  private deliverInput(port: Port): void {
    const queue = this.link?.queue(rxQueue(port.spec.nr));
    if (!queue || !this.connected(port)) return;
    let pushed = false;
    while (port.inbox.length > 0) {
      const element = queue.pop();
      if (!element) break;
      const chunk = port.inbox[0]!;
      const written = element.write(0, chunk);
      if (written < chunk.length) port.inbox[0] = chunk.subarray(written);
      else port.inbox.shift();
      queue.push(element, written);
      pushed = true;
    }
    if (pushed) this.link?.used(queue);
  }

  private controlMessages(queue: Virtqueue): void {
    for (let element = queue.pop(); element; element = queue.pop()) {
      const message = element.read(0, 8);
      queue.push(element, 0);
      if (message.length < 8) continue;
      const view = new DataView(message.buffer);
      this.controlEvent(view.getUint32(0, true), view.getUint16(4, true), view.getUint16(6, true));
    }
  }

  /** What the driver told the device, and QEMU's answers. */
  private controlEvent(id: number, event: number, value: number): void {
    const port = this.ports.get(id);
    if (event === DEVICE_READY && value === 1) {
      for (const nr of [...this.ports.keys()].sort((a, b) => a - b)) this.queueControl(nr, PORT_ADD, 1);
    } else if (event === PORT_READY && value === 1 && port) {
      if (port.spec.isConsole) this.queueControl(id, CONSOLE_PORT, 1);
      if (port.spec.name !== undefined) this.queueControl(id, PORT_NAME, 1, `${port.spec.name}\0`);
      this.queueControl(id, PORT_OPEN, 1);
    } else if (event === PORT_OPEN && port) {
      port.guestOpen = value === 1;
      this.deliverInput(port);
    }
    this.sendControl();
  }

  private queueControl(id: number, event: number, value: number, text = ''): void {
    const message = new Uint8Array(8 + text.length);
    const view = new DataView(message.buffer);
    view.setUint32(0, id, true);
    view.setUint16(4, event, true);
    view.setUint16(6, value, true);
    message.set(Buffer.from(text, 'latin1'), 8);
    this.controlOut.push(message);
  }

  private sendControl(): void {
    const queue = this.link?.queue(CONTROL_RX);
    if (!queue || this.controlOut.length === 0) return;
    let pushed = false;
    while (this.controlOut.length > 0) {
      const element = queue.pop();
      if (!element) break;
      queue.push(element, element.write(0, this.controlOut.shift()!));
      pushed = true;
    }
    if (pushed) this.link?.used(queue);
  }
}
