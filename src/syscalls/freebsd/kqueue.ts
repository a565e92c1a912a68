/**
 * kqueue/kevent on the host's epoll: a kqueue is an epoll instance; EVFILT_READ and
 * EVFILT_WRITE registrations of one descriptor share its epoll entry (EPOLLIN/EPOLLOUT, EV_CLEAR
 * as edge triggering); EV_ONESHOT and EV_DISPATCH drop or disable a filter once it has fired;
 * EVFILT_USER events are eventfds (NOTE_TRIGGER writes one, EV_CLEAR reads it back). Changes
 * that fail are reported as EV_ERROR events when the event list has room (always with
 * EV_RECEIPT), as kevent(2) says. Other filters (timers, processes, signals, vnodes) are EINVAL.
 * With several green threads, a blocking kevent lets the others run and polls meanwhile.
 */
import type { GuestProcess } from '../../user/process';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { hostFd, newGuestFd } from '../linux/fd-table';
import { E, guestRange } from '../linux/guest-access';
import { hostArena, hostSyscall } from '../linux/host';
import type { SyscallArgs } from '../types';
import { FREEBSD_KEVENT } from './layouts';
import { block, monotonicNs, multithreaded } from '../../user/threads/scheduler';

const EVFILT_READ = -1;
const EVFILT_WRITE = -2;
const EVFILT_USER = -11;
const EV_ADD = 0x1;
const EV_DELETE = 0x2;
const EV_ENABLE = 0x4;
const EV_DISABLE = 0x8;
const EV_ONESHOT = 0x10;
const EV_CLEAR = 0x20;
const EV_RECEIPT = 0x40;
const EV_DISPATCH = 0x80;
const EV_ERROR = 0x4000;
const EV_EOF = 0x8000;
const NOTE_TRIGGER = 0x01000000;
const NOTE_FFLAGSMASK = 0x00ffffff;
const KQUEUE_CLOEXEC = 0x1;

/** Linux epoll values. */
const EPOLLIN = 0x1;
const EPOLLOUT = 0x4;
const EPOLLERR = 0x8;
const EPOLLHUP = 0x10;
const EPOLLRDHUP = 0x2000;
const EPOLLET = 1 << 31;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
const EPOLL_CLOEXEC = 0o2000000;
const EFD_NONBLOCK = 0o4000;
const EFD_CLOEXEC = 0o2000000;
const FIONREAD = 0x541b;
const EPOLL_EVENT_SIZE = 12; // packed on x86_64
/** epoll data of an EVFILT_USER eventfd: its ident above 2^32, descriptors keep their number. */
const USER_TAG = 2n ** 32n;
const MAX_EVENTS = 1024;

interface Filter {
  flags: number;
  fflags: number;
  udata: bigint;
  enabled: boolean;
}

interface Kqueue {
  readonly epfd: number;
  /** Guest descriptor -> its read and write filters. */
  readonly fds: Map<number, { read?: Filter; write?: Filter; registered: boolean }>;
  /** EVFILT_USER ident -> filter and its eventfd. */
  readonly users: Map<number, Filter & { eventfd: number }>;
}

const kqueues = new WeakMap<GuestProcess, Map<number, Kqueue>>();

function table(proc: GuestProcess): Map<number, Kqueue> {
  let t = kqueues.get(proc);
  if (!t) kqueues.set(proc, (t = new Map()));
  return t;
}

function kqueuex(proc: GuestProcess, [flagsArg]: SyscallArgs): number {
  const flags = int(flagsArg);
  if (flags & ~KQUEUE_CLOEXEC) return -E.EINVAL;
  const epfd = hostSyscall('epoll_create1', flags & KQUEUE_CLOEXEC ? EPOLL_CLOEXEC : 0);
  if (epfd < 0) return epfd;
  const fd = newGuestFd(proc, epfd);
  if (fd >= 0) table(proc).set(fd, { epfd, fds: new Map(), users: new Map() });
  return fd;
}

/** Brings the epoll entry of descriptor `ident` in line with its enabled filters. */
function syncEntry(proc: GuestProcess, kq: Kqueue, ident: number): number {
  const entry = kq.fds.get(ident)!;
  const host = hostFd(proc, ident);
  if (host < 0) return host;
  let events = 0;
  if (entry.read?.enabled) events |= EPOLLIN | EPOLLRDHUP;
  if (entry.write?.enabled) events |= EPOLLOUT;
  if ((entry.read?.flags ?? 0) & EV_CLEAR || (entry.write?.flags ?? 0) & EV_CLEAR) events |= EPOLLET;
  const at = hostArena.alloc(EPOLL_EVENT_SIZE);
  hostArena.view.setUint32(at, events >>> 0, true);
  hostArena.view.setBigUint64(at + 4, BigInt(ident), true);
  const wanted = entry.read !== undefined || entry.write !== undefined;
  const op = !wanted ? EPOLL_CTL_DEL : entry.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if (!wanted && !entry.registered) return 0;
  let r = hostSyscall('epoll_ctl', kq.epfd, op, host, hostArena.address(at));
  // Closing a descriptor drops it from the epoll set (FreeBSD drops its knotes too): add it afresh.
  if (r === -E.ENOENT && op === EPOLL_CTL_MOD)
    r = hostSyscall('epoll_ctl', kq.epfd, EPOLL_CTL_ADD, host, hostArena.address(at));
  if (r === 0) entry.registered = wanted;
  if (!wanted) kq.fds.delete(ident);
  return r;
}

