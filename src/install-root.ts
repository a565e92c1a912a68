/**
 * Where tsemu is installed: the directory that holds bin/, dist/ and build/ (the addon and the
 * binfmt launcher). Found from this module's place in dist/ or src/; tsemu's bundle and its
 * start-up snapshot (dist/bundle/, tools/build-bundle.mjs) were built elsewhere and lie one level
 * deeper, so their entry (src/cli/entries.ts) sets it from the bin/ script that started it.
 */
import path from 'node:path';

/**
 * The output of tsc whose modification time identifies a build: tsc rewrites every output on each
 * build, and the bundle, the start-up snapshot and translation caches are only as current as it.
 */
export const BUILD_REFERENCE = path.join('dist', 'version.js');

let root = path.resolve(__dirname, '..');

export function installRoot(): string {
  return root;
}

export function setInstallRoot(dir: string): void {
  root = dir;
}
