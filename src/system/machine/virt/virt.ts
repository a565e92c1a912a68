/**
 * `-M virt`: QEMU's generic ARM64 board, with the devices tsemu models so far: RAM at 1 GiB, one
 * EL1 CPU with its generic timer, a GICv2 (a GICv3 with gic-version=3), a PL011 UART on serial
 * port 0, a PL031 RTC, PSCI over HVC, 32 virtio-mmio transports (the -device ones fill them from the
 * highest address down, as in QEMU), and a device tree describing them (`-machine dumpdtb=FILE`
 * writes it out and exits).
 */
import fs from 'node:fs';
import { findCpuModel, CPU_MODELS, type CpuModel } from '../../cpu/cpu-model';
import { psciCall, type PsciPlatform } from '../../cpu/psci';
import { SystemCpu } from '../../cpu/system-cpu';
import { GIC_PPI_BASE, GIC_SPI_BASE } from '../../devices/gicv2';
import type { InterruptController } from '../../devices/interrupts';
import { MmioBus } from '../../devices/mmio';
import { Pflash } from '../../devices/pflash';
import { Pl011 } from '../../devices/pl011';
import { Pl031 } from '../../devices/pl031';
import type { GuestRam } from '../../devices/virtio/guest-ram';
import { VirtioMmioTransport } from '../../devices/virtio/mmio-transport';
import { createVirtioDevice } from '../../devices/virtio/models';
import { PortFrontend } from '../../devices/virtio/port-frontend';
import { readFdt, writeFdt, FdtError } from '../fdt';
import {
  MachineError,
  type CpuInfoFast,
  type Machine,
  type MachineClass,
  type MachineHost,
  type MachineOptions,
} from '../machine';
import { SerialFrontend } from '../serial-frontend';
import { loadFirmware, loadKernel, type BootImage } from './boot';
import { virtDeviceTree } from './device-tree';
import { createGic, gicVersionOf, type GicVersion } from './gic';
import {
  TIMER_PPI,
  VIRT_FLASH,
  VIRT_FLASH_BANKS,
  VIRT_MMIO,
  VIRT_MMIO_COUNT,
  VIRT_MMIO_SPI,
  VIRT_RAM_BASE,
  VIRT_RAM_DEFAULT,
  VIRT_RAM_MAX,
  VIRT_RTC,
  VIRT_UART,
  VIRT_UART_SPI,
} from './memory-map';
import { formatRegisters } from '../../cpu/info-registers';

const DEFAULT_CPU = 'cortex-a57';

function cpuModelOf(name: string | undefined): CpuModel {
  const model = findCpuModel(name ?? DEFAULT_CPU);
  if (!model)
    throw new MachineError(
      `unable to find CPU model '${name}' (supported: ${CPU_MODELS.map((m) => m.name).join(', ')})`,
    );
  return model;
}

function ramSizeOf(size: number | undefined): number {
  const ramSize = size ?? VIRT_RAM_DEFAULT;
  if (ramSize <= 0 || ramSize > VIRT_RAM_MAX || ramSize % 4096 !== 0) {
    throw new MachineError(
      `-m ${ramSize / 2 ** 20}M: RAM size must be a multiple of 4 KiB between 4 KiB and ${VIRT_RAM_MAX / 2 ** 20} MiB`,
    );
  }
  return ramSize;
}

class VirtMachine implements Machine, PsciPlatform {
  private readonly model: CpuModel;
  private readonly ramSize: number;
  private readonly cpu: SystemCpu;
  private readonly bus = new MmioBus();
  private readonly gic: InterruptController;
  private readonly gicVersion: GicVersion;
  private readonly uart: Pl011;
  private readonly flash: Pflash[];
  private serial?: SerialFrontend;
  /** virtio-serial ports' frontends, attached to their chardevs at start. */
  private readonly portFrontends: { chardev: string; frontend: PortFrontend }[] = [];
  private host?: MachineHost;
  private scheduled = false;
  private wakeTimer?: NodeJS.Timeout;

