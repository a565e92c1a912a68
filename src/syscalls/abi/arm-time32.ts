/**
 * ARM's calls with the old 32-bit struct timespec {int tv_sec; int tv_nsec} (nanosleep,
 * clock_nanosleep, clock_gettime, clock_getres, futex): glibc still makes some of them (clock_nanosleep
 * for a sleep whose end fits in 32 bits). The ABI's `timespec` layout is the 64-bit one of the
 * *_time64 calls, so these convert the 8-byte struct to and from the host's themselves.
 */
import type { SyscallDefinition } from '../abi';
import { int, syscall } from '../linux/define';
import { FUTEX_TIME32 } from '../linux/futex';
import { E } from '../linux/guest-access';
import { hostStructArray, hostSyscall } from '../linux/host';
import type { GuestProcess } from '../../user/process';

const TIMESPEC32_SIZE = 8;

/**
 * Runs `call` with a host timespec holding the guest's 32-bit one at `addr` (0 stays NULL); an
 * 'out' struct is written back on success, and on EINTR (the remaining time of an interrupted sleep).
 */
function withTimespec32(proc: GuestProcess, addr: number, direction: 'in' | 'out', call: (host: number) => number): number {
  if (addr === 0) return call(0);
  if (!proc.memory.accessible(addr, TIMESPEC32_SIZE, direction === 'out')) return -E.EFAULT;
  const view = proc.memory.view;
  const host = hostStructArray('timespec', 1);
  const ts = host.views[0]!;
  if (direction === 'in') {
    ts.set('sec', view.getInt32(addr, true));
    ts.set('nsec', view.getInt32(addr + 4, true));
  }
  const result = call(host.address);
  if (direction === 'out' && (result >= 0 || result === -E.EINTR)) {
    view.setInt32(addr, ts.num('sec'), true);
    view.setInt32(addr + 4, ts.num('nsec'), true);
  }
  return result;
}

export const ARM_TIME32_CALLS: Readonly<Record<string, SyscallDefinition>> = {
  nanosleep: syscall('xx', (p, [req, rem]) =>
    withTimespec32(p, req!, 'in', (q) => withTimespec32(p, rem!, 'out', (r) => hostSyscall('nanosleep', q, r)))),
  clock_nanosleep: syscall('ddxx', (p, [clock, flags, req, rem]) =>
    withTimespec32(p, req!, 'in', (q) => withTimespec32(p, rem!, 'out', (r) => hostSyscall('clock_nanosleep', int(clock), int(flags), q, r)))),
  clock_gettime: syscall('dx', (p, [clock, ts]) => withTimespec32(p, ts!, 'out', (t) => hostSyscall('clock_gettime', int(clock), t))),
  clock_getres: syscall('dx', (p, [clock, ts]) => withTimespec32(p, ts!, 'out', (t) => hostSyscall('clock_getres', int(clock), t))),
  futex: FUTEX_TIME32,
};
