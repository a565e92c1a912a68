import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Vitest runs one file at a time on two CPUs (its default: one worker fewer than the CPUs), and
    // each pool on its own: the binfmt kernel test, whose Debian second stage takes 20 to 35
    // minutes (short processes, dpkg and dash often waiting on their children; docs/binfmt.md),
    // runs beside the rest in a second pool instead of after it. Files sharing
    // caches take turns (scripts/fetch-deb.sh holds a lock; guest programs are built into private
    // directories).
    // Vitest 3 calls poolMatchGlobs deprecated in favour of projects, but two projects would run
    // the global setup (tsc, bundle, guest builds) twice.
    poolMatchGlobs: [['**/test/binfmt/kernel.test.ts', 'threads']],
  },
});
