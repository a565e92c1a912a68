/**
 * Vitest global setup: makes sure the TypeScript build in dist/, and the bundle and start-up
 * snapshot made from it, are current before any test spawns the tsemu binaries, and that the guest
 * test programs are built for every target.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildGuestPrograms } from '../guest/build';
import { AARCH64 } from '../lib/targets';

export default async function setup(): Promise<void> {
  const root = path.join(__dirname, '..', '..');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['tools/build-bundle.mjs'], { cwd: root, stdio: 'inherit' });
  const built = await buildGuestPrograms(AARCH64);
  if (built.length > 0) console.log(`guest programs built for ${AARCH64.name}: ${built.join(' ')}`);
}
