/** `-M none`: QEMU's empty machine, with no CPU, no memory and no devices; only the monitor runs. */
import type { MachineClass } from './machine';

export const NONE_MACHINE: MachineClass = {
  name: 'none',
  description: 'empty machine',
  isDefault: false,
  cpuMax: 1,
  hasSerial: false,
  defaultRamId: 'ram',
  create: () => ({
    cpus: () => [],
    reset: () => undefined,
  }),
};
