/**
 * Syscalls that may block on the host, seen from a process with several guest threads: before one
 * runs, it is asked whether it would block, and if so the calling thread waits in the scheduler
 * instead, so the other threads run meanwhile (scheduler.ts):
 * - reads, writes, accept, send and receive (without MSG_DONTWAIT) on a blocking descriptor that
 *   is not ready park on that descriptor, and the call runs again once it is; a write, writev or
 *   send larger than what a pipe or stream socket can take now goes in pieces (write-pieces.ts);
 * - flock, fcntl's F_SETLKW and F_OFD_SETLKW are tried without waiting, then retried while the
 *   thread is parked, and so are SysV msgsnd/msgrcv without IPC_NOWAIT and semop/semtimedop
 *   operations that may wait (also through ppc64's ipc multiplexer); a blocking connect is
 *   started non-blocking and the thread parked until the socket is writable, when SO_ERROR says
 *   how it ended;
 * - poll, ppoll, select, pselect6 and epoll waits run at once when one of their descriptors is
 *   ready (host poll); otherwise they park on the descriptors until one is (the call then runs
 *   again) or until the deadline, when they finish with a zero timeout as the kernel would
 *   (remaining time zero);
 * - nanosleep and clock_nanosleep park until their deadline, pause until a signal, and wait4
 *   without WNOHANG is polled with WNOHANG.
 * The calls are known by name and their arguments are in the same places on every Linux ABI; on a
 * 32-bit ABI the calls without a _time64 twin take the 32-bit struct timespec.
 */
import type { GuestProcess } from '../process';
import type { FcntlCommand } from '../../syscalls/abi';
import type { SyscallArgs } from '../../syscalls/types';
import { int } from '../../syscalls/linux/define';
import { hostFd } from '../../syscalls/linux/fd-table';
import { E, guestStruct, guestTimespec } from '../../syscalls/linux/guest-access';
import { HOST, hostSyscall } from '../../syscalls/linux/host';
import { IPC_CALLS, IPC_NOWAIT, semopMayWait, semopWithoutWaiting } from '../../syscalls/linux/sysv-ipc';
import { StructView } from '../../syscalls/struct-view';
import {
  enterWaitMask,
  EPOLL_PWAIT_MASK,
  PPOLL_MASK,
  PSELECT6_MASK,
  waitMask,
  type WaitMaskArg,
} from '../../syscalls/linux/wait-mask';
import { block, finishCall, hostReady, monotonicNs, type HostPollFd } from './scheduler';
import { hostSocketOption, WRITES_IN_PIECES } from './write-pieces';

const POLLIN = 1;
const POLLPRI = 2;
const POLLOUT = 4;
const F_GETFL = 3;
const F_SETFL = 4;
const LOCK_NB = 4;
const LOCK_UN = 8;
const WNOHANG = 1;
const MSG_DONTWAIT = 0x40;
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

/** How a call waits on a descriptor: its argument, the poll events, where its flags are (MSG_DONTWAIT). */
interface DescriptorWait {
  readonly index: number;
  readonly events: number;
  readonly flagsAt?: number;
}

/**
 * The descriptor the call would wait on now: a blocking one that is not ready. A send or receive
 * with MSG_DONTWAIT never waits.
 */
function waitingDescriptor(
  proc: GuestProcess,
  args: SyscallArgs,
  wait: DescriptorWait,
): HostPollFd[] | undefined {
  if (wait.flagsAt !== undefined && int(args[wait.flagsAt]) & MSG_DONTWAIT) return undefined;
  const fd = hostFd(proc, int(args[wait.index]));
  if (fd < 0 || hostSyscall('fcntl', fd, F_GETFL) & HOST.openFlags.O_NONBLOCK) return undefined;
  const wanted = [{ fd, events: wait.events }];
  return hostReady(wanted)[0] ? undefined : wanted;
}

/** A call that would wait on its descriptor parks the thread until it is ready; the call then runs again. */
function onDescriptor(wait: DescriptorWait): Rule {
  return (proc, args) => {
    const wanted = waitingDescriptor(proc, args, wait);
    if (wanted) block(proc, { fds: wanted });
  };
}

