/**
 * `-M virt`: QEMU's generic ARM64 board, with the devices tsemu models so far: RAM at 1 GiB, EL1
 * CPUs (one, or -smp N; the secondaries start powered off, for PSCI CPU_ON, as QEMU's virt has
 * them) with their generic timers, a GICv2 (a GICv3 with gic-version=3), two CFI flash banks
 * (-bios, -drive if=pflash), a PL011 UART on serial port 0, a PL031 RTC, PSCI over HVC, fw_cfg
 * (firmware-config.ts), 32 virtio-mmio transports (the -device ones fill them from the highest
 * address down, as in QEMU), and a device tree describing them (`-machine dumpdtb=FILE` writes it
 * out and exits).
 */
import fs from 'node:fs';
import { counterNow } from '../../../translate/aarch64/insns/cpu-id';
import { findCpuModel, withAffinity, CPU_MODELS, type CpuModel } from '../../cpu/cpu-model';
import { psciCall, type PsciPlatform } from '../../cpu/psci';
import { SystemCpu, type CpuBoard } from '../../cpu/system-cpu';
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
  type SmpTopology,
} from '../machine';
import { SerialFrontend } from '../serial-frontend';
import { mapRamFile } from '../ram-file';
import { loadFirmware, loadKernel, type BootImage } from './boot';
import { virtDeviceTree } from './device-tree';
import { virtFwCfg } from './firmware-config';
import { createGic, gicMaxCpus, gicVersionOf, mpidrAffinity, type GicVersion } from './gic';
import {
  TIMER_PPI,
  VIRT_DEVICE_SPACE,
  VIRT_FLASH,
  VIRT_FLASH_BANKS,
  VIRT_FLASH_GEOMETRY,
  VIRT_FW_CFG,
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
import { VcpuThreads } from '../../threads/vcpu-thread';
import { createCodeOwnerCounts, sharedCodeOwners } from '../../threads/code-owners';
import { GuestMemory } from '../../../memory/guest-memory';

const DEFAULT_CPU = 'cortex-a57';

function cpuModelOf(name: string | undefined): CpuModel {
  const model = findCpuModel(name ?? DEFAULT_CPU);
  if (!model)
    throw new MachineError(
      `unable to find CPU model '${name}' (supported: ${CPU_MODELS.map((m) => m.name).join(', ')})`,
    );
  return model;
}

const ONE_CPU: SmpTopology = { cpus: 1, maxcpus: 1, sockets: 1, clusters: 1, cores: 1, threads: 1 };

/** CPU `index`'s place in the topology: its socket, cluster, core and thread, as QEMU numbers them. */
function cpuPlace(smp: SmpTopology, index: number): { socket: number; cluster: number; core: number; thread: number } {
  return {
    socket: Math.floor(index / (smp.clusters * smp.cores * smp.threads)),
    cluster: Math.floor(index / (smp.cores * smp.threads)) % smp.clusters,
    core: Math.floor(index / smp.threads) % smp.cores,
    thread: index % smp.threads,
  };
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
  private readonly smp: SmpTopology;
  readonly ramSize: number;
  private readonly cpu: SystemCpu;
  private readonly bus = new MmioBus();
  private readonly gic: InterruptController;
  private readonly gicVersion: GicVersion;
  private readonly uart: Pl011;
  private readonly flash: Pflash[];
  /** Physical RAM as devices reach it by DMA. */
  private readonly guestRam: GuestRam;
  private serial?: SerialFrontend;
  /** virtio-serial ports' frontends, attached to their chardevs at start. */
  private readonly portFrontends: { chardev: string; frontend: PortFrontend }[] = [];
  private host?: MachineHost;
  private scheduled = false;
  private wakeTimer?: NodeJS.Timeout;
  private readonly cpuBoard: CpuBoard;
  /** With -accel tcg,thread=multi: the worker threads running the vCPUs. */
  private thread?: VcpuThreads;
  /** With -accel tcg,thread=multi: the vCPU engines' code page counts (code-owners.ts). */
  private readonly codeOwners?: SharedArrayBuffer;

  constructor(private readonly options: MachineOptions) {
    this.ramSize = ramSizeOf(options.ramSize);
    this.smp = options.smp ?? ONE_CPU;
    const gicVersion = gicVersionOf(options.props.get('gic-version'));
    const maxCpus = gicMaxCpus(gicVersion);
    if (this.smp.maxcpus > maxCpus)
      throw new MachineError(
        `Number of SMP CPUs requested (${this.smp.maxcpus}) exceeds max CPUs supported by machine 'mach-virt' (${maxCpus})`,
      );
    const gic = createGic(
      gicVersion,
      this.smp.cpus,
      this.bus,
      () => this.cpu.regs.index,
      () => {
        // Called from device resets too, before the CPUs exist.
        this.cpu?.interruptsChanged();
        this.kick();
      },
      () => this.sampleTimers(),
    );
    this.gic = gic.controller;
    this.gicVersion = gic.version;
    this.model = gic.cpuModel(cpuModelOf(options.cpu));
    const flashBanks = Array.from({ length: VIRT_FLASH_BANKS }, (_, i) => ({
      base: VIRT_FLASH.base + i * VIRT_FLASH.size,
      size: VIRT_FLASH.size,
      readsAsMemory: () => this.flash[i]!.readsAsMemory,
    }));
    const models = Array.from({ length: this.smp.cpus }, (_, i) => withAffinity(this.model, mpidrAffinity(i, gicVersion)));
    this.cpuBoard = {
      bus: this.bus,
      ram: { base: VIRT_RAM_BASE, size: this.ramSize },
      rom: flashBanks,
      engineSpace: VIRT_DEVICE_SPACE,
      updateLines: (cpu) => this.updateLines(cpu),
      hypervisorCall: (cpu) => (psciCall(cpu, this), true),
      secureMonitorCall: () => false,
    };
    const memory = new GuestMemory(true);
    if (options.multiThreaded) this.codeOwners = createCodeOwnerCounts();
    this.cpu = new SystemCpu(models, this.cpuBoard, {
      memory,
      ...(this.codeOwners && { codeOwners: sharedCodeOwners(memory, this.codeOwners) }),
    });
    if (options.ramFile) mapRamFile(this.cpu.memory, VIRT_RAM_BASE, this.ramSize, options.ramFile);
    for (let i = 0; i < this.smp.cpus; i++) gic.attachCpu(this.cpu.registersOf(i));
    this.flash = this.createFlash(flashBanks);
    for (const bank of this.flash) this.bus.map(bank.base, bank);
    this.uart = new Pl011(
      (level) => this.gic.setLine(GIC_SPI_BASE + VIRT_UART_SPI, level),
      (byte) => this.serial?.transmit(byte),
    );
    this.uart.onRxSpace = () => this.serial?.drain();
    this.bus.map(VIRT_UART.base, this.uart);
    this.bus.map(VIRT_RTC.base, new Pl031());
    const ramEnd = BigInt(VIRT_RAM_BASE + this.ramSize);
    this.guestRam = {
      bytes: (pa, length) =>
        pa >= BigInt(VIRT_RAM_BASE) && pa + BigInt(length) <= ramEnd
          ? this.cpu.memory.u8.subarray(Number(pa), Number(pa) + length)
          : undefined,
      write: (pa, data) => {
        this.thread?.memoryWritten(Number(pa), data.length);
        return this.cpu.writeMemory(pa, data, false);
      },
    };
    this.mapFwCfg();
    this.mapVirtioTransports();
    this.boot();
  }

  /** The flash banks, with their -drive if=pflash images (QEMU's checks: a whole bank; bank 0 not with -bios). */
  private createFlash(banks: readonly { base: number }[]): Pflash[] {
    const drives = this.options.pflash ?? [];
    if (this.options.bios !== undefined && drives[0])
      throw new MachineError(
        'The contents of the first flash device may be specified with -bios or with -drive if=pflash... ' +
          'but you cannot use both options at once',
      );
    return banks.map((bank, i) => {
      const image = drives[i];
      if (image && image.size !== VIRT_FLASH_GEOMETRY.size)
        throw new MachineError(
          `device requires ${VIRT_FLASH_GEOMETRY.size} bytes, block backend provides ${image.size} bytes`,
        );
      const hooks = {
        modeChanged: () => {
          this.cpu.forgetTranslations();
          this.thread?.translationsChanged();
        },
        contentsChanged: (offset: number, size: number) => {
          this.thread?.memoryWritten(bank.base + offset, size);
          this.cpu.romWritten(bank.base + offset, size);
        },
      };
      return new Pflash(this.cpu.memory, bank.base, VIRT_FLASH_GEOMETRY, hooks, image);
    });
  }

  /** Whether firmware boots the machine: -bios, or an image in the first flash bank (if=pflash,unit=0). */
  private get hasFirmware(): boolean {
    return this.options.bios !== undefined || this.options.pflash?.[0] !== undefined;
  }

  /** fw_cfg, with the kernel, initrd and command line for the firmware to load when there is firmware. */
  private mapFwCfg(): void {
    const { kernel, initrd, append } = this.options;
    const acpi = this.options.props.get('acpi') ?? 'auto';
    if (!['on', 'off', 'auto'].includes(acpi))
      throw new MachineError(`Parameter 'acpi' does not accept value '${acpi}'`);
    const fwCfg = virtFwCfg(this.guestRam, {
      ramSize: this.ramSize,
      smp: this.smp,
      version: VIRT_MACHINE.qemuName ?? VIRT_MACHINE.name,
      nographic: this.options.nographic ?? false,
      bootOrder: this.bootOrder(),
      ...(this.hasFirmware && {
        ...(kernel !== undefined && { kernel }),
        ...(initrd !== undefined && { initrd }),
        ...(append !== undefined && { append }),
      }),
    });
    this.bus.map(VIRT_FW_CFG.base, fwCfg);
  }

  /** The transport of the command line's device n: the n-th from the top. */
  private transportBase(n: number): number {
    return VIRT_MMIO.base + (VIRT_MMIO_COUNT - 1 - n) * VIRT_MMIO.size;
  }

  /** QEMU's firmware paths of the disks given a bootindex, in its order (`/virtio-mmio@ADDRESS/disk@0,0`). */
  private bootOrder(): string[] {
    return (this.options.virtio?.devices ?? [])
      .flatMap((spec, n) =>
        spec.model === 'virtio-blk-device' && spec.bootIndex !== undefined && spec.bootIndex >= 0
          ? [{ index: spec.bootIndex, path: `/virtio-mmio@${this.transportBase(n).toString(16).padStart(16, '0')}/disk@0,0` }]
          : [],
      )
      .sort((a, b) => a.index - b.index)
      .map((d) => d.path);
  }

  /** The transports, device n of the command line behind the transport n from the top. */
  private mapVirtioTransports(): void {
    const virtio = this.options.virtio ?? { devices: [], legacy: true };
    if (virtio.devices.length > VIRT_MMIO_COUNT)
      throw new MachineError(`too many virtio devices (-M virt has ${VIRT_MMIO_COUNT} virtio-mmio transports)`);
    const ram = this.guestRam;
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
      this.bus.map(this.transportBase(VIRT_MMIO_COUNT - 1 - i), new VirtioMmioTransport(device, virtio.legacy, ram, irq, report));
    }
  }

  /** The timers' outputs onto their PPIs, then the GIC's IRQ and FIQ signals onto CPU `cpu`'s lines. */
  private updateLines(cpu: number): void {
    this.sampleTimers();
    this.cpu.signalsOf(cpu).setLines(this.gic.irqAsserted(cpu), this.gic.fiqAsserted?.(cpu) ?? false);
  }

  /** Puts each CPU's timers' current outputs onto its PPIs (the counter read once for all). */
  private sampleTimers(): void {
    const now = counterNow();
    for (let cpu = 0; cpu < this.cpu.count; cpu++) {
      const timer = this.cpu.registersOf(cpu).timer;
      this.gic.setLine(GIC_PPI_BASE + TIMER_PPI.physical, timer.physical.output(now), cpu);
      this.gic.setLine(GIC_PPI_BASE + TIMER_PPI.virtual, timer.virtual.output(now), cpu);
    }
  }

  /** Power-on: devices and CPU reset, the kernel (re)loaded, the device tree built and placed. */
  private boot(): void {
    for (const device of this.bus.devices) device.reset();
    this.cpu.reset();
    const ram = { base: VIRT_RAM_BASE, size: this.ramSize };
    const { bios, kernel } = this.options;
    const image: BootImage | undefined =
      this.hasFirmware
        ? loadFirmware(this.flash[0]!, ram, bios)
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
    // As QEMU resets them: every CPU at a bare-metal program's entry (the secondaries stay off until
    // CPU_ON), only the boot CPU at a Linux kernel's.
    for (let i = 0; i < this.cpu.count; i++) {
      if (i === 0 || !image?.isLinux) this.cpu.registersOf(i).pc = BigInt(image?.entry ?? 0);
    }
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
        smp: this.smp,
        cpuAffinities: Array.from({ length: this.smp.cpus }, (_, i) => Number(mpidrAffinity(i, this.gicVersion))),
        cpuPlaces: Array.from({ length: this.smp.cpus }, (_, i) => cpuPlace(this.smp, i)),
        gicVersion: this.gicVersion,
        ...(this.options.append !== undefined && { bootargs: this.options.append }),
        ...(image?.initrd && { initrd: image.initrd }),
      }),
    );
  }

  /** The vCPUs and their host threads: each worker's with thread=multi, else the process's main thread. */
  cpus(): CpuInfoFast[] {
    return Array.from({ length: this.cpu.count }, (_, index) => {
      const place = cpuPlace(this.smp, index);
      return {
        'cpu-index': index,
        'qom-path': `/machine/unattached/device[${index}]`,
        'thread-id': this.thread?.threadId(index) ?? process.pid,
        target: 'aarch64',
        props: { 'core-id': place.core, 'thread-id': place.thread, 'socket-id': place.socket, 'cluster-id': place.cluster },
      };
    });
  }

  reset(): void {
    const thread = this.thread;
    if (!thread) {
      this.boot();
      this.kick();
      return;
    }
    // The vCPU's engine goes with its thread; a new one runs the machine after the reset.
    this.thread = undefined;
    void thread.end().then(() => {
      this.boot();
      this.startThread();
    });
  }

  /** With -accel tcg,thread=multi, each vCPU runs on a worker thread (docs/smp.md). */
  private startThread(): void {
    const running = this.host?.isRunning() ?? false;
    this.thread = new VcpuThreads(this.cpu, this.cpuBoard, this.bus, running, this.codeOwners!);
  }

  registersText(cpu = 0): string {
    return formatRegisters(this.cpu.registersOf(cpu), cpu);
  }

  readMemory(address: bigint, size: number, virtual: boolean, cpu = 0): bigint | undefined {
    return this.cpu.readMemory(address, size, virtual, cpu);
  }

  translateAddress(address: bigint, cpu = 0): bigint | undefined {
    return this.cpu.translateAddress(address, cpu);
  }

  commitDisks(): void {
    const drives = [
      ...(this.options.pflash ?? []).map((image, unit) => ({ id: `pflash${unit}`, image })),
      ...(this.options.virtio?.devices ?? []).flatMap((d) =>
        d.model === 'virtio-blk-device' ? [{ id: d.drive.id, image: d.drive.image }] : [],
      ),
    ];
    for (const { id, image } of drives) {
      try {
        image?.commit();
      } catch (e) {
        process.stderr.write(`tsemu-system: commit of drive '${id}' failed: ${(e as Error).message}
`);
      }
    }
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
    if (this.options.multiThreaded) this.startThread();
    this.kick();
  }

  cpusStopped(): Promise<void> {
    // A cont from another monitor may have come first: the workers then run on.
    return this.thread && !(this.host?.isRunning() ?? false) ? this.thread.stop() : Promise.resolve();
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
    if (this.thread) {
      // The workers run the CPUs: they hear of the run state and of the GIC's changes (a waiting
      // CPU wakes when its lines change).
      this.thread.setRunning(this.host?.isRunning() ?? false);
      this.thread.updateLines(this.cpuBoard);
      return;
    }
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
    this.cpu.powerOffAll();
    this.host?.shutdown('guest-shutdown');
  }
  systemReset(): void {
    // Nothing more runs until the reset has happened (on the main loop, after this slice).
    this.cpu.powerOffAll();
    this.host?.reset('guest-reset');
  }
  cpuOff(): void {
    this.cpu.powerOff();
  }
  cpuSuspend(): void {
    this.cpu.waitForInterrupt();
  }
  cpuByAffinity(affinity: bigint): number | undefined {
    for (let i = 0; i < this.cpu.count; i++) if (mpidrAffinity(i, this.gicVersion) === affinity) return i;
    return undefined;
  }
  cpuIsOff(index: number): boolean {
    return this.cpu.statusOf(index) === 'off';
  }
  cpuOn(index: number, entry: bigint, contextId: bigint): void {
    this.cpu.powerOn(index, entry, contextId);
    this.thread?.started(index);
  }
}

export const VIRT_MACHINE: MachineClass = {
  name: 'virt',
  description: 'QEMU Virtual Machine (AArch64: Cortex-A57s, GICv2 or v3, PL011, PL031, PSCI, virtio-mmio)',
  isDefault: false,
  cpuMax: 512,
  qemuName: 'virt-7.2',
  defaultCpu: DEFAULT_CPU,
  defaultRamId: 'mach-virt.ram',
  smpClusters: true,
  hasSerial: true,
  parallelPort: true,
  virtioMmio: true,
  props: ['dumpdtb', 'gic-version', 'acpi'],
  deviceTypes: ['pl011', 'pl031', 'virtio-mmio', 'cfi.pflash01', 'arm_gic', 'arm-gicv3', 'fw_cfg_mem'],
  pflashUnits: VIRT_FLASH_BANKS,
  flashPath: '/machine/virt.flash',
  create: (options) => new VirtMachine(options),
};
