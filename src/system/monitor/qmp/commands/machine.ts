/** Machine queries: query-cpus-fast, query-machines. */
import { MACHINES } from '../../../machine/registry';
import type { QmpCommand } from '../command';

export const MACHINE_COMMANDS: QmpCommand[] = [
  { name: 'query-cpus-fast', params: {}, run: ({ emulator }) => emulator.machine.cpus() },
  {
    name: 'query-machines',
    params: {},
    run: () =>
      MACHINES.map((m) => ({
        name: m.name,
        ...(m.isDefault ? { 'is-default': true } : {}),
        'cpu-max': m.cpuMax,
        'hotpluggable-cpus': false,
        'numa-mem-supported': false,
        deprecated: false,
      })),
  },
];