  constructor(private readonly options: MachineOptions) {
    this.ramSize = ramSizeOf(options.ramSize);
    const gic = createGic(
      gicVersionOf(options.props.get('gic-version')),
      this.bus,
      () => this.kick(),
      () => this.sampleTimers(),
    );
    this.gic = gic.controller;
    this.gicVersion = gic.version;
    this.model = gic.cpuModel(cpuModelOf(options.cpu));
    const flashBanks = Array.from({ length: VIRT_FLASH_BANKS }, (_, i) => ({
      base: VIRT_FLASH.base + i * VIRT_FLASH.size,
      size: VIRT_FLASH.size,
    }));
    this.cpu = new SystemCpu(this.model, {
      bus: this.bus,
      ram: { base: VIRT_RAM_BASE, size: this.ramSize },
      rom: flashBanks,
      irqAsserted: () => this.irqAsserted(),
      fiqAsserted: () => this.fiqAsserted(),
      hypervisorCall: (cpu) => (psciCall(cpu, this), true),
      secureMonitorCall: () => false,
    });
    gic.attachCpu(this.cpu.regs);
    this.flash = flashBanks.map((bank) => new Pflash(this.cpu.memory, bank.base, bank.size));
    for (const bank of this.flash) this.bus.map(bank.base, bank);
    this.uart = new Pl011(
      (level) => this.gic.setLine(GIC_SPI_BASE + VIRT_UART_SPI, level),
      (byte) => this.serial?.transmit(byte),
    );
    this.uart.onRxSpace = () => this.serial?.drain();
    this.bus.map(VIRT_UART.base, this.uart);
    this.bus.map(VIRT_RTC.base, new Pl031());
    this.mapVirtioTransports();
    this.boot();
  }

  /** The transports, device n of the command line behind the transport n from the top. */
  private mapVirtioTransports(): void {
    const virtio = this.options.virtio ?? { devices: [], legacy: true };
    if (virtio.devices.length > VIRT_MMIO_COUNT)
      throw new MachineError(`too many virtio devices (-M virt has ${VIRT_MMIO_COUNT} virtio-mmio transports)`);
    const ramEnd = BigInt(VIRT_RAM_BASE + this.ramSize);
    const ram: GuestRam = {
      bytes: (pa, length) =>
        pa >= BigInt(VIRT_RAM_BASE) && pa + BigInt(length) <= ramEnd
          ? this.cpu.memory.u8.subarray(Number(pa), Number(pa) + length)
          : undefined,
      write: (pa, data) => this.cpu.writeMemory(pa, data, false),
    };
    const report = (message: string): void => void process.stderr.write(`tsemu-system: ${message}\n`);
    for (let i = 0; i < VIRT_MMIO_COUNT; i++) {
      const spec = virtio.devices[VIRT_MMIO_COUNT - 1 - i];
      const device =
        spec &&
        createVirtioDevice(spec, (port) => {
          const frontend = new PortFrontend();
          if (port.chardev !== undefined) this.portFrontends.push({ chardev: port.chardev, frontend });
          return frontend;
        });
      const irq = (level: boolean): void => this.gic.setLine(GIC_SPI_BASE + VIRT_MMIO_SPI + i, level);
      this.bus.map(VIRT_MMIO.base + i * VIRT_MMIO.size, new VirtioMmioTransport(device, virtio.legacy, ram, irq, report));
    }
  }

  /** The timers' outputs onto their PPIs, then the GIC's IRQ signal. */
  private irqAsserted(): boolean {
    this.sampleTimers();
    return this.gic.irqAsserted();
  }

  /** The same for the FIQ signal. */
  private fiqAsserted(): boolean {
    this.sampleTimers();
    return this.gic.fiqAsserted?.() ?? false;
  }

  /** Puts the timers' current outputs onto their PPIs. */
  private sampleTimers(): void {
    const timer = this.cpu.regs.timer;
    this.gic.setLine(GIC_PPI_BASE + TIMER_PPI.physical, timer.physical.output());
    this.gic.setLine(GIC_PPI_BASE + TIMER_PPI.virtual, timer.virtual.output());
  }

