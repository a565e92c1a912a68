/**
 * query-migrate (`{}`: no migration has run), query-migrate-capabilities and migrate-set-capabilities. tsemu cannot migrate a machine; the one
 * capability it has is `events` (MIGRATION events while migrating), which it can honour trivially
 * since no migration ever starts. Management applications need the two commands: libvirt asks for the
 * list when it probes an emulator and turns `events` on when it starts a guest.
 */
import type { QmpCommand } from '../command';
import { EMPTY, obj, required } from '../schema';

const CAPABILITY = { enum: ['events'] };
const CAPABILITY_STATUS = obj({ capability: required(CAPABILITY), state: required('bool') });

export const MIGRATION_COMMANDS: QmpCommand[] = [
  { name: 'query-migrate', params: {}, returns: EMPTY, run: () => ({}) },
  {
    name: 'query-migrate-capabilities',
    params: {},
    returns: { array: CAPABILITY_STATUS },
    run: ({ emulator }) =>
      [...emulator.migrationCapabilities].map(([capability, state]) => ({ capability, state })),
  },
  {
    name: 'migrate-set-capabilities',
    params: { capabilities: required({ array: CAPABILITY_STATUS }) },
    returns: EMPTY,
    run: ({ emulator }, args) => {
      for (const { capability, state } of args['capabilities'] as { capability: string; state: boolean }[])
        emulator.migrationCapabilities.set(capability, state);
      return {};
    },
  },
];
