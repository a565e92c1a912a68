/**
 * Syscalls that may block on the host, seen from a process with several guest threads: before one
 * runs, it is asked whether it would block, and if so the calling thread waits in the scheduler
 * instead, so the other threads run meanwhile (scheduler.ts):
 * - reads, writes, accept, send and receive on a blocking descriptor that is not ready park on
 *   that descriptor, and the call runs again once it is;
 * - poll, ppoll, select, pselect6 and epoll waits with a timeout are tried at once with a zero
 *   timeout; when nothing is ready they park on their descriptors (select: polled again) until the
 *   deadline, when they finish with a zero timeout as the kernel would (remaining time zero);
 * - nanosleep and clock_nanosleep park until their deadline, pause until a signal, and wait4
 *   without WNOHANG is polled with WNOHANG.
 * The calls are known by name and their arguments are in the same places on every Linux ABI; on a
 * 32-bit ABI the calls without a _time64 twin take the 32-bit struct timespec.
 */
import type { GuestProcess } from '../process';
import type { SyscallArgs } from '../../syscalls/types';
import { int } from '../../syscalls/linux/define';
import { hostFd } from '../../syscalls/linux/fd-table';
import { guestStruct } from '../../syscalls/linux/guest-access';
import { HOST, hostSyscall } from '../../syscalls/linux/host';
import { StructView } from '../../syscalls/struct-view';
import { block, hostReady, monotonicNs, type HostPollFd } from './scheduler';

const POLLIN = 1;
const POLLPRI = 2;
const POLLOUT = 4;
const F_GETFL = 3;
const WNOHANG = 1;
const TIMER_ABSTIME = 1;
const CLOCK_REALTIME = 0;
const NS_PER_S = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;

/** Decides for one call: returns normally when it will not block (it then runs as usual), else parks the thread. */
type Rule = (proc: GuestProcess, args: SyscallArgs, name: string) => void;

/** A call's timeout: where it is and how it is written. */
type TimeoutArg =
  | { kind: 'ms'; index: number }
  | { kind: 'timespec' | 'timeval'; index: number };

/** A blocking descriptor that is not ready parks the thread until it is; the call then runs again. */
function onDescriptor(index: number, events: number): Rule {
  return (proc, args) => {
    const fd = hostFd(proc, int(args[index]));
    if (fd < 0 || hostSyscall('fcntl', fd, F_GETFL) & HOST.openFlags.O_NONBLOCK) return;
    const wanted = [{ fd, events }];
    if (hostReady(wanted)[0]) return;
    block(proc, { fds: wanted });
  };
}

/** The timeout in nanoseconds; undefined for none (wait forever), 'invalid' when unreadable or out of range (the call reports it). */
function readTimeout(proc: GuestProcess, args: SyscallArgs, name: string, at: TimeoutArg): bigint | undefined | 'invalid' {
  const value = args[at.index]!;
  if (at.kind === 'ms') return int(value) < 0 ? undefined : BigInt(int(value)) * NS_PER_MS;
  if (value === 0) return undefined;
  let sec: bigint;
  let frac: bigint;
  if (at.kind === 'timespec' && proc.abi.wordSize === 4 && !name.endsWith('_time64')) {
    if (!proc.memory.accessible(value, 8, false)) return 'invalid';
    sec = BigInt(proc.memory.view.getInt32(value, proc.memory.littleEndian));
    frac = BigInt(proc.memory.view.getInt32(value + 4, proc.memory.littleEndian));
  } else if (at.kind === 'timespec') {
    const v = guestStruct(proc, 'timespec', value, false);
    if (!v) return 'invalid';
    sec = v.get('sec');
    // A 32-bit process's 64-bit timespec has padding above a 32-bit tv_nsec, which the kernel ignores.
    frac = proc.abi.wordSize === 4 ? BigInt.asIntN(32, v.get('nsec')) : v.get('nsec');
  } else {
    const v = guestStruct(proc, 'timeval', value, false);
    if (!v) return 'invalid';
    sec = v.get('sec');
    frac = v.get('usec') * 1000n;
  }
  if (sec < 0n || frac < 0n || frac >= NS_PER_S) return 'invalid';
  return sec * NS_PER_S + frac;
}

