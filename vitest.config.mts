import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/answer-rpc.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Vitest runs one file at a time on two CPUs (its default: one worker fewer than the CPUs). The
    // binfmt kernel test (Debian's second stage: 20 to 35 minutes alone, docs/binfmt.md) ran beside
    // the rest in a pool of its own until a slower machine showed the cost: each slowed the other
    // past 50 minutes, the stage missed its limit, and workers missed vitest's 60 s RPC deadline
    // ("Timeout calling onTaskUpdate", an error that fails the run with every test passed). One
    // file after another takes about as long there and fails neither way.
  },
});
