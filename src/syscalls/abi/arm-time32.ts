/**
 * ARM's calls with the old 32-bit struct timespec {int tv_sec; int tv_nsec} (nanosleep,
 * clock_nanosleep, clock_gettime, clock_getres, futex, rt_sigtimedwait, ppoll, pselect6, utimensat,
 * mq_timedsend, mq_timedreceive): glibc still makes some of them (clock_nanosleep
 * for a sleep whose end fits in 32 bits). The ABI's `timespec` layout is the 64-bit one of the
 * *_time64 calls, so these convert the 8-byte struct to and from the host's themselves.
 */
import type { SyscallDefinition } from '../abi';
import { int, syscall } from '../linux/define';
import { FUTEX_TIME32 } from '../linux/futex';
import { ppollWith, selectWith } from '../linux/poll';
import { mqTimedreceiveWith, mqTimedsendWith } from '../linux/mqueue';
import { utimensatWith } from '../linux/fs-stat';
import { CLOCK_MONOTONIC, sleepOnHost } from '../linux/time';
import { PSELECT6_MASK } from '../linux/wait-mask';
import { SIGTIMEDWAIT_TIME32 } from '../linux/sigwait';
import { E } from '../linux/guest-access';
import { hostStructArray, hostSyscall } from '../linux/host';
import type { GuestProcess } from '../../user/process';

const TIMESPEC32_SIZE = 8;

/**
 * Runs `call` with host timespecs holding the guest's `count` 32-bit ones at `addr` (0 stays NULL);
 * 'out' and 'inout' structs are written back on success, and on EINTR (the remaining time of an
 * interrupted sleep or wait).
 */
function withTimespec32(proc: GuestProcess, addr: number, direction: 'in' | 'out' | 'inout', call: (host: number) => number, count = 1): number {
  if (addr === 0) return call(0);
  if (!proc.memory.accessible(addr, count * TIMESPEC32_SIZE, direction !== 'in')) return -E.EFAULT;
  const view = proc.memory.view;
  const host = hostStructArray('timespec', count);
  const at = (i: number): number => addr + i * TIMESPEC32_SIZE;
  if (direction !== 'out') {
    host.views.forEach((ts, i) => {
      ts.set('sec', view.getInt32(at(i), true));
      ts.set('nsec', view.getInt32(at(i) + 4, true));
    });
  }
  const result = call(host.address);
  if (direction !== 'in' && (result >= 0 || result === -E.EINTR)) {
    host.views.forEach((ts, i) => {
      view.setInt32(at(i), ts.num('sec'), true);
      view.setInt32(at(i) + 4, ts.num('nsec'), true);
    });
  }
  return result;
}

export const ARM_TIME32_CALLS: Readonly<Record<string, SyscallDefinition>> = {
  nanosleep: syscall('xx', (p, [req, rem]) => sleepOnHost(p, CLOCK_MONOTONIC, 0, req!, rem!, true)),
  clock_nanosleep: syscall('ddxx', (p, [clock, flags, req, rem]) => sleepOnHost(p, int(clock), int(flags), req!, rem!, true)),
  clock_gettime: syscall('dx', (p, [clock, ts]) => withTimespec32(p, ts!, 'out', (t) => hostSyscall('clock_gettime', int(clock), t))),
  sched_rr_get_interval: syscall('dx', (p, [pid, ts]) => withTimespec32(p, ts!, 'out', (t) => hostSyscall('sched_rr_get_interval', int(pid), t))),
  clock_getres: syscall('dx', (p, [clock, ts]) => withTimespec32(p, ts!, 'out', (t) => hostSyscall('clock_getres', int(clock), t))),
  futex: FUTEX_TIME32,
  ppoll: ppollWith((p, addr, call) => withTimespec32(p, addr, 'inout', call)),
  pselect6: selectWith((p, addr, call) => withTimespec32(p, addr, 'inout', call), PSELECT6_MASK),
  utimensat: utimensatWith((p, addr, call) => withTimespec32(p, addr, 'in', call, 2)),
  rt_sigtimedwait: SIGTIMEDWAIT_TIME32,
  mq_timedsend: mqTimedsendWith((p, addr, call) => withTimespec32(p, addr, 'in', call)),
  mq_timedreceive: mqTimedreceiveWith((p, addr, call) => withTimespec32(p, addr, 'in', call)),
};
