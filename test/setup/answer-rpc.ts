/**
 * Run in every test file (vitest's setupFiles): after each test, lets the worker's event loop through
 * a poll phase (two setImmediate turns: one queued in the check phase runs only on the next loop), so
 * it answers vitest's RPC in time. Many tests run programs or translate code synchronously; a file's
 * chain of them, with nothing but microtasks between tests, blocked the worker past vitest's fixed
 * 60 s deadline on a loaded machine ("Timeout calling onTaskUpdate", an error that fails the run with
 * every test passed: test/aarch64-int/exec.test.ts alone, beside two Debian second stages).
 */
import { afterEach } from 'vitest';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(async () => {
  await turn();
  await turn();
});
