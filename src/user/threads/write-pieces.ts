/**
 * Blocking writes larger than what a pipe or stream socket takes now, seen from a process with
 * several guest threads: write, writev, send, sendto and sendmsg (without MSG_DONTWAIT; the control
 * messages of a sendmsg, SCM_RIGHTS descriptors, go with its first piece, as the kernel attaches
 * them to the first bytes it queues) go in pieces that fit, the thread parked until the descriptor
 * is writable between them, and end with the whole count, or the count so far when a signal ends
 * a wait, as the kernel's blocking write does. So a thread can write a megabyte into a pipe whose
 * reader is another thread of the same process. A write that fits, or goes to a file, terminal or
 * message socket (whose messages must not be split), runs as usual.
 */
import type { GuestProcess } from '../process';
import type { SyscallArgs } from '../../syscalls/types';
import { int } from '../../syscalls/linux/define';
import { hostFd } from '../../syscalls/linux/fd-table';
import { E, guestRange, guestStruct } from '../../syscalls/linux/guest-access';
import { HOST, hostArena, hostStructArray, hostSyscall } from '../../syscalls/linux/host';
import { controlToHost } from '../../syscalls/linux/msghdr';
import { SOL_SOCKET } from '../../syscalls/linux/sockopt';
import { block, currentThreadId, finishCall, hostReady } from './scheduler';

const POLLOUT = 4;
const F_GETFL = 3;
const MSG_DONTWAIT = 0x40;
const SOCK_STREAM = 1;
/** The bytes a pipe with a free slot takes without blocking (the host's page; POSIX's PIPE_BUF on Linux). */
const PIPE_BUF = 4096;
const MAX_COUNT = 0x7fffffff;

/** Decides for one call: returns normally when it runs as usual, else parks the thread or ends the call. */
export type WriteRule = (proc: GuestProcess, args: SyscallArgs, name: string) => void;

/** One call's data: its host descriptor, byte count, and how bytes [from, from + length) of it are written. */
interface Payload {
  readonly fd: number;
  readonly total: number;
  write(from: number, length: number): number;
}

/** Bytes written so far by a thread's blocking write that did not fit at once, by thread id. */
const writeProgress = new WeakMap<GuestProcess, Map<number, number>>();

/** An int SOL_SOCKET option of host descriptor `fd`; undefined when it is not a socket. */
export function hostSocketOption(fd: number, name: 'SO_TYPE' | 'SO_ERROR'): number | undefined {
  const option = HOST.socketOptions?.[name];
  if (option === undefined) return undefined;
  const value = hostArena.alloc(8);
  hostArena.view.setInt32(value + 4, 4, true);
  const r = hostSyscall('getsockopt', fd, SOL_SOCKET, option, hostArena.address(value), hostArena.address(value + 4));
  return r < 0 ? undefined : hostArena.view.getInt32(value, true);
}

/**
 * How many bytes host descriptor `fd` takes now without blocking, when that can be less than a
 * write wants: for a pipe, its free slots of a page each (one slot may hold the part of a page the
 * reader left, so it is not counted); for a stream socket, PIPE_BUF (writable means at least half
 * the send buffer is free). Undefined for anything else (a file or terminal takes the whole write,
 * a datagram or seqpacket socket takes a message whole or not at all).
 */
function room(fd: number): number | undefined {
  const capacity = hostSyscall('fcntl', fd, HOST.fcntlCommands.F_GETPIPE_SZ);
  if (capacity > 0) {
    const unread = hostArena.alloc(4);
    hostSyscall('ioctl', fd, HOST.ioctls.FIONREAD, hostArena.address(unread));
    const slots = capacity / PIPE_BUF - Math.ceil(hostArena.view.getInt32(unread, true) / PIPE_BUF) - 1;
    return Math.max(PIPE_BUF, slots * PIPE_BUF);
  }
  return hostSocketOption(fd, 'SO_TYPE') === SOCK_STREAM ? PIPE_BUF : undefined;
}

/** The guest buffers of an iovec array as host [address, length] pairs; undefined when one is unreadable (the call reports it). */
function hostBuffers(proc: GuestProcess, iov: number, count: number): [number, number][] | undefined {
  if (count < 0 || count > 1024) return undefined;
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const v = guestStruct(proc, 'iovec', iov, false, i);
    const length = v?.num('len');
    const host = v && guestRange(proc, v.num('base'), length!, false);
    if (host === undefined) return undefined;
    out.push([host, length!]);
  }
  return out;
}

/** A host iovec array for bytes [from, from + length) of `buffers`: its address and element count. */
function iovecWindow(buffers: readonly [number, number][], from: number, length: number): [number, number] {
  const pieces: [number, number][] = [];
  let at = 0;
  for (const [base, len] of buffers) {
    const start = Math.max(from, at);
    const end = Math.min(from + length, at + len);
    if (start < end) pieces.push([base + start - at, end - start]);
    at += len;
  }
  const host = hostStructArray('iovec', pieces.length);
  pieces.forEach(([base, len], i) => {
    host.views[i]!.set('base', base);
    host.views[i]!.set('len', len);
  });
  return [host.address, pieces.length];
}

