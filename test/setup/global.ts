/**
 * Vitest global setup: makes sure the TypeScript build in dist/, and the bundle and start-up
 * snapshot made from it, are current before any test spawns the tsemu binaries, and that the guest
 * test programs are built for every target.
 *
 * scripts/test.mjs (`npm test`) runs two vitest processes: the first builds and then creates the
 * file TSEMU_TEST_BUILT_SIGNAL names; the second starts after that with TSEMU_TEST_PREBUILT=1 and
 * builds nothing, so neither rewrites what the other's tests are running.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildGuestPrograms } from '../guest/build';
import { AARCH64 } from '../lib/targets';

export default async function setup(): Promise<void> {
  const prebuilt = process.env.TSEMU_TEST_PREBUILT === '1';
  const signal = process.env.TSEMU_TEST_BUILT_SIGNAL;
  // Not for the tests' processes: the guests' environments are compared with qemu's.
  delete process.env.TSEMU_TEST_PREBUILT;
  delete process.env.TSEMU_TEST_BUILT_SIGNAL;
  if (prebuilt) return;
  const root = path.join(__dirname, '..', '..');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['tools/build-bundle.mjs'], { cwd: root, stdio: 'inherit' });
  const built = await buildGuestPrograms(AARCH64);
  if (built.length > 0) console.log(`guest programs built for ${AARCH64.name}: ${built.join(' ')}`);
  if (signal) writeFileSync(signal, '');
}
