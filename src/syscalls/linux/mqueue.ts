/**
 * POSIX message queues (mq_open, mq_unlink, mq_timedsend, mq_timedreceive, mq_notify,
 * mq_getsetattr) on the host's: a queue descriptor is a descriptor in the guest's table, the
 * messages are bytes, struct mq_attr is four longs (then reserved ones) converted to the host's, a
 * message priority is an unsigned int in the guest's byte order. mq_notify takes no notification
 * (NULL) or SIGEV_NONE; a signal or thread notification would come as a host signal or netlink
 * message the guest never sees, and is refused with EINVAL.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallDefinition } from '../abi';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { hostFd, newGuestFd } from './fd-table';
import { openFlagsToHost } from './flags';
import { E, guestRange, withHostStruct } from './guest-access';
import { HOST, hostArena, hostSyscall } from './host';
import { hostStringArg } from './paths';
import type { HostTimeout } from './poll';

/** mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs (then four reserved longs). */
const ATTR_FIELDS = 4;
const HOST_ATTR_SIZE = 8 * 8;
const SIGEV_NONE = 1;

/** The ABI's struct timespec, read by the host. */
const TIMESPEC: HostTimeout = (proc, addr, call) => withHostStruct(proc, 'timespec', addr, 'in', call);

/** A host struct mq_attr holding the guest's at `addr` (0 stays NULL); undefined when unreadable. */
function hostAttr(proc: GuestProcess, addr: number): number | undefined {
  if (addr === 0) return 0;
  const host = hostArena.alloc(HOST_ATTR_SIZE);
  const word = proc.abi.wordSize;
  if (guestRange(proc, addr, ATTR_FIELDS * word, false) === undefined) return undefined;
  const view = proc.memory.view;
  const le = proc.memory.littleEndian;
  for (let i = 0; i < ATTR_FIELDS; i++) {
    const v = word === 8 ? view.getBigInt64(addr + 8 * i, le) : BigInt(view.getInt32(addr + 4 * i, le));
    hostArena.view.setBigInt64(host + 8 * i, v, true);
  }
  return hostArena.address(host);
}

/** Copies a host struct mq_attr (at arena offset `host`) to the guest's at `addr`; false when unwritable. */
function writeAttr(proc: GuestProcess, addr: number, host: number): boolean {
  const word = proc.abi.wordSize;
  if (guestRange(proc, addr, 2 * ATTR_FIELDS * word, true) === undefined) return false;
  const view = proc.memory.view;
  const le = proc.memory.littleEndian;
  for (let i = 0; i < 2 * ATTR_FIELDS; i++) {
    const v = i < ATTR_FIELDS ? hostArena.view.getBigInt64(host + 8 * i, true) : 0n;
    if (word === 8) view.setBigInt64(addr + 8 * i, v, le);
    else view.setInt32(addr + 4 * i, Number(BigInt.asIntN(32, v)), le);
  }
  return true;
}

function mqOpen(proc: GuestProcess, [name, flags, mode, attr]: SyscallArgs): number {
  const n = hostStringArg(proc, name!);
  if (n < 0) return n;
  const a = hostAttr(proc, attr!);
  if (a === undefined) return -E.EFAULT;
  return newGuestFd(proc, hostSyscall('mq_open', n, openFlagsToHost(proc.abi, HOST, int(flags)), mode! >>> 0, a));
}

/** mq_timedsend with the absolute timeout read by `timeout`. */
export function mqTimedsendWith(timeout: HostTimeout): SyscallDefinition {
  return syscall('dxddx', (proc, [fd, msg, len, prio, abs]) => {
    const h = hostFd(proc, int(fd));
    if (h < 0) return h;
    const buf = guestRange(proc, msg!, len!, false);
    if (buf === undefined) return -E.EFAULT;
    return timeout(proc, abs!, (t) => hostSyscall('mq_timedsend', h, buf, len!, prio! >>> 0, t));
  });
}

/** mq_timedreceive with the absolute timeout read by `timeout`; the priority is written in the guest's byte order. */
export function mqTimedreceiveWith(timeout: HostTimeout): SyscallDefinition {
  return syscall('dxdxx', (proc, [fd, msg, len, prio, abs]) => {
    const h = hostFd(proc, int(fd));
    if (h < 0) return h;
    const buf = guestRange(proc, msg!, len!, true);
    if (buf === undefined) return -E.EFAULT;
    if (prio !== 0 && guestRange(proc, prio!, 4, true) === undefined) return -E.EFAULT;
    const hostPrio = hostArena.alloc(4);
    const r = timeout(proc, abs!, (t) => hostSyscall('mq_timedreceive', h, buf, len!, prio === 0 ? 0 : hostArena.address(hostPrio), t));
    if (r >= 0 && prio !== 0) proc.memory.view.setUint32(prio!, hostArena.view.getUint32(hostPrio, true), proc.memory.littleEndian);
    return r;
  });
}

function mqNotify(proc: GuestProcess, [fd, sevp]: SyscallArgs): number {
  const h = hostFd(proc, int(fd));
  if (h < 0) return h;
  if (sevp === 0) return hostSyscall('mq_notify', h, 0);
  const word = proc.abi.wordSize;
  if (guestRange(proc, sevp!, word + 8, false) === undefined) return -E.EFAULT;
  if (proc.memory.view.getInt32(sevp! + word + 4, proc.memory.littleEndian) !== SIGEV_NONE) return -E.EINVAL;
  const host = hostArena.alloc(64);
  hostArena.view.setInt32(host + 12, SIGEV_NONE, true);
  return hostSyscall('mq_notify', h, hostArena.address(host));
}

function mqGetsetattr(proc: GuestProcess, [fd, next, old]: SyscallArgs): number {
  const h = hostFd(proc, int(fd));
  if (h < 0) return h;
  const n = hostAttr(proc, next!);
  if (n === undefined) return -E.EFAULT;
  const o = hostArena.alloc(HOST_ATTR_SIZE);
  const r = hostSyscall('mq_getsetattr', h, n, old === 0 ? 0 : hostArena.address(o));
  return r >= 0 && old !== 0 && !writeAttr(proc, old!, o) ? -E.EFAULT : r;
}

export const MQUEUE_SYSCALLS: SyscallGroup = {
  mq_open: syscall('shox', mqOpen),
  mq_unlink: syscall('s', (p, [name]) => {
    const n = hostStringArg(p, name!);
    return n < 0 ? n : hostSyscall('mq_unlink', n);
  }),
  mq_timedsend: mqTimedsendWith(TIMESPEC),
  mq_timedreceive: mqTimedreceiveWith(TIMESPEC),
  mq_notify: syscall('dx', mqNotify),
  mq_getsetattr: syscall('dxx', mqGetsetattr),
};
