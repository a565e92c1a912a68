/**
 * What an entry script (bin/js/<name>) runs when the native launcher bin/<name> starts Node on it
 * without the start-up snapshot (native/launcher/launcher.c uses the snapshot whenever it can):
 * the bundle, one file that loads without Node's module resolution, while it is current
 * (src/cli/bundle-files.ts), otherwise the modules in dist/ as tsc wrote them.
 */
import path from 'node:path';
import { BUILD_REFERENCE, BUNDLE, isCurrent } from './bundle-files';

/** Runs the binary that entry script `script` names. */
export function startScript(script: string): void {
  const root = path.resolve(__dirname, '..', '..');
  const bundle = path.join(root, BUNDLE);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entries = (isCurrent(bundle, path.join(root, BUILD_REFERENCE)) ? require(bundle) : require('./entries')) as typeof import('./entries');
  entries.runEntry(path.basename(script), root);
}