function changeFd(
  proc: GuestProcess,
  kq: Kqueue,
  ident: number,
  filter: number,
  flags: number,
  fflags: number,
  udata: bigint,
): number {
  if (hostFd(proc, ident) < 0) return -E.EBADF;
  const entry = kq.fds.get(ident) ?? { registered: false };
  kq.fds.set(ident, entry);
  const key = filter === EVFILT_READ ? 'read' : 'write';
  const current = entry[key];
  if (flags & EV_DELETE) {
    if (!current) return -E.ENOENT;
    delete entry[key];
  } else if (flags & EV_ADD) {
    entry[key] = { flags, fflags, udata, enabled: !(flags & EV_DISABLE) };
  } else if (!current) {
    return -E.ENOENT;
  } else {
    if (flags & EV_ENABLE) current.enabled = true;
    if (flags & EV_DISABLE) current.enabled = false;
  }
  return syncEntry(proc, kq, ident);
}

function changeUser(kq: Kqueue, ident: number, flags: number, fflags: number, udata: bigint): number {
  let user = kq.users.get(ident);
  if (flags & EV_DELETE) {
    if (!user) return -E.ENOENT;
    hostSyscall('close', user.eventfd);
    kq.users.delete(ident);
    return 0;
  }
  if (flags & EV_ADD && !user) {
    const eventfd = hostSyscall('eventfd2', 0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (eventfd < 0) return eventfd;
    const at = hostArena.alloc(EPOLL_EVENT_SIZE);
    hostArena.view.setUint32(at, EPOLLIN, true);
    hostArena.view.setBigUint64(at + 4, USER_TAG + BigInt(ident), true);
    const r = hostSyscall('epoll_ctl', kq.epfd, EPOLL_CTL_ADD, eventfd, hostArena.address(at));
    if (r < 0) return r;
    user = { flags, fflags: fflags & NOTE_FFLAGSMASK, udata, enabled: true, eventfd };
    kq.users.set(ident, user);
  }
  if (!user) return -E.ENOENT;
  if (flags & EV_ADD) user.udata = udata;
  if (flags & EV_ENABLE) user.enabled = true;
  if (flags & EV_DISABLE) user.enabled = false;
  if (fflags & NOTE_TRIGGER) {
    const at = hostArena.alloc(8);
    hostArena.view.setBigUint64(at, 1n, true);
    hostSyscall('write', user.eventfd, hostArena.address(at), 8);
  }
  return 0;
}

interface KeventOut {
  ident: bigint;
  filter: number;
  flags: number;
  fflags: number;
  data: bigint;
  udata: bigint;
}

function writeKevent(proc: GuestProcess, at: number, e: KeventOut): void {
  const view = proc.memory.view;
  proc.memory.u8.fill(0, at, at + FREEBSD_KEVENT.size);
  view.setBigUint64(at + FREEBSD_KEVENT.ident, e.ident, true);
  view.setInt16(at + FREEBSD_KEVENT.filter, e.filter, true);
  view.setUint16(at + FREEBSD_KEVENT.flags, e.flags, true);
  view.setUint32(at + FREEBSD_KEVENT.fflags, e.fflags, true);
  view.setBigInt64(at + FREEBSD_KEVENT.data, e.data, true);
  view.setBigUint64(at + FREEBSD_KEVENT.udata, e.udata, true);
}

/** Collects ready events into the guest's list (at most `room`) without blocking; returns how many. */
function collect(proc: GuestProcess, kq: Kqueue, list: number, room: number, timeoutMs: number): number {
  if (room === 0) return 0;
  const max = Math.min(room, MAX_EVENTS);
  const at = hostArena.alloc(max * EPOLL_EVENT_SIZE);
  const n = hostSyscall('epoll_wait', kq.epfd, hostArena.address(at), max, timeoutMs);
  if (n < 0) return n;
  const out: KeventOut[] = [];
  for (let i = 0; i < n; i++) {
    const events = hostArena.view.getUint32(at + i * EPOLL_EVENT_SIZE, true);
    const data = hostArena.view.getBigUint64(at + i * EPOLL_EVENT_SIZE + 4, true);
    if (data >= USER_TAG) {
      const ident = Number(data - USER_TAG);
      const user = kq.users.get(ident);
      if (!user?.enabled) continue;
      if (user.flags & EV_CLEAR) hostSyscall('read', user.eventfd, hostArena.address(hostArena.alloc(8)), 8);
      out.push({
        ident: BigInt(ident),
        filter: EVFILT_USER,
        flags: user.flags & (EV_CLEAR | EV_ONESHOT),
        fflags: user.fflags,
        data: 0n,
        udata: user.udata,
      });
      if (user.flags & EV_ONESHOT) changeUser(kq, ident, EV_DELETE, 0, 0n);
      continue;
    }
    const ident = Number(data);
    const entry = kq.fds.get(ident);
    if (!entry) continue;
    const eof = events & (EPOLLHUP | EPOLLRDHUP) ? EV_EOF : 0;
    const fired: [Filter | undefined, number, boolean][] = [
      [entry.read, EVFILT_READ, (events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP | EPOLLERR)) !== 0],
      [entry.write, EVFILT_WRITE, (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) !== 0],
    ];
    for (const [filter, kind, ready] of fired) {
      if (!filter?.enabled || !ready || out.length >= room) continue;
      let pending = 0n;
      if (kind === EVFILT_READ) {
        const count = hostArena.alloc(4);
        const host = hostFd(proc, ident);
        if (host >= 0 && hostSyscall('ioctl', host, FIONREAD, hostArena.address(count)) === 0)
          pending = BigInt(hostArena.view.getInt32(count, true));
      }
      out.push({
        ident: BigInt(ident),
        filter: kind,
        flags: (filter.flags & (EV_CLEAR | EV_ONESHOT | EV_DISPATCH)) | eof,
        fflags: 0,
        data: pending,
        udata: filter.udata,
      });
      if (filter.flags & EV_ONESHOT) changeFd(proc, kq, ident, kind, EV_DELETE, 0, 0n);
      else if (filter.flags & EV_DISPATCH) changeFd(proc, kq, ident, kind, EV_DISABLE, 0, 0n);
    }
  }
  out.forEach((e, i) => writeKevent(proc, list + i * FREEBSD_KEVENT.size, e));
  return out.length;
}

