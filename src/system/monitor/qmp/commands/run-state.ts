/** Run-state commands: query-status, stop, cont, system_reset, system_powerdown, quit. */
import type { QmpCommand } from '../command';

export const RUN_STATE_COMMANDS: QmpCommand[] = [
  {
    name: 'query-status',
    params: {},
    run: ({ emulator }) => ({ status: emulator.runState.status, singlestep: false, running: emulator.runState.running }),
  },
  { name: 'stop', params: {}, run: ({ emulator }) => (emulator.runState.stop(), {}) },
  { name: 'cont', params: {}, run: ({ emulator }) => (emulator.runState.cont(), {}) },
  { name: 'system_reset', params: {}, run: ({ emulator }) => (emulator.reset('host-qmp-system-reset'), {}) },
  { name: 'system_powerdown', params: {}, run: ({ emulator }) => (emulator.powerdown(), {}) },
  { name: 'quit', params: {}, run: ({ emulator }) => (emulator.quit('host-qmp-quit'), {}) },
];
