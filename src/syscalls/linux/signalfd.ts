/**
 * signalfd and signalfd4. Guest signals wait in tsemu's pending set (user/signals/pending.ts), not
 * in the host kernel's, so a host signalfd would never see them. A guest signalfd is instead the
 * read end of a host pipe that holds one byte while a signal of its mask is pending, so poll,
 * select and epoll (the host's) see it readable exactly then; a read of it takes the pending
 * signals of its mask as the kernel's signalfd_read does and writes them as struct
 * signalfd_siginfo records. A forked child gets pipes of its own behind the same descriptors, since
 * its pending signals are its own. Left: a signalfd kept across execve becomes a plain pipe in the
 * new program; fstat and /proc/self/fd show a pipe, not anon_inode:[signalfd]; readiness follows
 * the process's pending signals, not those sent to one thread with tgkill.
 */
import type { GuestProcess } from '../../user/process';
import { unblockable } from '../../user/signals/dispositions';
import { watchPending } from '../../user/signals/pending';
import type { SigInfo } from '../../user/signals/siginfo';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { identity } from './fd-kinds';
import { hostFd, newGuestFd } from './fd-table';
import { E, guestRange } from './guest-access';
import { HOST, hostArena, hostPipe, hostSyscall } from './host';
import { syscallState } from './process-state';
import { readSigset } from './signals';
import { takeSignal, waitForSignal } from './sigwait';

/** sizeof(struct signalfd_siginfo) on every ABI (include/uapi/linux/signalfd.h). */
const RECORD_SIZE = 128;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const FIONREAD = 0x541b;

interface SignalFd {
  mask: bigint;
  /** tsemu's end of the pipe (close-on-exec, non-blocking). */
  writeEnd: number;
  /** The read end's file identity, to tell it from another file given the same host number later. */
  readIdentity: string;
}

/** Each process's signalfds by the host number of the pipe's read end (the guest's descriptor). */
const signalFds = new WeakMap<GuestProcess, Map<number, SignalFd>>();

function signalFdsOf(proc: GuestProcess): Map<number, SignalFd> {
  let fds = signalFds.get(proc);
  if (!fds) {
    fds = new Map();
    signalFds.set(proc, fds);
    watchPending(proc, () => showPending(proc));
  }
  return fds;
}

/** The signalfd behind host descriptor `fd`, if it is one. */
function signalFdAt(proc: GuestProcess, fd: number): SignalFd | undefined {
  const fds = signalFds.get(proc);
  const entry = fds?.get(fd);
  if (!entry || entry.readIdentity === identity(fd)) return entry;
  fds!.delete(fd);
  hostSyscall('close', entry.writeEnd);
  return undefined;
}

function bytesInPipe(fd: number): number {
  const count = hostArena.alloc(4);
  return hostSyscall('ioctl', fd, FIONREAD, hostArena.address(count)) < 0
    ? 0
    : hostArena.view.getInt32(count, true);
}

/** Makes each signalfd's pipe hold a byte exactly while a signal of its mask is pending; forgets those no process reads any more. */
function showPending(proc: GuestProcess): void {
  const fds = signalFds.get(proc)!;
  const pending = syscallState(proc).pending;
  for (const [fd, entry] of fds) {
    const wanted = (pending & entry.mask) !== 0n;
    const held = bytesInPipe(fd) > 0;
    if (wanted === held) continue;
    const byte = hostArena.alloc(1);
    const r = hostSyscall(
      wanted ? 'write' : 'read',
      wanted ? entry.writeEnd : fd,
      hostArena.address(byte),
      1,
    );
    if (r === -E.EPIPE) {
      fds.delete(fd);
      hostSyscall('close', entry.writeEnd);
    }
  }
}

/** The sigval's int member: the first four bytes of the union in the guest's byte order. */
function sigvalInt(value: bigint, wordSize: 4 | 8, littleEndian: boolean): number {
  return Number(BigInt.asIntN(32, wordSize === 8 && !littleEndian ? value >> 32n : value));
}

/** Writes `info` as struct signalfd_siginfo at `at`, with the fields the kernel's signalfd_copyinfo fills for its kind. */
function writeRecord(proc: GuestProcess, at: number, info: SigInfo): void {
  const memory = proc.memory;
  const view = memory.view;
  const le = memory.littleEndian;
  const wordSize = proc.abi.wordSize;
  memory.writeBytes(at, new Uint8Array(RECORD_SIZE));
  let { pid, uid, addr, status, timer } = info;
  let value: bigint | undefined = timer?.value;
  if (info.raw) {
    // rt_sigqueueinfo's whole siginfo: sender, then the sigval, in the union after the three ints.
    const raw = new DataView(info.raw.buffer, info.raw.byteOffset, info.raw.length);
    const union = wordSize === 8 ? 16 : 12;
    pid = raw.getInt32(union, le);
    uid = raw.getUint32(union + 4, le);
    value = wordSize === 8 ? raw.getBigUint64(union + 8, le) : BigInt(raw.getUint32(union + 8, le));
  }
  view.setUint32(at, info.signo, le);
  view.setInt32(at + 4, info.errno ?? 0, le);
  view.setInt32(at + 8, info.code, le);
  if (pid !== undefined) view.setUint32(at + 12, pid, le);
  if (uid !== undefined) view.setUint32(at + 16, uid, le);
  if (timer) {
    view.setUint32(at + 24, timer.id, le);
    view.setUint32(at + 32, timer.overrun, le);
  }
  if (status !== undefined) view.setInt32(at + 40, status, le);
  if (value !== undefined) {
    view.setInt32(at + 44, sigvalInt(value, wordSize, le), le);
    view.setBigUint64(at + 48, value, le);
  }
  if (addr !== undefined) view.setBigUint64(at + 72, BigInt(addr), le);
}

