/**
 * Waiting on descriptors: poll, ppoll, pselect6 and select (their descriptor sets are renumbered from guest to
 * host descriptors and back), and epoll, whose struct epoll_event is packed on x86_64 but not on
 * AArch64, so events are converted. The signal mask ppoll, pselect6 and epoll_pwait install for
 * their wait is the guest's for that time (wait-mask.ts).
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallDefinition } from '../abi';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { recordKind } from './fd-kinds';
import { strictOpenFlagsToHost } from './flags';
import { E, guestLayout, guestRange, guestStruct, withHostStruct } from './guest-access';
import { fdTable, hostFd, NEVER_OPEN_FD, newGuestFd, translateFdArgs } from './fd-table';
import { HOST, hostArena, hostStructArray, hostSyscall } from './host';
import { StructView, convertStruct } from '../struct-view';
import { epollOp } from './strace-names';
import { untilGuestInterrupted } from '../../user/signals/guest-interrupt';
import {
  EPOLL_PWAIT_MASK,
  PPOLL_MASK,
  PSELECT6_MASK,
  hostPselectMask,
  withWaitMask,
  type WaitMaskArg,
} from './wait-mask';

const MAX_EVENTS = 1 << 16;

/**
 * The pollfd array copied with host descriptors (unknown ones can only be POLLNVAL), `wait` run on
 * the host copy (its address and count), the results copied back.
 */
function pollGuestFds(
  proc: GuestProcess,
  fds: number,
  nfds: number,
  wait: (hostFds: number, n: number) => number,
): number {
  const n = nfds >>> 0;
  const layout = guestLayout(proc, 'pollfd');
  if (guestRange(proc, fds, n * layout.size, true) === undefined) return -E.EFAULT;
  const guest = (i: number) => new StructView(proc.memory.view, fds + i * layout.size, layout, proc.memory.littleEndian);
  const host = hostStructArray('pollfd', n);
  host.views.forEach((h, i) => {
    const g = guest(i);
    const fd = g.num('fd');
    h.set('fd', fd < 0 ? fd : fdTable(proc).host(fd) ?? NEVER_OPEN_FD);
    h.set('events', g.get('events'));
  });
  const r = wait(host.address, n);
  if (r >= 0) host.views.forEach((h, i) => guest(i).set('revents', h.get('revents')));
  return r;
}

/**
 * How a call's guest timeout at `addr` (0: none) reaches the host: `call` gets a host struct
 * timespec (0 for none), and the time left is written back the guest's way.
 */
export type HostTimeout = (proc: GuestProcess, addr: number, call: (hostTimespec: number) => number) => number;

/** The ABI's struct timespec. */
const TIMESPEC: HostTimeout = (proc, addr, call) => withHostStruct(proc, 'timespec', addr, 'inout', call);

/** select's struct timeval (the ABI's), as a host timespec; the time left is written back as Linux does. */
const TIMEVAL: HostTimeout = (proc, addr, call) => {
  if (addr === 0) return call(0);
  const tv = guestStruct(proc, 'timeval', addr, true);
  if (!tv) return -E.EFAULT;
  const usec = tv.get('usec');
  if (tv.get('sec') < 0n || usec < 0n || usec >= 1_000_000n) return -E.EINVAL;
  const host = hostStructArray('timespec', 1);
  const ts = host.views[0]!;
  ts.set('sec', tv.get('sec'));
  ts.set('nsec', usec * 1000n);
  const r = call(host.address);
  if (r >= 0 || r === -E.EINTR) {
    tv.set('sec', ts.get('sec'));
    tv.set('usec', ts.get('nsec') / 1000n);
  }
  return r;
};

