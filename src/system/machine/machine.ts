/** What a machine type is and what the monitor can ask of a created machine. */

/** One CPU as query-cpus-fast reports it. */
export interface CpuInfoFast {
  'cpu-index': number;
  'qom-path': string;
  'thread-id': number;
  target: string;
  'props'?: Record<string, number>;
}

export interface Machine {
  cpus(): CpuInfoFast[];
  /** Puts the machine back in its power-on state (system_reset). */
  reset(): void;
}

export interface MachineClass {
  name: string;
  description: string;
  isDefault: boolean;
  cpuMax: number;
  /** Whether the board has UARTs for -serial (QEMU's `no_serial` inverted). */
  hasSerial: boolean;
  create(): Machine;
}
