/**
 * Differential running: the same guest program, arguments, environment, stdin and starting
 * directory contents under tsemu and under QEMU (the oracle), then assertions that both behaved
 * the same way. Each run gets its own fresh temporary working directory, so programs that
 * create files use relative paths and never see each other's output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { runProcess, type RunResult } from './run-process';
import { tsemuBinary, type GuestTarget } from './targets';

export interface GuestRun {
  /** Host path of the guest executable. */
  program: string;
  /** Guest arguments (after the program). */
  args?: readonly string[];
  /** Emulator options placed before the program (`-E`, `-U`, `-0`, ...); same spelling for both. */
  emulatorArgs?: readonly string[];
  /** Extra guest environment variables on top of guestEnvironment(). */
  env?: Record<string, string>;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Several runs in sequence in one working directory (later steps see earlier steps' files). */
export interface GuestSession {
  /** Populates the fresh working directory before the first step (fixture files). */
  prepare?: (dir: string) => Promise<void> | void;
  steps: readonly GuestRun[];
}

export interface BothResults {
  tsemu: RunResult;
  qemu: RunResult;
}

/**
 * The environment both emulators start with (and pass on to the guest): small and fixed so the
 * guest sees the same strings under both. PATH holds the directory of this node binary because
 * the tsemu launcher is a node script.
 */
export function guestEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC0',
    HOME: '/nonexistent',
    TSEMU_TEST_VAR: 'a value with spaces = and symbols $x',
    ...extra,
  };
}

async function runSession(emulator: string, session: GuestSession, defaultTimeoutMs: number): Promise<RunResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tsemu-e2e-'));
  try {
    await session.prepare?.(dir);
    const results: RunResult[] = [];
    for (const run of session.steps) {
      results.push(
        await runProcess(emulator, {
          args: [...(run.emulatorArgs ?? []), run.program, ...(run.args ?? [])],
          cwd: dir,
          env: guestEnvironment(run.env),
          input: run.input,
          timeoutMs: run.timeoutMs ?? defaultTimeoutMs,
        }),
      );
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a session under tsemu and under the target's QEMU (the two concurrently); results per step. */
export async function runSessionUnderBoth(target: GuestTarget, session: GuestSession): Promise<BothResults[]> {
  const [tsemu, qemu] = await Promise.all([
    runSession(tsemuBinary(target), session, 90_000),
    runSession(target.qemu, session, 30_000),
  ]);
  return tsemu.map((t, i) => ({ tsemu: t, qemu: qemu[i]! }));
}

/** Runs one guest program under tsemu and under the target's QEMU, each in a fresh directory. */
export async function runUnderBoth(target: GuestTarget, run: GuestRun): Promise<BothResults> {
  const [only] = await runSessionUnderBoth(target, { steps: [run] });
  return only!;
}

/** How the process must end under the oracle (guards against two identical failures passing). */
export type Ending = { status: number } | { signal: NodeJS.Signals };

function ending(r: RunResult): Ending {
  return r.signal !== null ? { signal: r.signal } : { status: r.status ?? -1 };
}

/** Asserts that QEMU ended the way the test expects, so the comparison means something. */
export function expectOracleEnding(qemu: RunResult, expected: Ending): void {
  expect(qemu.timedOut, 'qemu timed out').toBe(false);
  expect(ending(qemu), `qemu ended unexpectedly; stderr:\n${qemu.stderr}`).toEqual(expected);
}

/**
 * Asserts tsemu behaved as QEMU did: same ending, same stdout, and the same stderr when asked
 * (stderr is left out where QEMU writes its own messages, e.g. on death by a signal).
 */
export function expectSameBehaviour(results: BothResults, compareStderr: boolean): void {
  const { tsemu, qemu } = results;
  expect(tsemu.timedOut, `tsemu timed out after ${Math.round(tsemu.elapsedMs)} ms`).toBe(false);
  expect(tsemu.stdout, `stdout differs; tsemu stderr:\n${tsemu.stderr.slice(0, 4000)}`).toBe(qemu.stdout);
  if (compareStderr) expect(tsemu.stderr, 'stderr differs').toBe(qemu.stderr);
  expect(ending(tsemu), `ending differs; tsemu stderr:\n${tsemu.stderr.slice(0, 4000)}`).toEqual(ending(qemu));
}
