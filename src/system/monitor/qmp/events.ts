/** The events tsemu emits (src/system/run-state.ts) and the type of their data, for query-qmp-schema. */
import { SHUTDOWN_CAUSES } from '../../run-state';
import type { EventType } from './introspection';
import { EMPTY, obj, required } from './schema';

const CAUSED = obj({ guest: required('bool'), reason: required({ enum: SHUTDOWN_CAUSES }) });

export const QMP_EVENTS: readonly EventType[] = [
  { name: 'SHUTDOWN', data: CAUSED },
  { name: 'POWERDOWN', data: EMPTY },
  { name: 'RESET', data: CAUSED },
  { name: 'STOP', data: EMPTY },
  { name: 'RESUME', data: EMPTY },
];