/** Bytes of the timeout struct at `at` (the 32-bit timespec of old calls on 32-bit ABIs). */
function timeoutSize(proc: GuestProcess, name: string, at: TimeoutArg): number {
  if (at.kind === 'ms') return 0;
  if (at.kind === 'timespec' && proc.abi.wordSize === 4 && !name.endsWith('_time64')) return 8;
  return proc.abi.layouts[at.kind].size;
}

/**
 * Runs the call with a zero timeout. `keep` leaves the guest's timeout struct zeroed (the kernel
 * writes the time left back, zero at the deadline); otherwise it is put back as it was, and so are
 * the `saved` guest ranges (select's descriptor sets, which a fruitless try empties).
 */
function runWithZeroTimeout(proc: GuestProcess, nr: number, args: SyscallArgs, name: string, at: TimeoutArg, keep: boolean, saved: readonly [number, number][] = []): number {
  const handler = proc.abi.syscalls.get(nr)!.definition!.handler;
  if (at.kind === 'ms') return handler(proc, args.map((a, i) => (i === at.index ? 0 : a)));
  const addr = args[at.index]!;
  const ranges: [number, number][] = [[addr, timeoutSize(proc, name, at)], ...saved];
  const before = ranges.map(([a, n]) => proc.memory.readBytes(a, n).slice());
  proc.memory.writeBytes(addr, new Uint8Array(ranges[0]![1]));
  const r = handler(proc, args);
  if (!keep) ranges.forEach(([a], i) => (i === 0 || r === 0) && proc.memory.writeBytes(a, before[i]!));
  return r;
}

/** The host descriptors of a guest pollfd array (unknown or negative ones left out). */
function pollDescriptors(proc: GuestProcess, fds: number, count: number): HostPollFd[] {
  const layout = proc.abi.layouts.pollfd;
  const out: HostPollFd[] = [];
  for (let i = 0; i < count; i++) {
    const v = new StructView(proc.memory.view, fds + i * layout.size, layout, proc.memory.littleEndian);
    const fd = hostFd(proc, v.num('fd'));
    if (fd >= 0) out.push({ fd, events: v.num('events') & (POLLIN | POLLPRI | POLLOUT) });
  }
  return out;
}

/**
 * A wait on descriptors with a timeout: tried at once without waiting; when nothing is ready the
 * thread parks on `descriptors` (or is polled when they are not known) until the deadline.
 */
function descriptorWait(at: TimeoutArg, descriptors: (proc: GuestProcess, args: SyscallArgs) => HostPollFd[] | undefined, saved: (proc: GuestProcess, args: SyscallArgs) => [number, number][] = () => []): (nr: number) => Rule {
  return (nr) => (proc, args, name) => {
    const timeout = readTimeout(proc, args, name, at);
    if (timeout === 0n || timeout === 'invalid') return;
    const fds = descriptors(proc, args);
    if (fds === undefined) {
      const ranges = saved(proc, args);
      if (ranges.some(([a, n]) => !proc.memory.accessible(a, n, true))) return;
      const probe = (): number | undefined => {
        const r = runWithZeroTimeout(proc, nr, args, name, at, false, ranges);
        return r === 0 ? undefined : r;
      };
      if (probe() !== undefined) return;
      block(proc, {
        poll: probe,
        ...(timeout !== undefined ? { deadline: monotonicNs() + timeout, onTimeout: () => runWithZeroTimeout(proc, nr, args, name, at, true) } : {}),
      });
    }
    if (runWithZeroTimeout(proc, nr, args, name, at, false) !== 0) return;
    block(proc, {
      fds,
      ...(timeout !== undefined ? { deadline: monotonicNs() + timeout, onTimeout: () => runWithZeroTimeout(proc, nr, args, name, at, true) } : {}),
    });
  };
}

/** select's descriptor sets (guest longs) as guest byte ranges. */
function selectSets(proc: GuestProcess, args: SyscallArgs): [number, number][] {
  const n = Math.max(0, int(args[0]));
  const bytes = Math.ceil(n / (proc.abi.wordSize * 8)) * proc.abi.wordSize;
  return [args[1]!, args[2]!, args[3]!].filter((a) => a !== 0).map((a) => [a, bytes] as [number, number]);
}

