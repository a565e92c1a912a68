/**
 * Where tsemu is installed: the directory that holds bin/, dist/ and build/ (the addon and the
 * native launcher). Found from this module's place in dist/ or src/; tsemu's bundle and its
 * start-up snapshot (dist/bundle/, tools/build-bundle.mjs) were built elsewhere and lie one level
 * deeper, so their entry (src/cli/entries.ts) sets it from the entry script that started it.
 */
import path from 'node:path';

/**
 * The output of tsc whose modification time identifies a build: tsc rewrites every output on each
 * build, and the bundle, the start-up snapshot and translation caches are only as current as it.
 */
export const BUILD_REFERENCE = path.join('dist', 'version.js');

/**
 * Where the scripts Node runs for tsemu's binaries lie: bin/<name> is the native launcher
 * (native/launcher/launcher.c, which says the same), and it starts Node on bin/js/<name>.
 */
export const ENTRY_SCRIPTS = path.join('bin', 'js');

/** The install root that holds entry script `script`. */
export function rootOfEntryScript(script: string): string {
  return path.resolve(path.dirname(script), '..', '..');
}

let root = path.resolve(__dirname, '..');

export function installRoot(): string {
  return root;
}

export function setInstallRoot(dir: string): void {
  root = dir;
}
