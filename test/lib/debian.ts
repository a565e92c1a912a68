/**
 * Real Debian binaries for foreign architectures, fetched at test time (never committed) by
 * scripts/fetch-deb.sh into .cache/debs/<arch>/<package>/ and reused by later runs.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './targets';

const execFileAsync = promisify(execFile);

/** Downloads (once) and extracts a Debian package; returns the directory it was extracted into. */
export async function fetchDebianPackage(debArch: string, pkg: string): Promise<string> {
  return fetchDebianPackageInto(debArch, pkg, path.join(REPO_ROOT, '.cache', 'debs', debArch, pkg));
}

/** Downloads (once) and extracts a Debian package into `dest`, which several packages may share (a sysroot). */
export async function fetchDebianPackageInto(debArch: string, pkg: string, dest: string): Promise<string> {
  try {
    await execFileAsync(path.join(REPO_ROOT, 'scripts', 'fetch-deb.sh'), [debArch, pkg, dest], {
      timeout: 300_000,
    });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? '';
    throw new Error(`scripts/fetch-deb.sh ${debArch} ${pkg} failed:\n${stderr}`);
  }
  return dest;
}
