/**
 * The contents of each start-up snapshot (bundle-files.ts, SNAPSHOTS), each loaded only by the
 * build of its own snapshot, so that it holds no other target's modules.
 */
import type { SnapshotName } from '../bundle-files';
import type { SnapshotSet } from './snapshot-set';

/* eslint-disable @typescript-eslint/no-require-imports */
export const SNAPSHOT_SETS: Readonly<Record<SnapshotName, () => SnapshotSet>> = {
  aarch64: () => (require('./aarch64') as typeof import('./aarch64')).SET,
  arm: () => (require('./arm') as typeof import('./arm')).SET,
  ppc64: () => (require('./ppc64') as typeof import('./ppc64')).SET,
};
/* eslint-enable @typescript-eslint/no-require-imports */
