/**
 * tsemu's binaries by name (bin/<name>), each the main function of one CLI module. The entry of
 * tsemu's bundle (src/cli/bundle.ts) and, when the bundle is out of date, of dist/ as tsc wrote it
 * (src/cli/start.ts).
 */
import { setInstallRoot } from '../install-root';
import './js-tiering';

/* eslint-disable @typescript-eslint/no-require-imports */
// Required on demand: a binary loads only its own CLI.
const user = (): typeof import('./user') => require('./user') as typeof import('./user');
const system = (): typeof import('./tsemu-system') => require('./tsemu-system') as typeof import('./tsemu-system');
const binfmt = (): typeof import('./tsemu-binfmt') => require('./tsemu-binfmt') as typeof import('./tsemu-binfmt');
/* eslint-enable @typescript-eslint/no-require-imports */

const ENTRIES: Readonly<Record<string, () => void>> = {
  'tsemu-aarch64': () => user().main('aarch64'),
  'tsemu-arm': () => user().main('arm'),
  'tsemu-ppc64': () => user().main('ppc64'),
  'tsemu-ppc64le': () => user().main('ppc64le'),
  'tsemu-system': () => system().main(),
  'tsemu-system-aarch64': () => system().main(),
  'tsemu-binfmt': () => binfmt().main(),
};

export function isEntry(name: string): boolean {
  return Object.hasOwn(ENTRIES, name);
}

/** Runs binary `name` of the tsemu installed in `root`. */
export function runEntry(name: string, root: string): void {
  const entry = ENTRIES[name];
  if (!entry) {
    process.stderr.write(`tsemu: no binary named ${name} (known: ${Object.keys(ENTRIES).join(', ')})\n`);
    process.exit(1);
  }
  setInstallRoot(root);
  entry();
}