  /** Power-on: devices and CPU reset, the kernel (re)loaded, the device tree built and placed. */
  private boot(): void {
    for (const device of this.bus.devices) device.reset();
    this.cpu.reset();
    const ram = { base: VIRT_RAM_BASE, size: this.ramSize };
    const { bios, kernel } = this.options;
    const image: BootImage | undefined =
      bios !== undefined
        ? loadFirmware(this.flash[0]!, ram, bios, kernel)
        : kernel === undefined
          ? undefined
          : loadKernel(this.cpu.memory, ram, kernel, this.options.initrd);
    const dtb = this.deviceTreeBlob(image);
    const dumpTo = this.options.props.get('dumpdtb');
    if (dumpTo !== undefined) {
      fs.writeFileSync(dumpTo, dtb);
      process.stderr.write(`tsemu-system: info: dtb dumped to ${dumpTo}. Exiting.\n`);
      process.exit(0);
    }
    if (image?.dtbAddress !== undefined && image.dtbAddress + dtb.length <= VIRT_RAM_BASE + this.ramSize) {
      this.cpu.memory.writeBytes(image.dtbAddress, dtb);
      if (image.isLinux) this.cpu.setX(0, BigInt(image.dtbAddress));
    }
    this.cpu.regs.pc = BigInt(image?.entry ?? 0);
  }

  private deviceTreeBlob(image: BootImage | undefined): Buffer {
    if (this.options.dtb !== undefined) {
      try {
        const blob = fs.readFileSync(this.options.dtb);
        readFdt(blob);
        return blob;
      } catch (e) {
        if (e instanceof FdtError) throw new MachineError(`-dtb ${this.options.dtb}: ${e.message}`);
        throw new MachineError(`-dtb ${this.options.dtb}: ${(e as Error).message}`);
      }
    }
    return writeFdt(
      virtDeviceTree({
        ramSize: this.ramSize,
        cpuCompatible: this.model.compatible,
        gicVersion: this.gicVersion,
        ...(this.options.append !== undefined && { bootargs: this.options.append }),
        ...(image?.initrd && { initrd: image.initrd }),
      }),
    );
  }

  cpus(): CpuInfoFast[] {
    return [
      {
        'cpu-index': 0,
        'qom-path': '/machine/unattached/device[0]',
        'thread-id': process.pid,
        target: 'aarch64',
        props: { 'core-id': 0, 'thread-id': 0, 'socket-id': 0 },
      },
    ];
  }

  reset(): void {
    this.boot();
    this.kick();
  }

  registersText(): string {
    return formatRegisters(this.cpu.regs, 0);
  }

  readMemory(address: bigint, size: number, virtual: boolean): bigint | undefined {
    return this.cpu.readMemory(address, size, virtual);
  }

  debugCpu(): SystemCpu {
    return this.cpu;
  }

  start(host: MachineHost): void {
    this.host = host;
    const port = host.serialChardev(0);
    if (port) {
      this.serial = new SerialFrontend(this.uart);
      port.attachFrontend(this.serial);
    }
    for (const { chardev, frontend } of this.portFrontends) host.chardev(chardev)?.attachFrontend(frontend);
    host.onRunStateChange(() => this.kick());
    this.kick();
  }

  /** Schedules the CPU to run (soon, on the event loop): after a wake-up, a device interrupt, cont. */
  private kick(): void {
    if (this.scheduled || !this.host) return;
    this.scheduled = true;
    clearTimeout(this.wakeTimer);
    setImmediate(() => this.runSome());
  }

  private runSome(): void {
    this.scheduled = false;
    if (!this.host?.isRunning() || !this.cpu.powered) return;
    if (this.cpu.runnable) {
      this.cpu.runSlice();
      this.serial?.flush();
      this.kick();
      return;
    }
    // Waiting for an interrupt: sleep until the timer fires; devices wake the CPU through kick().
    const ms = this.cpu.msUntilTimer();
    if (ms !== undefined) this.wakeTimer = setTimeout(() => this.kick(), Math.ceil(ms));
  }

  // PSCI
  systemOff(): void {
    this.cpu.powerOff();
    this.host?.shutdown('guest-shutdown');
  }
  systemReset(): void {
    // Nothing more runs until the reset has happened (on the main loop, after this slice).
    this.cpu.powerOff();
    this.host?.reset('guest-reset');
  }
  cpuOff(): void {
    this.cpu.powerOff();
  }
  cpuSuspend(): void {
    this.cpu.waitForInterrupt();
  }
}

export const VIRT_MACHINE: MachineClass = {
  name: 'virt',
  description: 'QEMU Virtual Machine (AArch64: one Cortex-A57, GICv2 or v3, PL011, PL031, PSCI, virtio-mmio)',
  isDefault: false,
  cpuMax: 1,
  hasSerial: true,
  virtioMmio: true,
  props: ['dumpdtb', 'gic-version'],
  create: (options) => new VirtMachine(options),
};
