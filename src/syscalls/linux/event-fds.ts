/**
 * Descriptors that deliver events or hold memory: inotify (watches on host paths, through the -L
 * rule), timerfd (struct itimerspec is two timespecs in the ABI's layout), memfd_create (MFD_*
 * flags are the same on every ABI). Their *_CLOEXEC and *_NONBLOCK flags are the ABI's O_CLOEXEC
 * and O_NONBLOCK, translated by name. What reading them returns (inotify_event records, the u64
 * expiry count) is converted for a guest of the other byte order (fd-kinds.ts).
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { recordKind } from './fd-kinds';
import { hostFd, newGuestFd } from './fd-table';
import { strictOpenFlagsToHost } from './flags';
import type { StructLayout, TimespecField } from '../abi';
import { StructView, convertStruct } from '../struct-view';
import { E, guestLayout, guestRange } from './guest-access';
import { HOST, hostStructArray, hostSyscall } from './host';
import { hostPathArg, hostStringArg } from './paths';
import { clockId } from './strace-names';

/** MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB and the huge page size bits (include/uapi/linux/memfd.h). */
const MFD_KNOWN = 0x1 | 0x2 | 0x4 | (0x3f << 26);

/** A call creating a descriptor whose flags are open flags; the result gets a guest number. */
function withOpenFlags(proc: GuestProcess, flags: number, call: (hostFlags: number) => number): number {
  const f = strictOpenFlagsToHost(proc.abi, HOST, int(flags));
  return f === undefined ? -E.EINVAL : newGuestFd(proc, call(f));
}

function inotifyAddWatch(proc: GuestProcess, [fdArg, path, mask]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const p = hostPathArg(proc, path!);
  return p < 0 ? p : hostSyscall('inotify_add_watch', fd, p, mask! >>> 0);
}

/**
 * A struct itimerspec (two timespecs of `layout`: the ABI's own, or a 32-bit ABI's older 32-bit
 * one) as a host one: `in` copied from the guest before the call, `out` copied back after it.
 */
function withItimerspec(proc: GuestProcess, layout: StructLayout<TimespecField>, addr: number, direction: 'in' | 'out', call: (host: number) => number): number {
  if (addr === 0) return call(0);
  if (guestRange(proc, addr, 2 * layout.size, direction === 'out') === undefined) return -E.EFAULT;
  const host = hostStructArray('timespec', 2);
  const guest = (i: number) => new StructView(proc.memory.view, addr + i * layout.size, layout, proc.memory.littleEndian);
  if (direction === 'in') host.views.forEach((h, i) => convertStruct(guest(i), h));
  const r = call(host.address);
  if (r >= 0 && direction === 'out') host.views.forEach((h, i) => convertStruct(h, guest(i)));
  return r;
}

/** timerfd_settime with itimerspecs of `layout` (undefined: the ABI's timespec). */
export function timerfdSettime(layout?: StructLayout<TimespecField>) {
  return (proc: GuestProcess, [fdArg, flags, next, old]: SyscallArgs): number => {
    const fd = hostFd(proc, int(fdArg));
    if (fd < 0) return fd;
    if (next === 0) return -E.EFAULT;
    const l = layout ?? guestLayout(proc, 'timespec');
    return withItimerspec(proc, l, next!, 'in', (n) => withItimerspec(proc, l, old!, 'out', (o) => hostSyscall('timerfd_settime', fd, int(flags), n, o)));
  };
}

/** timerfd_gettime with an itimerspec of `layout` (undefined: the ABI's timespec). */
export function timerfdGettime(layout?: StructLayout<TimespecField>) {
  return (proc: GuestProcess, [fdArg, current]: SyscallArgs): number => {
    const fd = hostFd(proc, int(fdArg));
    if (fd < 0) return fd;
    if (current === 0) return -E.EFAULT;
    return withItimerspec(proc, layout ?? guestLayout(proc, 'timespec'), current!, 'out', (c) => hostSyscall('timerfd_gettime', fd, c));
  };
}

function memfdCreate(proc: GuestProcess, [name, flags]: SyscallArgs): number {
  if ((flags! >>> 0) & ~MFD_KNOWN) return -E.EINVAL;
  const n = hostStringArg(proc, name!);
  return n < 0 ? n : newGuestFd(proc, hostSyscall('memfd_create', n, flags! >>> 0));
}

export const EVENT_FD_SYSCALLS: SyscallGroup = {
  inotify_init1: syscall('h', (p, [flags]) => withOpenFlags(p, flags!, (f) => recordKind(p, hostSyscall('inotify_init1', f), 'inotify'))),
  inotify_add_watch: syscall('dsh', inotifyAddWatch),
  inotify_rm_watch: syscall('dd', (p, [fd, wd]) => {
    const h = hostFd(p, int(fd));
    return h < 0 ? h : hostSyscall('inotify_rm_watch', h, int(wd));
  }),
  timerfd_create: syscall([clockId, 'h'], (p, [clock, flags]) => withOpenFlags(p, flags!, (f) => recordKind(p, hostSyscall('timerfd_create', int(clock), f), 'counter'))),
  timerfd_settime: syscall('dhxx', timerfdSettime()),
  timerfd_gettime: syscall('dx', timerfdGettime()),
  memfd_create: syscall('sh', memfdCreate),
};