/**
 * A call that may wait (flock without LOCK_NB, fcntl's F_SETLKW and F_OFD_SETLKW, SysV msgsnd and
 * msgrcv without IPC_NOWAIT): its non-waiting form (`nonWaiting` gives its arguments, undefined
 * when the call never waits) is tried at once, then again while the thread is parked until it
 * ends with something other than the errors in `busy` (what the non-waiting form says for "not yet").
 */
function lockWait(nonWaiting: (proc: GuestProcess, args: SyscallArgs) => SyscallArgs | undefined, busy = [E.EAGAIN, E.EACCES]): (nr: number) => Rule {
  return (nr) => (proc, args) => {
    const tryArgs = nonWaiting(proc, args);
    if (!tryArgs) return;
    const handler = proc.abi.syscalls.get(nr)!.definition!.handler;
    const attempt = (): number | undefined => {
      const r = handler(proc, tryArgs);
      return busy.includes(-r) ? undefined : r;
    };
    const first = attempt();
    if (first !== undefined) finishCall(proc, first);
    block(proc, { poll: attempt });
  };
}

const flockWait = lockWait((_proc, [fd, op]) => (int(op) & (LOCK_NB | LOCK_UN) ? undefined : [fd!, int(op) | LOCK_NB]));

/** fcntl's waiting lock commands and the non-waiting command each is tried as. */
const NON_WAITING_LOCK: Readonly<Partial<Record<FcntlCommand, FcntlCommand>>> = { F_SETLKW: 'F_SETLK', F_OFD_SETLKW: 'F_OFD_SETLK' };

const fcntlLockWait = lockWait((proc, [fd, cmd, arg]) => {
  const commands = proc.abi.fcntlCommands;
  const name = (Object.keys(NON_WAITING_LOCK) as FcntlCommand[]).find((n) => commands[n] === int(cmd));
  return name === undefined ? undefined : [fd!, commands[NON_WAITING_LOCK[name]!], arg!];
});

/** A SysV IPC call whose flags at `flagsAt` lack IPC_NOWAIT: tried with it, `busy` meaning "not yet". */
function ipcNoWait(flagsAt: number, busy: number): (nr: number) => Rule {
  return lockWait((_proc, args) => (int(args[flagsAt]) & IPC_NOWAIT ? undefined : args.map((a, i) => (i === flagsAt ? int(a) | IPC_NOWAIT : a))), [busy]);
}

/**
 * semop/semtimedop (their arguments at `at`) with an operation that may wait: tried as if each had
 * IPC_NOWAIT, then again while the thread is parked, until the timeout (EAGAIN, as the kernel's).
 */
function semWait(at: { id: number; sops: number; nsops: number; timeout?: number }): Rule {
  return (proc, args, name) => {
    if (!semopMayWait(proc, args[at.sops]!, args[at.nsops]!)) return;
    const timeout = at.timeout === undefined ? undefined : readTimeout(proc, args, name, { kind: 'timespec', index: at.timeout });
    if (timeout === 'invalid') return;
    const attempt = (): number | undefined => {
      const r = semopWithoutWaiting(proc, int(args[at.id]), args[at.sops]!, args[at.nsops]!);
      return r === -E.EAGAIN ? undefined : r;
    };
    const first = attempt();
    if (first !== undefined) finishCall(proc, first);
    block(proc, { poll: attempt, ...(timeout !== undefined ? { deadline: monotonicNs() + timeout, onTimeout: -E.EAGAIN } : {}) });
  };
}

/** ppc64's ipc multiplexer: the message and semaphore calls that may wait, by call number. */
function ipcMultiplexer(nr: number): Rule {
  const rules: Readonly<Record<number, Rule>> = {
    [IPC_CALLS.MSGSND]: ipcNoWait(3, E.EAGAIN)(nr),
    [IPC_CALLS.MSGRCV]: ipcNoWait(3, E.ENOMSG)(nr),
    [IPC_CALLS.SEMOP]: semWait({ id: 1, sops: 4, nsops: 2 }),
    [IPC_CALLS.SEMTIMEDOP]: semWait({ id: 1, sops: 4, nsops: 2, timeout: 5 }),
  };
  return (proc, args, name) => rules[int(args[0]) & 0xffff]?.(proc, args, name);
}

