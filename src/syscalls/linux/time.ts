/**
 * Clocks and sleeping: clock ids, timespec and timeval are the same on every 64-bit ABI, so the
 * structs go to the host in place (converted only where an ABI lays them out differently). A
 * sleep blocks the thread running the guest, as it would natively.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { withHostStruct } from './guest-access';
import { hostSyscall } from './host';
import { clockId } from './strace-names';

function clockQuery(name: string) {
  return (proc: GuestProcess, [clock, ts]: SyscallArgs): number => withHostStruct(proc, 'timespec', ts!, 'out', (t) => hostSyscall(name, int(clock), t));
}

function gettimeofday(proc: GuestProcess, [tv, tz]: SyscallArgs): number {
  return withHostStruct(proc, 'timeval', tv!, 'out', (t) => withHostStruct(proc, 'timezone', tz!, 'out', (z) => hostSyscall('gettimeofday', t, z)));
}

function nanosleep(proc: GuestProcess, [req, rem]: SyscallArgs): number {
  return withHostStruct(proc, 'timespec', req!, 'in', (q) => withHostStruct(proc, 'timespec', rem!, 'out', (r) => hostSyscall('nanosleep', q, r)));
}

function clockNanosleep(proc: GuestProcess, [clock, flags, req, rem]: SyscallArgs): number {
  return withHostStruct(proc, 'timespec', req!, 'in', (q) =>
    withHostStruct(proc, 'timespec', rem!, 'out', (r) => hostSyscall('clock_nanosleep', int(clock), int(flags), q, r)),
  );
}

export const TIME_SYSCALLS: SyscallGroup = {
  clock_gettime: syscall([clockId, 'x'], clockQuery('clock_gettime')),
  clock_getres: syscall([clockId, 'x'], clockQuery('clock_getres')),
  gettimeofday: syscall('xx', gettimeofday),
  nanosleep: syscall('xx', nanosleep),
  clock_nanosleep: syscall([clockId, 'd', 'x', 'x'], clockNanosleep),
};
