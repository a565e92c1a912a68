/**
 * Work a module does once per process when it is loaded: recording the state tsemu was started in,
 * setting V8 flags. Under tsemu's start-up snapshot (tools/build-bundle.mjs) modules are loaded
 * while the snapshot is built, in another process whose state is not saved with the heap, so such
 * work is put off until each process that starts from the snapshot deserialises it (before its main
 * function runs).
 */
import v8 from 'node:v8';

/** Runs `work` now, or when building a start-up snapshot, in every process started from it. */
export function atProcessStart(work: () => void): void {
  if (v8.startupSnapshot.isBuildingSnapshot()) v8.startupSnapshot.addDeserializeCallback(work);
  else work();
}
