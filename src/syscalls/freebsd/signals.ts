/**
 * FreeBSD signal numbers (sys/sys/signal.h) under the generic layer's names. FreeBSD has no
 * SIGSTKFLT or SIGPWR: they get numbers no FreeBSD signal uses, so no guest signal ever maps to
 * them. Real-time signals run from 65 (SIGRTMIN) to 126; a sigset_t holds 128 bits.
 */
import type { SignalName } from '../abi';

/** A number outside FreeBSD's 1..128 for the signals it lacks. */
const NO_SIGNAL = -1;

export const FREEBSD_SIGNALS: { readonly [K in SignalName]: number } = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGBUS: 10,
  SIGSEGV: 11,
  SIGSYS: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGURG: 16,
  SIGSTOP: 17,
  SIGTSTP: 18,
  SIGCONT: 19,
  SIGCHLD: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGIO: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGUSR1: 30,
  SIGUSR2: 31,
  SIGSTKFLT: NO_SIGNAL,
  SIGPWR: NO_SIGNAL,
};

export const FREEBSD_SIGRTMIN = 65;
/** _SIG_MAXSIG: signals are 1..128. */
export const FREEBSD_NSIG = 128;
/** sizeof(sigset_t): four 32-bit words. */
export const FREEBSD_SIGSET_SIZE = 16;

/** sigaction sa_flags (sys/sys/signal.h). */
export const FREEBSD_SA = {
  SA_ONSTACK: 0x1,
  SA_RESTART: 0x2,
  SA_RESETHAND: 0x4,
  SA_NOCLDSTOP: 0x8,
  SA_NODEFER: 0x10,
  SA_NOCLDWAIT: 0x20,
  SA_SIGINFO: 0x40,
} as const;
/** stack_t ss_flags. */
export const FREEBSD_SS_ONSTACK = 0x1;
export const FREEBSD_SS_DISABLE = 0x4;
/** MINSIGSTKSZ on arm64 (machine/signal.h). */
export const FREEBSD_MINSIGSTKSZ = 4096;
