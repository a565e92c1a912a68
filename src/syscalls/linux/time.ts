/**
 * Clocks and sleeping: clock ids, timespec and timeval are the same on every 64-bit ABI, so the
 * structs go to the host in place (converted only where an ABI lays them out differently). A
 * sleep blocks the thread running the guest, as it would natively.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, guestTimespec, withHostStruct, writeGuestTimespec } from './guest-access';
import { hostStructArray, hostSyscall } from './host';
import { untilGuestInterrupted } from '../../user/signals/guest-interrupt';
import { clockId } from './strace-names';

function clockQuery(name: string) {
  return (proc: GuestProcess, [clock, ts]: SyscallArgs): number => withHostStruct(proc, 'timespec', ts!, 'out', (t) => hostSyscall(name, int(clock), t));
}

function gettimeofday(proc: GuestProcess, [tv, tz]: SyscallArgs): number {
  return withHostStruct(proc, 'timeval', tv!, 'out', (t) => withHostStruct(proc, 'timezone', tz!, 'out', (z) => hostSyscall('gettimeofday', t, z)));
}

export const CLOCK_MONOTONIC = 1;
const TIMER_ABSTIME = 1;

/**
 * clock_nanosleep with the guest's timespecs at `req` and `rem` (`time32`: ARM's old 32-bit
 * struct). The host sleeps on a copy that it turns into the time left when interrupted, so an
 * interruption the guest would not have seen goes on from there (guest-interrupt.ts); the time
 * left of a relative sleep the guest sees interrupted goes to `rem`.
 */
export function sleepOnHost(proc: GuestProcess, clock: number, flags: number, req: number, rem: number, time32: boolean): number {
  const wanted = guestTimespec(proc, req, time32);
  if (!wanted) return -E.EFAULT;
  const host = hostStructArray('timespec', 1);
  const left = host.views[0]!;
  left.set('sec', wanted.sec);
  left.set('nsec', wanted.nsec);
  const r = untilGuestInterrupted(proc, () => hostSyscall('clock_nanosleep', clock, flags, host.address, host.address));
  if (r !== -E.EINTR || flags & TIMER_ABSTIME || rem === 0) return r;
  return writeGuestTimespec(proc, rem, time32, { sec: left.get('sec'), nsec: left.get('nsec') }) ? r : -E.EFAULT;
}

export const TIME_SYSCALLS: SyscallGroup = {
  clock_gettime: syscall([clockId, 'x'], clockQuery('clock_gettime')),
  clock_getres: syscall([clockId, 'x'], clockQuery('clock_getres')),
  gettimeofday: syscall('xx', gettimeofday),
  // nanosleep counts on the monotonic clock (hrtimer_nanosleep with CLOCK_MONOTONIC).
  nanosleep: syscall('xx', (p, [req, rem]) => sleepOnHost(p, CLOCK_MONOTONIC, 0, req!, rem!, false)),
  clock_nanosleep: syscall([clockId, 'd', 'x', 'x'], (p, [clock, flags, req, rem]) => sleepOnHost(p, int(clock), int(flags), req!, rem!, false)),
};
