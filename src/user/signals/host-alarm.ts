/**
 * The host side of guest timers: a POSIX timer that sends SIGALRM to the thread running the guest
 * when a guest timer expires, so a blocking host syscall the guest is in (read on an empty pipe,
 * nanosleep) returns EINTR as it would for the guest under Linux. The addon's handler catches it
 * (installed without SA_RESTART, which would resume the syscall instead) and, the arrival being
 * the timer's own (SI_TIMER), does not pass it on to the guest (host-forward.ts keeps it noted).
 * The guest's own signal is raised by timers.ts when the CPU loop next looks. The host timer
 * repeats until that happens: an expiry that comes between the CPU loop's last look and the
 * start of the blocking syscall interrupts nothing, and the next one must.
 */
import { HOST, hostArena, hostSyscall } from '../../syscalls/linux/host';
import { keepNoted } from './host-forward';

const CLOCK_MONOTONIC = 1;
const SIGEV_THREAD_ID = 4;
/** struct sigevent is 64 bytes, struct itimerspec two 16-byte timespecs on x86_64. */
const SIGEVENT_SIZE = 64;
const ITIMERSPEC_SIZE = 32;
const NS_PER_S = 1_000_000_000n;

let timerId: number | undefined;

function createHostTimer(): number {
  const sig = HOST.signals.SIGALRM;
  keepNoted(sig);
  const view = hostArena.view;
  const event = hostArena.alloc(SIGEVENT_SIZE);
  view.setInt32(event + 8, sig, true);
  view.setInt32(event + 12, SIGEV_THREAD_ID, true);
  view.setInt32(event + 16, hostSyscall('gettid'), true);
  const id = hostArena.alloc(4);
  const rc = hostSyscall('timer_create', CLOCK_MONOTONIC, hostArena.address(event), hostArena.address(id));
  if (rc < 0) throw new Error(`host timer_create failed: ${rc}`);
  return view.getInt32(id, true);
}

/** Forgets the host timer after fork: the child's kernel state has none (the SIGALRM handler is inherited and stays). */
export function forgetHostAlarm(): void {
  timerId = undefined;
}

/**
 * Makes the host interrupt the guest thread `delayNs` from now and every `repeatNs` after that,
 * until armed again (a zero delay disarms).
 */
export function armHostAlarm(delayNs: bigint, repeatNs: bigint): void {
  if (timerId === undefined) {
    if (delayNs === 0n) return;
    timerId = createHostTimer();
  }
  const spec = hostArena.alloc(ITIMERSPEC_SIZE);
  const view = hostArena.view;
  view.setBigInt64(spec, repeatNs / NS_PER_S, true);
  view.setBigInt64(spec + 8, repeatNs % NS_PER_S, true);
  view.setBigInt64(spec + 16, delayNs / NS_PER_S, true);
  view.setBigInt64(spec + 24, delayNs % NS_PER_S, true);
  const rc = hostSyscall('timer_settime', timerId, 0, hostArena.address(spec), 0);
  if (rc < 0) throw new Error(`host timer_settime failed: ${rc}`);
}
