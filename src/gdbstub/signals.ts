/**
 * gdb's own signal numbers (include/gdb/signals.def), which the remote protocol uses in stop and
 * exit replies and in C/S packets; they follow historic Unix, not Linux on any one architecture.
 */
import os from 'node:os';

type SignalName = keyof typeof os.constants.signals;

const GDB_SIGNALS: Partial<Record<SignalName, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGFPE: 8, SIGKILL: 9,
  SIGBUS: 10, SIGSEGV: 11, SIGSYS: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGURG: 16,
  SIGSTOP: 17, SIGTSTP: 18, SIGCONT: 19, SIGCHLD: 20, SIGTTIN: 21, SIGTTOU: 22, SIGIO: 23,
  SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGUSR1: 30, SIGUSR2: 31,
  SIGPWR: 32,
};

/** gdb's number for a host signal number (host and guest Linux agree on these names). */
export function gdbSignalOfHost(hostSignal: number): number {
  for (const [name, num] of Object.entries(os.constants.signals)) {
    if (num === hostSignal) return GDB_SIGNALS[name as SignalName] ?? 143; // GDB_SIGNAL_UNKNOWN
  }
  return 143;
}

export function gdbSignal(name: SignalName): number {
  return GDB_SIGNALS[name] ?? 143;
}

/** The host signal for gdb's number (C/S packets), or 0 for none/unknown. */
export function hostSignalOfGdb(gdbNumber: number): number {
  for (const [name, num] of Object.entries(GDB_SIGNALS)) {
    if (num === gdbNumber) return os.constants.signals[name as SignalName];
  }
  return 0;
}