/** ppoll with its timeout read as `timeout` says (the 32-bit struct timespec of ARM's ppoll). */
export function ppollWith(timeout: HostTimeout): SyscallDefinition {
  return syscall('xdxxd', (proc, args) =>
    pollGuestFds(proc, args[0]!, args[1]!, (address, n) =>
      timeout(proc, args[2]!, (t) =>
        withWaitMask(proc, args, PPOLL_MASK, (mask) => untilGuestInterrupted(proc, () => hostSyscall('ppoll', address, n, t, mask, 8))),
      ),
    ),
  );
}

/** poll (numbered on ARM, PowerPC, x86_64): ppoll with the timeout in milliseconds, negative for none. */
function poll(proc: GuestProcess, [fds, nfds, timeoutMs]: SyscallArgs): number {
  const ms = int(timeoutMs);
  return pollGuestFds(proc, fds!, nfds!, (address, n) => {
    if (ms < 0) return untilGuestInterrupted(proc, () => hostSyscall('ppoll', address, n, 0, 0, 0));
    const t = hostStructArray('timespec', 1);
    t.views[0]!.set('sec', Math.floor(ms / 1000));
    t.views[0]!.set('nsec', (ms % 1000) * 1_000_000);
    return untilGuestInterrupted(proc, () => hostSyscall('ppoll', address, n, t.address, 0, 0));
  });
}

/**
 * pselect6 and select: guest fd_sets (arrays of longs, bit n = guest descriptor n) become host ones
 * and back; the timeout is read as `timeout` says, the signal mask (pselect6) as `mask` says.
 */
export function selectWith(timeout: HostTimeout, mask?: WaitMaskArg): SyscallDefinition {
  return syscall('dxxxxx', (proc, args) => select(proc, args, timeout, mask));
}

function select(proc: GuestProcess, args: SyscallArgs, timeout: HostTimeout, mask: WaitMaskArg | undefined): number {
  const [nfds, readfds, writefds, exceptfds, timeoutAt] = args;
  const n = int(nfds);
  if (n < 0) return -E.EINVAL;
  const wordBits = proc.abi.wordSize * 8;
  const bytes = Math.ceil(n / wordBits) * proc.abi.wordSize;
  const guestSets = [readfds!, writefds!, exceptfds!];
  if (guestSets.some((s) => s !== 0 && guestRange(proc, s, bytes, true) === undefined)) return -E.EFAULT;
  const table = fdTable(proc);
  const selected = new Map<number, number>();
  for (const s of guestSets) {
    for (let fd = 0; s !== 0 && fd < n; fd++) {
      if (!bit(proc, s, fd)) continue;
      const h = table.host(fd);
      if (h === undefined) return -E.EBADF;
      selected.set(fd, h);
    }
  }
  const hostNfds = Math.max(0, ...selected.values()) + 1;
  const hostSets = guestSets.map((s) => (s === 0 ? 0 : hostArena.alloc(Math.ceil(hostNfds / 64) * 8)));
  guestSets.forEach((s, k) => {
    for (const [fd, h] of selected) if (s !== 0 && bit(proc, s, fd)) setHostBit(hostSets[k]!, h);
  });
  const hostSetAddresses = hostSets.map((o, k) => (guestSets[k] === 0 ? 0 : hostArena.address(o)));
  const r = timeout(proc, timeoutAt!, (t) =>
    withWaitMask(proc, args, mask, (hostMask) =>
      untilGuestInterrupted(proc, () => hostSyscall('pselect6', hostNfds, ...hostSetAddresses, t, hostPselectMask(hostMask))),
    ),
  );
  if (r < 0) return r;
  guestSets.forEach((s, k) => {
    if (s === 0) return;
    new Uint8Array(proc.memory.memory.buffer, s, bytes).fill(0);
    for (const [fd, h] of selected) if (hostBit(hostSets[k]!, h)) setBit(proc, s, fd);
  });
  return r;
}

