/**
 * query-migrate-capabilities: tsemu cannot migrate a machine, so it has no migration capability
 * to report or set (QEMU lists each of its capabilities with its state). Management applications
 * (libvirt's capability probe) ask for the list and need an answer.
 */
import type { QmpCommand } from '../command';
import { obj, required } from '../schema';

export const MIGRATION_COMMANDS: QmpCommand[] = [
  {
    name: 'query-migrate-capabilities',
    params: {},
    returns: { array: obj({ capability: required({ enum: [] }), state: required('bool') }) },
    run: () => [],
  },
];