/**
 * A blocking connect: started non-blocking; when it is under way, the thread parks until the
 * socket is writable, and SO_ERROR is the call's result, as the kernel's blocking connect returns.
 * A Unix socket whose listener's backlog is full (EAGAIN) is tried again while the thread is parked.
 */
function connect(nr: number): Rule {
  return (proc, args) => {
    const fd = hostFd(proc, int(args[0]));
    const flags = fd < 0 ? -1 : hostSyscall('fcntl', fd, F_GETFL);
    if (flags < 0 || flags & HOST.openFlags.O_NONBLOCK) return;
    const attempt = (): number => {
      hostSyscall('fcntl', fd, F_SETFL, flags | HOST.openFlags.O_NONBLOCK);
      const r = proc.abi.syscalls.get(nr)!.definition!.handler(proc, args);
      hostSyscall('fcntl', fd, F_SETFL, flags);
      return r;
    };
    const r = attempt();
    const retried = (): number | undefined => {
      const again = attempt();
      return again === -E.EAGAIN ? undefined : again;
    };
    if (r === -E.EAGAIN) block(proc, { poll: retried });
    if (r !== -E.EINPROGRESS) finishCall(proc, r);
    block(proc, { fds: [{ fd, events: POLLOUT }], onReady: () => -(hostSocketOption(fd, 'SO_ERROR') ?? 0) });
  };
}

/** The timeout in nanoseconds; undefined for none (wait forever), 'invalid' when unreadable or out of range (the call reports it). */
function readTimeout(proc: GuestProcess, args: SyscallArgs, name: string, at: TimeoutArg): bigint | undefined | 'invalid' {
  const value = args[at.index]!;
  if (at.kind === 'ms') return int(value) < 0 ? undefined : BigInt(int(value)) * NS_PER_MS;
  if (value === 0) return undefined;
  let sec: bigint;
  let frac: bigint;
  if (at.kind === 'timespec') {
    const v = guestTimespec(proc, value, time32Timespec(proc, name));
    if (!v) return 'invalid';
    sec = v.sec;
    frac = v.nsec;
  } else {
    const v = guestStruct(proc, 'timeval', value, false);
    if (!v) return 'invalid';
    sec = v.get('sec');
    frac = v.get('usec') * 1000n;
  }
  if (sec < 0n || frac < 0n || frac >= NS_PER_S) return 'invalid';
  return sec * NS_PER_S + frac;
}

/** Whether call `name` takes the 32-bit struct timespec: a call without a _time64 twin on a 32-bit ABI. */
function time32Timespec(proc: GuestProcess, name: string): boolean {
  return proc.abi.wordSize === 4 && !name.endsWith('_time64');
}

/** Bytes of the timeout struct at `at` (the 32-bit timespec of old calls on 32-bit ABIs). */
function timeoutSize(proc: GuestProcess, name: string, at: TimeoutArg): number {
  if (at.kind === 'ms') return 0;
  if (at.kind === 'timespec' && time32Timespec(proc, name)) return 8;
  return proc.abi.layouts[at.kind].size;
}

/**
 * Runs the call with a zero timeout: the guest's timeout struct is zeroed first and stays so (the
 * kernel writes the time left back, zero at the deadline).
 */
function runWithZeroTimeout(proc: GuestProcess, nr: number, args: SyscallArgs, name: string, at: TimeoutArg): number {
  const handler = proc.abi.syscalls.get(nr)!.definition!.handler;
  if (at.kind === 'ms') return handler(proc, args.map((a, i) => (i === at.index ? 0 : a)));
  const addr = args[at.index]!;
  if (proc.memory.accessible(addr, timeoutSize(proc, name, at), true)) proc.memory.writeBytes(addr, new Uint8Array(timeoutSize(proc, name, at)));
  return handler(proc, args);
}

/**
 * The host descriptors of a guest pollfd array (negative ones are skipped, as poll does);
 * undefined when one is not open (poll reports POLLNVAL at once) or the array is unreadable.
 */
