/**
 * The host side of guest timers: a POSIX timer that sends SIGALRM to the thread running the guest
 * when a guest timer expires, so a blocking host syscall the guest is in (read on an empty pipe,
 * nanosleep) returns EINTR as it would for the guest under Linux. Node's handler for the signal
 * (installed through process.on) is kept, minus SA_RESTART, which would resume the syscall instead.
 * The guest's own signal is raised by timers.ts when the CPU loop next looks. The host timer
 * repeats until that happens: an expiry that comes between the CPU loop's last look and the
 * start of the blocking syscall interrupts nothing, and the next one must.
 */
import { HOST, hostArena, hostSyscall } from '../../syscalls/linux/host';

const CLOCK_MONOTONIC = 1;
const SIGEV_THREAD_ID = 4;
const SA_RESTART = 0x10000000n;
/** x86_64 struct sigaction: handler, flags, restorer, mask (8 bytes each); struct sigevent is 64 bytes. */
const KERNEL_SIGACTION_SIZE = 32;
const SIGEVENT_SIZE = 64;
const ITIMERSPEC_SIZE = 32;
const NS_PER_S = 1_000_000_000n;

let timerId: number | undefined;

function createHostTimer(): number {
  const sig = HOST.signals.SIGALRM;
  process.on('SIGALRM', () => {});
  const act = hostArena.alloc(KERNEL_SIGACTION_SIZE);
  const view = hostArena.view;
  let rc = hostSyscall('rt_sigaction', sig, 0, hostArena.address(act), 8);
  if (rc < 0) throw new Error(`host rt_sigaction(SIGALRM) failed: ${rc}`);
  view.setBigUint64(act + 8, view.getBigUint64(act + 8, true) & ~SA_RESTART, true);
  rc = hostSyscall('rt_sigaction', sig, hostArena.address(act), 0, 8);
  if (rc < 0) throw new Error(`host rt_sigaction(SIGALRM) failed: ${rc}`);
  const event = hostArena.alloc(SIGEVENT_SIZE);
  view.setInt32(event + 8, sig, true);
  view.setInt32(event + 12, SIGEV_THREAD_ID, true);
  view.setInt32(event + 16, hostSyscall('gettid'), true);
  const id = hostArena.alloc(4);
  rc = hostSyscall('timer_create', CLOCK_MONOTONIC, hostArena.address(event), hostArena.address(id));
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
