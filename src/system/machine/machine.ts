/** What a machine type is and what the monitor can ask of a created machine. */
import type { Chardev } from '../chardev/chardev';
import type { SystemCpu } from '../cpu/system-cpu';
import type { VirtioConfig } from '../devices/virtio/models';
import type { RawImage } from '../devices/virtio/raw-image';
import type { ShutdownCause } from '../run-state';

/** One CPU as query-cpus-fast reports it. */
export interface CpuInfoFast {
  'cpu-index': number;
  'qom-path': string;
  'thread-id': number;
  target: string;
  props?: Record<string, number>;
}

/** The CPU topology (-smp): `cpus` CPUs present, of `maxcpus` sockets * clusters * cores * threads. */
export interface SmpTopology {
  cpus: number;
  maxcpus: number;
  sockets: number;
  clusters: number;
  cores: number;
  threads: number;
}

/** Board configuration from the command line (-m, -cpu, -kernel, -machine PROP=VALUE, ...). */
export interface MachineOptions {
  /** Guest RAM in bytes (-m); undefined: the board's default. */
  ramSize?: number;
  /** The host file holding the guest RAM (-machine memory-backend= a memory-backend-file); mapped shared or private. */
  ramFile?: { path: string; share: boolean };
  /** -cpu model name; undefined: the board's default. */
  cpu?: string;
  kernel?: string;
  /** -bios: firmware for the board's boot flash. */
  bios?: string;
  initrd?: string;
  append?: string;
  /** -dtb: a device tree blob to pass instead of the generated one. */
  dtb?: string;
  /** -nographic (firmware can read it in QEMU's fw_cfg). */
  nographic?: boolean;
  /** -machine properties other than type and accel (e.g. dumpdtb). */
  props: ReadonlyMap<string, string>;
  /** -smp; undefined: one CPU. */
  smp?: SmpTopology;
  /** -accel tcg,thread=multi: a vCPU on a host thread of its own (docs/smp.md). */
  multiThreaded?: boolean;
  /** -device/-drive virtio devices and -global virtio-mmio.force-legacy (boards with virtio-mmio). */
  virtio?: VirtioConfig;
  /** -drive if=pflash images, by unit (boards with flash). */
  pflash?: readonly (RawImage | undefined)[];
}

/** What a running machine may ask of the emulator around it. */
export interface MachineHost {
  /**
   * The chardev serial port `index` is connected to (-serial, -nographic), if any; `escapes` when
   * it is -nographic's stdio, which takes QEMU's Ctrl-A commands.
   */
  serialChardev(index: number): Chardev | undefined;
  /** The chardev with this id (-chardev id=...), if there is one (virtio-serial ports). */
  chardev(id: string): Chardev | undefined;
  /** Whether the VM is running (not stopped by -S or the monitor). */
  isRunning(): boolean;
  /** Calls `listener` whenever the run state may have changed (stop, cont). */
  onRunStateChange(listener: () => void): void;
  /** The guest asked to power off: QEMU's shutdown, ending the process with status 0. */
  shutdown(cause: ShutdownCause): void;
  /** The guest asked to reboot. */
  reset(cause: ShutdownCause): void;
}

export interface Machine {
  cpus(): CpuInfoFast[];
  /** Guest RAM in bytes, if the machine has RAM (query-memdev). */
  readonly ramSize?: number;
  /** Puts the machine back in its power-on state (system_reset). */
  reset(): void;
  /** Starts executing (machines with CPUs); runs while the host says the VM is running. */
  start?(host: MachineHost): void;
  /**
   * Settles once no CPU runs guest code, the run state being stopped (QEMU's stop returns after
   * every vCPU has paused); without it, CPUs stop as the run state does.
   */
  cpusStopped?(): Promise<void>;
  /** The `info registers` text of CPU `cpu` (default 0), if the machine has CPUs. */
  registersText?(cpu?: number): string;
  /**
   * Reads `size` (1, 2, 4 or 8) bytes of guest memory, little-endian, at a physical address or a
   * virtual one (translated as CPU `cpu`, default 0, would); undefined if nothing is there (HMP x/xp).
   */
  readMemory?(address: bigint, size: number, virtual: boolean, cpu?: number): bigint | undefined;
  /** The physical address of a virtual one as CPU `cpu` (default 0) translates it; undefined if unmapped (HMP gva2gpa). */
  translateAddress?(address: bigint, cpu?: number): bigint | undefined;
  /** Writes the guest's writes to -snapshot drives back to their image files (QEMU's commit, `C-a s`). */
  commitDisks?(): void;
  /** The CPU gdb debugs (-s, -gdb), if the machine has one. */
  debugCpu?(): SystemCpu;
}

/** A refusal at machine creation (bad -m, unknown -cpu, unloadable kernel), reported as is. */
export class MachineError extends Error {}

export interface MachineClass {
  name: string;
  description: string;
  isDefault: boolean;
  /** The most CPUs -smp may ask for (QEMU's max_cpus; the board may allow fewer in a configuration). */
  cpuMax: number;
  /** The name QEMU's messages give the machine when `name` is an alias (virt is virt-7.2); -M takes both. */
  qemuName?: string;
  /** The -cpu model used when none is given, if the machine has CPUs. */
  defaultCpu?: string;
  /** The id of the memory backend holding guest RAM (QEMU's default-ram-id). */
  defaultRamId?: string;
  /** Whether -smp may split sockets into clusters. */
  smpClusters?: boolean;
  /** Whether the board has UARTs for -serial (QEMU's `no_serial` inverted). */
  hasSerial: boolean;
  /**
   * Whether QEMU gives the board a default parallel port (its `no_parallel` inverted: virt has no
   * port but QEMU still counts the default one, which makes -nographic clash with -daemonize).
   */
  parallelPort?: boolean;
  /** Whether the board has virtio-mmio transports for -device virtio-*-device. */
  virtioMmio?: boolean;
  /** How many flash banks -drive if=pflash may fill (units 0 to pflashUnits - 1). */
  pflashUnits?: number;
  /** The QOM path of flash bank N is this followed by N (query-block: /machine/virt.flash0). */
  flashPath?: string;
  /** The QOM types of the board's built-in devices, in QEMU's names (qom-list-types). */
  deviceTypes?: readonly string[];
  /** -machine properties the board accepts beyond type and accel. */
  props?: readonly string[];
  create(options: MachineOptions): Machine;
}
