/**
 * Leaving the emulator: the guest's exit status, or death by its signal. The process ends through
 * _exit, never through Node's exit path, which joins V8's helper threads — threads a forked guest
 * child does not have. Guest output is always written synchronously, so nothing is pending; what
 * tsemu itself reports at exit (-d stats) registers with atGuestExit; what must also be done when
 * an execve replaces the process (saving the translation cache), with beforeGuestExec as well.
 */
import { native } from '../native';

const exitHooks: (() => void)[] = [];

/** Runs `hook` when the guest process ends (once, in the process that ends). */
export function atGuestExit(hook: () => void): void {
  exitHooks.push(hook);
}

const execHooks: (() => void)[] = [];

/** Runs `hook` before each guest execve replaces the process (each attempt: an execve may fail). */
export function beforeGuestExec(hook: () => void): void {
  execHooks.push(hook);
}

/** Called by execve just before the process image is replaced. */
export function runExecHooks(): void {
  for (const hook of execHooks) hook();
}

function runExitHooks(): void {
  for (const hook of exitHooks.splice(0)) hook();
}

/** Ends the process with exit status `status`. */
export function leaveWithStatus(status: number): never {
  runExitHooks();
  return native().exitNow(status);
}

/** Ends the process killed by host signal `signal`. */
export function leaveWithSignal(signal: number): never {
  runExitHooks();
  return native().dieWithSignal(signal);
}
