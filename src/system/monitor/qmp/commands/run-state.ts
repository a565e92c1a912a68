/** Run-state commands: query-status, stop, cont, system_reset, system_powerdown, quit. */
import { RUN_STATUSES } from '../../../run-state';
import type { QmpCommand } from '../command';
import { EMPTY, obj, required } from '../schema';

const STATUS_INFO = obj({ running: required('bool'), singlestep: required('bool'), status: required({ enum: RUN_STATUSES }) });

export const RUN_STATE_COMMANDS: QmpCommand[] = [
  {
    name: 'query-status',
    params: {},
    returns: STATUS_INFO,
    run: ({ emulator }) => ({ status: emulator.runState.status, singlestep: false, running: emulator.runState.running }),
  },
  { name: 'stop', params: {}, returns: EMPTY, run: async ({ emulator }) => (await emulator.stop(), {}) },
  { name: 'cont', params: {}, returns: EMPTY, run: ({ emulator }) => (emulator.runState.contFromMonitor(), {}) },
  // These wait for the main loop to carry the request out: its event comes before the reply, as in QEMU.
  { name: 'system_reset', params: {}, returns: EMPTY, run: async ({ emulator }) => (await emulator.reset('host-qmp-system-reset'), {}) },
  { name: 'system_powerdown', params: {}, returns: EMPTY, run: async ({ emulator }) => (await emulator.powerdown(), {}) },
  { name: 'quit', params: {}, returns: EMPTY, run: async ({ emulator }) => (await emulator.quit('host-qmp-quit'), {}) },
];