function kevent(
  proc: GuestProcess,
  [kqArg, changes, nchangesArg, list, neventsArg, timeout]: SyscallArgs,
): number {
  const kqFd = int(kqArg);
  const kq = table(proc).get(kqFd);
  if (!kq || hostFd(proc, kqFd) !== kq.epfd) return -E.EBADF;
  const nchanges = int(nchangesArg);
  const nevents = int(neventsArg);
  if (nchanges < 0 || nevents < 0) return -E.EINVAL;
  if (nchanges && guestRange(proc, changes!, nchanges * FREEBSD_KEVENT.size, false) === undefined)
    return -E.EFAULT;
  if (nevents && guestRange(proc, list!, nevents * FREEBSD_KEVENT.size, true) === undefined) return -E.EFAULT;
  let deadline: bigint | undefined;
  let immediate = false;
  if (timeout !== 0) {
    if (guestRange(proc, timeout!, 16, false) === undefined) return -E.EFAULT;
    const sec = proc.memory.view.getBigInt64(timeout!, true);
    const nsec = proc.memory.view.getBigInt64(timeout! + 8, true);
    if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -E.EINVAL;
    immediate = sec === 0n && nsec === 0n;
    deadline = monotonicNs() + sec * 1_000_000_000n + nsec;
  }
  const view = proc.memory.view;
  let reported = 0;
  for (let i = 0; i < nchanges; i++) {
    const c = changes! + i * FREEBSD_KEVENT.size;
    const ident = view.getBigUint64(c + FREEBSD_KEVENT.ident, true);
    const filter = view.getInt16(c + FREEBSD_KEVENT.filter, true);
    const flags = view.getUint16(c + FREEBSD_KEVENT.flags, true);
    const fflags = view.getUint32(c + FREEBSD_KEVENT.fflags, true);
    const udata = view.getBigUint64(c + FREEBSD_KEVENT.udata, true);
    const r =
      filter === EVFILT_READ || filter === EVFILT_WRITE
        ? changeFd(proc, kq, Number(ident), filter, flags, fflags, udata)
        : filter === EVFILT_USER
          ? changeUser(kq, Number(ident), flags, fflags, udata)
          : -E.EINVAL;
    if (r === 0 && !(flags & EV_RECEIPT)) continue;
    if (reported >= nevents) return r;
    const errno = r < 0 ? BigInt(proc.abi.errnoFromHost(-r)) : 0n;
    writeKevent(proc, list! + reported * FREEBSD_KEVENT.size, {
      ident,
      filter,
      flags: flags | EV_ERROR,
      fflags,
      data: errno,
      udata,
    });
    reported++;
  }
  if (reported > 0 || nevents === 0) return reported;
  const now = collect(proc, kq, list!, nevents, 0);
  if (now !== 0 || immediate) return now;
  if (multithreaded(proc)) {
    return block(proc, {
      ...(deadline !== undefined ? { deadline, onTimeout: 0 } : {}),
      poll: () => {
        const n = collect(proc, kq, list!, nevents, 0);
        return n === 0 ? undefined : n;
      },
    });
  }
  const ms = deadline === undefined ? -1 : Number((deadline - monotonicNs() + 999_999n) / 1_000_000n);
  return collect(proc, kq, list!, nevents, Math.max(ms, 0));
}

export const KQUEUE_SYSCALLS: SyscallGroup = {
  kqueue: syscall('', (p) => kqueuex(p, [0])),
  kqueuex: syscall('h', kqueuex),
  kevent: syscall('dxdxdx', kevent),
};