/** nanosleep / clock_nanosleep: parks until the deadline (absolute on CLOCK_REALTIME moved to the monotonic clock). */
function sleep(clockAt: number | undefined, reqAt: number): Rule {
  return (proc, args, name) => {
    const ns = readTimeout(proc, args, name, { kind: 'timespec', index: reqAt });
    if (ns === undefined || ns === 'invalid') return;
    const absolute = clockAt !== undefined && (int(args[clockAt + 1]) & TIMER_ABSTIME) !== 0;
    const now = monotonicNs();
    let deadline = now + ns;
    if (absolute) deadline = int(args[clockAt!]) === CLOCK_REALTIME ? ns - BigInt(Date.now()) * NS_PER_MS + now : ns;
    block(proc, { deadline, onTimeout: 0 });
  };
}

/** wait4 without WNOHANG: polled with WNOHANG (the first look finds an exited child at once). */
function wait4(nr: number): Rule {
  return (proc, args) => {
    if (int(args[2]) & WNOHANG) return;
    const handler = proc.abi.syscalls.get(nr)!.definition!.handler;
    const withNoHang = args.map((a, i) => (i === 2 ? int(a) | WNOHANG : a));
    block(proc, {
      poll: () => {
        const r = handler(proc, withNoHang);
        return r === 0 ? undefined : r;
      },
    });
  };
}

const READ = onDescriptor(0, POLLIN);
const WRITE = onDescriptor(0, POLLOUT);
const RULES: Readonly<Record<string, (nr: number) => Rule>> = {
  read: () => READ,
  readv: () => READ,
  recv: () => READ,
  recvfrom: () => READ,
  recvmsg: () => READ,
  accept: () => READ,
  accept4: () => READ,
  write: () => WRITE,
  writev: () => WRITE,
  send: () => WRITE,
  sendto: () => WRITE,
  sendmsg: () => WRITE,
  poll: descriptorWait({ kind: 'ms', index: 2 }, (p, a) => pollDescriptors(p, a[0]!, a[1]! >>> 0)),
  ppoll: descriptorWait({ kind: 'timespec', index: 2 }, (p, a) => pollDescriptors(p, a[0]!, a[1]! >>> 0)),
  ppoll_time64: descriptorWait({ kind: 'timespec', index: 2 }, (p, a) => pollDescriptors(p, a[0]!, a[1]! >>> 0)),
  epoll_wait: descriptorWait({ kind: 'ms', index: 3 }, (p, a) => epollDescriptor(p, a)),
  epoll_pwait: descriptorWait({ kind: 'ms', index: 3 }, (p, a) => epollDescriptor(p, a)),
  epoll_pwait2: descriptorWait({ kind: 'timespec', index: 3 }, (p, a) => epollDescriptor(p, a)),
  select: descriptorWait({ kind: 'timeval', index: 4 }, () => undefined, selectSets),
  _newselect: descriptorWait({ kind: 'timeval', index: 4 }, () => undefined, selectSets),
  pselect6: descriptorWait({ kind: 'timespec', index: 4 }, () => undefined, selectSets),
  pselect6_time64: descriptorWait({ kind: 'timespec', index: 4 }, () => undefined, selectSets),
  nanosleep: () => sleep(undefined, 0),
  clock_nanosleep: () => sleep(0, 2),
  clock_nanosleep_time64: () => sleep(0, 2),
  pause: () => (proc) => block(proc, {}),
  wait4,
};

/** An epoll descriptor is readable when it has events to report. */
function epollDescriptor(proc: GuestProcess, args: SyscallArgs): HostPollFd[] {
  const fd = hostFd(proc, int(args[0]));
  return fd < 0 ? [] : [{ fd, events: POLLIN }];
}

/** Parks the running thread (throws ThreadSwitch) when syscall `nr` would block the host; returns when it may simply run. */
export function parkIfBlocking(proc: GuestProcess, nr: number, args: SyscallArgs): void {
  const entry = proc.abi.syscalls.get(nr);
  if (!entry?.definition) return;
  RULES[entry.name]?.(nr)(proc, args, entry.name);
}