function pollDescriptors(proc: GuestProcess, fds: number, count: number): HostPollFd[] | undefined {
  const layout = proc.abi.layouts.pollfd;
  if (!proc.memory.accessible(fds, count * layout.size, true)) return undefined;
  const out: HostPollFd[] = [];
  for (let i = 0; i < count; i++) {
    const v = new StructView(proc.memory.view, fds + i * layout.size, layout, proc.memory.littleEndian);
    if (v.num('fd') < 0) continue;
    const fd = hostFd(proc, v.num('fd'));
    if (fd < 0) return undefined;
    out.push({ fd, events: v.num('events') & (POLLIN | POLLPRI | POLLOUT) });
  }
  return out;
}

/** The host descriptors of select's three sets (guest longs, bit n = descriptor n); undefined when one is not open or unreadable. */
function selectDescriptors(proc: GuestProcess, args: SyscallArgs): HostPollFd[] | undefined {
  const n = int(args[0]);
  const wordBytes = proc.abi.wordSize;
  const bytes = Math.ceil(Math.max(0, n) / (wordBytes * 8)) * wordBytes;
  const out: HostPollFd[] = [];
  const sets = [args[1]!, args[2]!, args[3]!];
  const events = [POLLIN, POLLOUT, POLLPRI];
  for (let k = 0; k < 3; k++) {
    const set = sets[k]!;
    if (set === 0) continue;
    if (!proc.memory.accessible(set, bytes, true)) return undefined;
    for (let fd = 0; fd < n; fd++) {
      const word = set + Math.floor(fd / (wordBytes * 8)) * wordBytes;
      const bit = fd % (wordBytes * 8);
      const value = wordBytes === 8 ? proc.memory.view.getBigUint64(word, proc.memory.littleEndian) : BigInt(proc.memory.view.getUint32(word, proc.memory.littleEndian));
      if (!((value >> BigInt(bit)) & 1n)) continue;
      const host = hostFd(proc, fd);
      if (host < 0) return undefined;
      out.push({ fd: host, events: events[k]! });
    }
  }
  return out;
}

/**
 * A wait on descriptors: when one is ready already (or the call will fail at once) it simply
 * runs; otherwise the thread parks on them until one is, when the call runs again, or until the
 * deadline, when it finishes with a zero timeout. A call's signal mask (`maskAt`: ppoll, pselect6,
 * epoll_pwait) is the thread's while it is parked, so the signals it lets through end the wait.
 */