/** A host msghdr carrying the iovec window and `control` (host control messages: [address, length]), no name (a stream's). */
function sendWindow(fd: number, buffers: readonly [number, number][], flags: number, from: number, length: number, control?: [number, number]): number {
  const [iov, count] = iovecWindow(buffers, from, length);
  const msg = hostStructArray('msghdr', 1);
  msg.views[0]!.set('iov', iov);
  msg.views[0]!.set('iovlen', count);
  if (control) {
    msg.views[0]!.set('control', control[0]);
    msg.views[0]!.set('controllen', control[1]);
  }
  return hostSyscall('sendmsg', fd, msg.address, flags);
}

/** write, send, sendto: one buffer (fd, buf, count, ...); the pieces are the same call on parts of it. */
function singleBuffer(proc: GuestProcess, args: SyscallArgs, nr: number, flagsAt?: number): Payload | undefined {
  if (flagsAt !== undefined && int(args[flagsAt]) & MSG_DONTWAIT) return undefined;
  const handler = proc.abi.syscalls.get(nr)!.definition!.handler;
  return {
    fd: hostFd(proc, int(args[0])),
    total: args[2]!,
    write: (from, length) => handler(proc, [args[0]!, args[1]! + from, length, ...args.slice(3)]),
  };
}

function vectorSum(buffers: readonly [number, number][]): number {
  return buffers.reduce((n, [, len]) => n + len, 0);
}

/** writev(fd, iov, count): the pieces are host writev calls on windows of the buffers. */
function writevPayload(proc: GuestProcess, [fdArg, iov, count]: SyscallArgs): Payload | undefined {
  const fd = hostFd(proc, int(fdArg));
  const buffers = hostBuffers(proc, iov!, int(count));
  if (!buffers) return undefined;
  return { fd, total: vectorSum(buffers), write: (from, length) => hostSyscall('writev', fd, ...iovecWindow(buffers, from, length)) };
}

/** sendmsg(fd, msg, flags): the pieces are host sendmsg calls on windows of its iovecs, the first with its control messages. */
function sendmsgPayload(proc: GuestProcess, [fdArg, msgArg, flagsArg]: SyscallArgs): Payload | undefined {
  const flags = int(flagsArg);
  const msg = guestStruct(proc, 'msghdr', msgArg!, false);
  if (flags & MSG_DONTWAIT || !msg) return undefined;
  const fd = hostFd(proc, int(fdArg));
  const buffers = hostBuffers(proc, msg.num('iov'), msg.num('iovlen'));
  if (!buffers) return undefined;
  const write = (from: number, length: number): number => {
    if (from > 0 || msg.num('controllen') === 0) return sendWindow(fd, buffers, flags, from, length);
    const control = controlToHost(proc, msg.num('control'), msg.num('controllen'));
    return typeof control === 'number' ? control : sendWindow(fd, buffers, flags, from, length, control);
  };
  return { fd, total: vectorSum(buffers), write };
}

/**
 * The rule for a write-like call whose data `payloadOf` describes: parks until the descriptor is
 * writable; a write that fits (or goes where it is never split) then runs as usual, a larger one
 * is written in pieces that fit, parking between them. A call it does not describe (MSG_DONTWAIT,
 * unreadable buffers) is left to `otherwise`.
 */
function inPieces(payloadOf: (proc: GuestProcess, args: SyscallArgs) => Payload | undefined, otherwise: WriteRule): WriteRule {
  return (proc, args, name) => {
    const payload = payloadOf(proc, args);
    if (!payload) return otherwise(proc, args, name);
    const { fd, total } = payload;
    if (fd < 0 || total <= 0 || total > MAX_COUNT || hostSyscall('fcntl', fd, F_GETFL) & HOST.openFlags.O_NONBLOCK) return;
    const tid = currentThreadId(proc)!;
    const progress = writeProgress.get(proc) ?? new Map<number, number>();
    writeProgress.set(proc, progress);
    let done = progress.get(tid) ?? 0;
    progress.delete(tid);
    for (;;) {
      const wanted = [{ fd, events: POLLOUT }];
      if (!hostReady(wanted)[0]) {
        if (done > 0) progress.set(tid, done);
        const sofar = done;
        const interrupted = (): number => {
          progress.delete(tid);
          return sofar > 0 ? sofar : -E.EINTR;
        };
        block(proc, { fds: wanted, onSignal: interrupted });
      }
      const fits = total - done <= PIPE_BUF ? total - done : room(fd);
      if (done === 0 && (fits === undefined || fits >= total)) return;
      const r = payload.write(done, Math.min(total - done, fits ?? total));
      if (r < 0) finishCall(proc, done > 0 ? done : r);
      done += r;
      if (done >= total) finishCall(proc, done);
    }
  };
}

/**
 * The write-like calls that go in pieces, by name, each given its syscall number and the rule for
 * the calls it leaves (the plain wait until the descriptor is writable).
 */
export const WRITES_IN_PIECES: Readonly<Record<string, (nr: number, otherwise: WriteRule) => WriteRule>> = {
  write: (nr, otherwise) => inPieces((proc, args) => singleBuffer(proc, args, nr), otherwise),
  send: (nr, otherwise) => inPieces((proc, args) => singleBuffer(proc, args, nr, 3), otherwise),
  sendto: (nr, otherwise) => inPieces((proc, args) => singleBuffer(proc, args, nr, 3), otherwise),
  writev: (_nr, otherwise) => inPieces(writevPayload, otherwise),
  sendmsg: (_nr, otherwise) => inPieces(sendmsgPayload, otherwise),
};
