/**
 * Vitest global setup: makes sure the TypeScript build in dist/ is current before any test spawns
 * the tsemu binaries.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.join(__dirname, '..', '..');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
}