function descriptorWait(
  at: TimeoutArg,
  descriptors: (proc: GuestProcess, args: SyscallArgs) => HostPollFd[] | undefined,
  maskAt?: WaitMaskArg,
): (nr: number) => Rule {
  return (nr) => (proc, args, name) => {
    const timeout = readTimeout(proc, args, name, at);
    if (timeout === 0n || timeout === 'invalid') return;
    const fds = descriptors(proc, args);
    if (fds === undefined || hostReady(fds).some((ready) => ready)) return;
    const mask = maskAt && waitMask(proc, args, maskAt);
    if (typeof mask === 'number') return;
    if (mask !== undefined && enterWaitMask(proc, mask)) finishCall(proc, -E.EINTR);
    block(proc, {
      fds,
      ...(timeout !== undefined ? { deadline: monotonicNs() + timeout, onTimeout: () => runWithZeroTimeout(proc, nr, args, name, at) } : {}),
    });
  };
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

const INPUT: DescriptorWait = { index: 0, events: POLLIN };
const RECEIVE_INPUT: DescriptorWait = { index: 0, events: POLLIN, flagsAt: 3 };
const RECEIVE_MSG_INPUT: DescriptorWait = { index: 0, events: POLLIN, flagsAt: 2 };

/** The calls that wait for input on a descriptor. */
const INPUT_WAITS: Readonly<Record<string, DescriptorWait>> = {
  read: INPUT,
  readv: INPUT,
  accept: INPUT,
  accept4: INPUT,
  recv: RECEIVE_INPUT,
  recvfrom: RECEIVE_INPUT,
  recvmsg: RECEIVE_MSG_INPUT,
};

/** Whether `name` is a call that waits for input on a descriptor (it may then block the host). */
export function isInputWait(name: string | undefined): name is string {
  return name !== undefined && name in INPUT_WAITS;
}

/** Whether input-waiting call `name` (isInputWait) would wait now: its descriptor blocks and has no input. */
export function waitsForInput(proc: GuestProcess, name: string, args: SyscallArgs): boolean {
  return waitingDescriptor(proc, args, INPUT_WAITS[name]!) !== undefined;
}

const READ = onDescriptor(INPUT);

const WRITABLE = onDescriptor({ index: 0, events: POLLOUT });
const RECEIVE = onDescriptor(RECEIVE_INPUT);
const RECEIVE_MSG = onDescriptor(RECEIVE_MSG_INPUT);
const SEND = onDescriptor({ index: 0, events: POLLOUT, flagsAt: 3 });
const SEND_MSG = onDescriptor({ index: 0, events: POLLOUT, flagsAt: 2 });
const RULES: Readonly<Record<string, (nr: number) => Rule>> = {
  read: () => READ,
  readv: () => READ,
  recv: () => RECEIVE,
  recvfrom: () => RECEIVE,
  recvmsg: () => RECEIVE_MSG,
  accept: () => READ,
  accept4: () => READ,
  connect,
  flock: flockWait,
  fcntl: fcntlLockWait,
  fcntl64: fcntlLockWait,
  write: (nr) => WRITES_IN_PIECES['write']!(nr, WRITABLE),
  writev: (nr) => WRITES_IN_PIECES['writev']!(nr, WRITABLE),
  send: (nr) => WRITES_IN_PIECES['send']!(nr, SEND),
  sendto: (nr) => WRITES_IN_PIECES['sendto']!(nr, SEND),
  sendmsg: (nr) => WRITES_IN_PIECES['sendmsg']!(nr, SEND_MSG),
  poll: descriptorWait({ kind: 'ms', index: 2 }, (p, a) => pollDescriptors(p, a[0]!, a[1]! >>> 0)),
  ppoll: descriptorWait({ kind: 'timespec', index: 2 }, (p, a) => pollDescriptors(p, a[0]!, a[1]! >>> 0), PPOLL_MASK),
  ppoll_time64: descriptorWait({ kind: 'timespec', index: 2 }, (p, a) => pollDescriptors(p, a[0]!, a[1]! >>> 0), PPOLL_MASK),
  epoll_wait: descriptorWait({ kind: 'ms', index: 3 }, (p, a) => epollDescriptor(p, a)),
  epoll_pwait: descriptorWait({ kind: 'ms', index: 3 }, (p, a) => epollDescriptor(p, a), EPOLL_PWAIT_MASK),
  epoll_pwait2: descriptorWait({ kind: 'timespec', index: 3 }, (p, a) => epollDescriptor(p, a)),
  select: descriptorWait({ kind: 'timeval', index: 4 }, selectDescriptors),
  _newselect: descriptorWait({ kind: 'timeval', index: 4 }, selectDescriptors),
  pselect6: descriptorWait({ kind: 'timespec', index: 4 }, selectDescriptors, PSELECT6_MASK),
  pselect6_time64: descriptorWait({ kind: 'timespec', index: 4 }, selectDescriptors, PSELECT6_MASK),
  nanosleep: () => sleep(undefined, 0),
  clock_nanosleep: () => sleep(0, 2),
  clock_nanosleep_time64: () => sleep(0, 2),
  pause: () => (proc) => block(proc, {}),
  wait4,
  msgsnd: ipcNoWait(3, E.EAGAIN),
  msgrcv: ipcNoWait(4, E.ENOMSG),
  semop: () => semWait({ id: 0, sops: 1, nsops: 2 }),
  semtimedop: () => semWait({ id: 0, sops: 1, nsops: 2, timeout: 3 }),
  semtimedop_time64: () => semWait({ id: 0, sops: 1, nsops: 2, timeout: 3 }),
  ipc: ipcMultiplexer,
};

/** An epoll descriptor is readable when it has events to report (undefined: not open, the call fails at once). */
function epollDescriptor(proc: GuestProcess, args: SyscallArgs): HostPollFd[] | undefined {
  const fd = hostFd(proc, int(args[0]));
  return fd < 0 ? undefined : [{ fd, events: POLLIN }];
}

/** Parks the running thread (throws ThreadSwitch) when syscall `nr` would block the host; returns when it may simply run. */
export function parkIfBlocking(proc: GuestProcess, nr: number, args: SyscallArgs): void {
  const entry = proc.abi.syscalls.get(nr);
  if (!entry?.definition) return;
  RULES[entry.name]?.(nr)(proc, args, entry.name);
}
