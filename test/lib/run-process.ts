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

/** Spawns `command` and resolves when it has exited; never rejects for a failing child. */
export function runProcess(command: string, options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, options.args ?? [], {
      cwd: options.cwd,
      env: options.env ?? {},
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
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
}
