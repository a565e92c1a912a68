/**
 * Runs one host command to completion with a bounded time, capturing everything the tests
 * compare: stdout and stderr bytes, the exit status or the signal that killed the process.
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  /** Exit status, or null when a signal ended the process. */
  status: number | null;
  /** Name of the signal that ended the process ('SIGSEGV'), or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the run hit its time limit and was killed. */
  timedOut: boolean;
  /** Wall-clock time in milliseconds. */
  elapsedMs: number;
}

export interface RunOptions {
  args?: readonly string[];
  cwd?: string;
  /** The complete environment of the child (nothing is inherited). */
  env?: Record<string, string>;
  /** Bytes written to the child's stdin (stdin is closed after them; empty when absent). */
  input?: string | Buffer;
  timeoutMs?: number;
}

/** A process started by startProcess: its result, and what its stderr has printed so far. */
export interface StartedProcess {
  /** Resolves when the process has exited; never rejects for a failing child. */
  readonly result: Promise<RunResult>;
  /**
   * Resolves with the first match of `pattern` in the stderr printed so far or later (a server's
   * "Listening on ... PORT"); rejects when the process exits without printing it.
   */
  stderrMatch(pattern: RegExp): Promise<RegExpMatchArray>;
}

/** Spawns `command` and resolves when it has exited; never rejects for a failing child. */
export function runProcess(command: string, options: RunOptions = {}): Promise<RunResult> {
  return startProcess(command, options).result;
}

/** Spawns `command` and returns at once; the caller may wait for its stderr, then for its end. */
export function startProcess(command: string, options: RunOptions = {}): StartedProcess {
  const started = performance.now();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stderrWaiters: (() => void)[] = [];
  const result = new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, options.args ?? [], {
      cwd: options.cwd,
      env: options.env ?? {},
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err.push(b);
      for (const wake of stderrWaiters) wake();
    });
    // A child that exits without reading its input closes the pipe under us: not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1'),
        timedOut,
        elapsedMs: performance.now() - started,
      });
    });
  });
  const stderrMatch = (pattern: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = Buffer.concat(err).toString('latin1').match(pattern);
        if (match) resolve(match);
        return match !== null;
      };
      if (check()) return;
      stderrWaiters.push(check);
      result.then(
        (r) => { if (!check()) reject(new Error(`exited (${r.status ?? r.signal}) without printing ${pattern}:\n${r.stderr}`)); },
        reject,
      );
    });
  return { result, stderrMatch };
}
