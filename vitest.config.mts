import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/answer-rpc.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Vitest runs one file at a time on two CPUs (its default: one worker fewer than the CPUs).
    // `npm test` (scripts/test.mjs) runs the binfmt kernel test (Debian's second stage: 20 to 35
    // minutes alone, docs/binfmt.md) in a vitest process of its own beside this one, so each
    // process keeps one worker: two workers in one process once failed runs with every test passed
    // ("Timeout calling onTaskUpdate", a worker missing vitest's 60 s RPC deadline).
  },
});