/** Where guest descriptor `fd`'s bit lives in an fd_set: the byte (word order applied) and the bit in it. */
function guestBitPlace(proc: GuestProcess, set: number, fd: number): { at: number; mask: number } {
  const word = proc.abi.wordSize;
  const bitInWord = fd % (word * 8);
  const byteInWord = Math.floor(bitInWord / 8);
  const at = set + Math.floor(fd / (word * 8)) * word + (proc.memory.littleEndian ? byteInWord : word - 1 - byteInWord);
  return { at, mask: 1 << (bitInWord % 8) };
}

function bit(proc: GuestProcess, set: number, fd: number): boolean {
  const { at, mask } = guestBitPlace(proc, set, fd);
  return (proc.memory.u8[at]! & mask) !== 0;
}

function setBit(proc: GuestProcess, set: number, fd: number): void {
  const { at, mask } = guestBitPlace(proc, set, fd);
  proc.memory.u8[at]! |= mask;
}

function hostBit(offset: number, fd: number): boolean {
  return (hostArena.bytesAt(offset + (fd >> 3), 1)[0]! & (1 << (fd & 7))) !== 0;
}

function setHostBit(offset: number, fd: number): void {
  hostArena.bytesAt(offset + (fd >> 3), 1)[0]! |= 1 << (fd & 7);
}

function epollCtl(proc: GuestProcess, args: SyscallArgs): number {
  const host = translateFdArgs(proc, args, [0, 2]);
  if (typeof host === 'number') return host;
  const [epfd, op, fd, event] = host;
  return withHostStruct(proc, 'epoll_event', event!, 'in', (e) => hostSyscall('epoll_ctl', epfd!, int(op), fd!, e));
}

function epollPwait(proc: GuestProcess, args: SyscallArgs): number {
  const [epfdArg, events, maxevents, timeout] = args;
  const epfd = hostFd(proc, int(epfdArg));
  if (epfd < 0) return epfd;
  const max = int(maxevents);
  if (max <= 0 || max > MAX_EVENTS) return -E.EINVAL;
  const layout = guestLayout(proc, 'epoll_event');
  if (guestRange(proc, events!, max * layout.size, true) === undefined) return -E.EFAULT;
  const host = hostStructArray('epoll_event', max);
  const ms = int(timeout);
  const deadline = performance.now() + ms;
  // The host's epoll_pwait leaves its timeout as it was: a wait that goes on waits the time left.
  const left = (): number => (ms < 0 ? ms : Math.max(0, Math.ceil(deadline - performance.now())));
  const r = withWaitMask(proc, args, EPOLL_PWAIT_MASK, (mask) =>
    untilGuestInterrupted(proc, () => hostSyscall('epoll_pwait', epfd, host.address, max, left(), mask, 8)),
  );
  for (let i = 0; i < r; i++) {
    convertStruct(host.views[i]!, new StructView(proc.memory.view, events! + i * layout.size, layout, proc.memory.littleEndian));
  }
  return r;
}

/** Runs `call` with guest open-style flags in host values (unnamed bits are -EINVAL); its result is a new descriptor. */
function newFdWithFlags(proc: GuestProcess, flags: number, call: (hostFlags: number) => number): number {
  const f = strictOpenFlagsToHost(proc.abi, HOST, int(flags));
  return f === undefined ? -E.EINVAL : newGuestFd(proc, call(f));
}

export const POLL_SYSCALLS: SyscallGroup = {
  poll: syscall('xdd', poll),
  ppoll: ppollWith(TIMESPEC),
  pselect6: selectWith(TIMESPEC, PSELECT6_MASK),
  select: selectWith(TIMEVAL),
  epoll_create1: syscall('h', (p, [flags]) => newFdWithFlags(p, flags!, (f) => hostSyscall('epoll_create1', f))),
  epoll_ctl: syscall(['d', epollOp, 'd', 'x'], epollCtl),
  epoll_pwait: syscall('dxddxd', epollPwait),
  eventfd2: syscall('dh', (p, [initval, flags]) => newFdWithFlags(p, flags!, (f) => recordKind(p, hostSyscall('eventfd2', initval! >>> 0, f), 'counter'))),
};