/** Takes pending signals of `mask` into records at `buf` (room for `room` of them); how many it took. */
function takeRecords(proc: GuestProcess, mask: bigint, buf: number, room: number): number {
  let taken = 0;
  for (let info = takeSignal(proc, mask); info; info = taken < room ? takeSignal(proc, mask) : undefined) {
    writeRecord(proc, buf + taken * RECORD_SIZE, info);
    taken++;
  }
  return taken;
}

/** read(2) of a signalfd; undefined when guest descriptor `args[0]` is not one (a plain read then). */
export function readSignalFd(proc: GuestProcess, [fdArg, buf, count]: SyscallArgs): number | undefined {
  if (!signalFds.has(proc)) return undefined;
  const fd = hostFd(proc, int(fdArg));
  const entry = fd < 0 ? undefined : signalFdAt(proc, fd);
  if (!entry) return undefined;
  const room = Math.floor(count! / RECORD_SIZE);
  if (room === 0) return -E.EINVAL;
  if (guestRange(proc, buf!, room * RECORD_SIZE, true) === undefined) return -E.EFAULT;
  const taken = takeRecords(proc, entry.mask, buf!, room);
  if (taken > 0) return taken * RECORD_SIZE;
  if (hostSyscall('fcntl', fd, F_GETFL) & HOST.openFlags.O_NONBLOCK) return -E.EAGAIN;
  const waited = waitForSignal(proc, entry.mask, undefined, () => {
    const n = takeRecords(proc, entry.mask, buf!, room);
    return n > 0 ? n * RECORD_SIZE : undefined;
  });
  return waited ?? -E.EAGAIN;
}

function signalfd4(proc: GuestProcess, [fdArg, maskAddr, sizemask, flags]: SyscallArgs): number {
  const { O_CLOEXEC, O_NONBLOCK } = proc.abi.openFlags;
  const f = int(flags);
  if (f & ~(O_CLOEXEC | O_NONBLOCK) || sizemask !== proc.abi.nsig / 8) return -E.EINVAL;
  const requested = readSigset(proc, maskAddr!);
  if (requested === undefined) return -E.EFAULT;
  const mask = requested & ~unblockable(proc.abi);
  const fds = signalFdsOf(proc);
  if (int(fdArg) !== -1) {
    const fd = hostFd(proc, int(fdArg));
    if (fd < 0) return fd;
    const entry = signalFdAt(proc, fd);
    if (!entry) return -E.EINVAL;
    entry.mask = mask;
    showPending(proc);
    return int(fdArg);
  }
  const pipe = hostPipe(HOST.openFlags.O_CLOEXEC);
  if (!pipe) return -E.EMFILE;
  const [readEnd, writeEnd] = pipe;
  hostSyscall('fcntl', writeEnd, F_SETFL, HOST.openFlags.O_NONBLOCK);
  if (f & O_NONBLOCK) hostSyscall('fcntl', readEnd, F_SETFL, HOST.openFlags.O_NONBLOCK);
  if (!(f & O_CLOEXEC)) hostSyscall('fcntl', readEnd, F_SETFD, 0);
  fds.set(readEnd, { mask, writeEnd, readIdentity: identity(readEnd) });
  showPending(proc);
  return newGuestFd(proc, readEnd);
}

/**
 * A forked child's side: each signalfd gets a new pipe under the same host number, with the same
 * descriptor and status flags, so the parent's pending signals and the child's stay apart.
 */
export function separateSignalFdsInChild(proc: GuestProcess): void {
  for (const [fd, entry] of signalFds.get(proc) ?? []) {
    const pipe = hostPipe(HOST.openFlags.O_CLOEXEC);
    if (!pipe) continue;
    const fdFlags = hostSyscall('fcntl', fd, F_GETFD);
    const statusFlags = hostSyscall('fcntl', fd, F_GETFL);
    hostSyscall('dup3', pipe[0], fd, fdFlags & 1 ? HOST.openFlags.O_CLOEXEC : 0);
    hostSyscall('fcntl', fd, F_SETFL, statusFlags & HOST.openFlags.O_NONBLOCK);
    hostSyscall('close', pipe[0]);
    hostSyscall('close', entry.writeEnd);
    hostSyscall('fcntl', pipe[1], F_SETFL, HOST.openFlags.O_NONBLOCK);
    entry.writeEnd = pipe[1];
    entry.readIdentity = identity(fd);
  }
}

export const SIGNALFD_SYSCALLS: SyscallGroup = {
  signalfd4: syscall('dxdh', signalfd4),
  signalfd: syscall('dxd', (p, [fd, mask, sizemask]) => signalfd4(p, [fd, mask, sizemask, 0])),
};
