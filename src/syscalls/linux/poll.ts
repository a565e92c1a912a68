/**
 * Waiting on descriptors: ppoll and pselect6 (struct pollfd and fd_set are the same on every
 * little-endian 64-bit ABI, so they go to the host in place), and epoll, whose struct epoll_event
 * is packed on x86_64 but not on AArch64, so events are converted. The signal mask these calls may
 * install for the wait is not passed on: guest signals are not delivered through the host.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { strictOpenFlagsToHost } from './flags';
import { E, guestLayout, guestRange, withHostStruct } from './guest-access';
import { HOST, hostStructArray, hostSyscall } from './host';
import { StructView, convertStruct } from '../struct-view';

const MAX_EVENTS = 1 << 16;

function ppoll(proc: GuestProcess, [fds, nfds, timeout]: SyscallArgs): number {
  const n = nfds! >>> 0;
  const host = guestRange(proc, fds!, n * guestLayout(proc, 'pollfd').size, true);
  if (host === undefined) return -E.EFAULT;
  return withHostStruct(proc, 'timespec', timeout!, 'inout', (t) => hostSyscall('ppoll', host, n, t, 0, 0));
}

function pselect6(proc: GuestProcess, [nfds, readfds, writefds, exceptfds, timeout]: SyscallArgs): number {
  const n = int(nfds);
  if (n < 0) return -E.EINVAL;
  const bytes = Math.ceil(n / 64) * 8;
  const sets = [readfds!, writefds!, exceptfds!].map((s) => (s === 0 ? 0 : guestRange(proc, s, bytes, true)));
  if (sets.some((s) => s === undefined)) return -E.EFAULT;
  return withHostStruct(proc, 'timespec', timeout!, 'inout', (t) => hostSyscall('pselect6', n, ...(sets as number[]), t, 0));
}

function epollCtl(proc: GuestProcess, [epfd, op, fd, event]: SyscallArgs): number {
  return withHostStruct(proc, 'epoll_event', event!, 'in', (e) => hostSyscall('epoll_ctl', int(epfd), int(op), int(fd), e));
}

function epollPwait(proc: GuestProcess, [epfd, events, maxevents, timeout]: SyscallArgs): number {
  const max = int(maxevents);
  if (max <= 0 || max > MAX_EVENTS) return -E.EINVAL;
  const layout = guestLayout(proc, 'epoll_event');
  if (guestRange(proc, events!, max * layout.size, true) === undefined) return -E.EFAULT;
  const host = hostStructArray('epoll_event', max);
  const r = hostSyscall('epoll_pwait', int(epfd), host.address, max, int(timeout), 0, 0);
  for (let i = 0; i < r; i++) {
    convertStruct(host.views[i]!, new StructView(proc.memory.view, events! + i * layout.size, layout, proc.memory.littleEndian));
  }
  return r;
}

/** Runs `call` with guest open-style flags in host values; unnamed bits are -EINVAL. */
function withFlags(proc: GuestProcess, flags: number, call: (hostFlags: number) => number): number {
  const f = strictOpenFlagsToHost(proc.abi, HOST, int(flags));
  return f === undefined ? -E.EINVAL : call(f);
}

export const POLL_SYSCALLS: SyscallGroup = {
  ppoll: syscall('xdxxd', ppoll),
  pselect6: syscall('dxxxxx', pselect6),
  epoll_create1: syscall('h', (p, [flags]) => withFlags(p, flags!, (f) => hostSyscall('epoll_create1', f))),
  epoll_ctl: syscall('dddx', epollCtl),
  epoll_pwait: syscall('dxddxd', epollPwait),
  eventfd2: syscall('dh', (p, [initval, flags]) => withFlags(p, flags!, (f) => hostSyscall('eventfd2', initval! >>> 0, f))),
};
