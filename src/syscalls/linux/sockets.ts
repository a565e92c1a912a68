/**
 * The BSD socket calls on host sockets: descriptors through the guest descriptor table, socket
 * addresses through sockaddr.ts, messages through msghdr.ts, options through sockopt.ts. A socket
 * type's SOCK_NONBLOCK and SOCK_CLOEXEC bits are the ABI's O_NONBLOCK and O_CLOEXEC, translated
 * by name. Blocking calls (accept, recv) block the thread running the guest, as natively.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { fdCall, fdTable, hostFd, newGuestFd } from './fd-table';
import { strictOpenFlagsToHost } from './flags';
import { E, guestRange } from './guest-access';
import { HOST, hostSyscall } from './host';
import { recvmmsg, recvmsg, sendmmsg, sendmsg } from './msghdr';
import { hostSockaddrIn, hostSockaddrOut } from './sockaddr';
import { getsockopt, setsockopt } from './sockopt';
import { shutdownHow, socketDomain, socketType, sockoptLevel } from './strace-names';

const SOCK_TYPE_MASK = 0xf;

/** A socket type word with its flag bits in host values, or undefined when a flag bit is unknown. */
function hostSocketType(proc: GuestProcess, type: number): number | undefined {
  const flags = strictOpenFlagsToHost(proc.abi, HOST, type & ~SOCK_TYPE_MASK);
  return flags === undefined ? undefined : (type & SOCK_TYPE_MASK) | flags;
}

function socket(proc: GuestProcess, [domain, type, protocol]: SyscallArgs): number {
  const t = hostSocketType(proc, int(type));
  return t === undefined ? -E.EINVAL : newGuestFd(proc, hostSyscall('socket', int(domain), t, int(protocol)));
}

/** socketpair: the host fills the guest's int[2], whose host descriptors then get guest numbers. */
function socketpair(proc: GuestProcess, [domain, type, protocol, sv]: SyscallArgs): number {
  const t = hostSocketType(proc, int(type));
  if (t === undefined) return -E.EINVAL;
  const host = guestRange(proc, sv!, 8, true);
  if (host === undefined) return -E.EFAULT;
  const r = hostSyscall('socketpair', int(domain), t, int(protocol), host);
  if (r < 0) return r;
  const view = proc.memory.view;
  for (const at of [sv!, sv! + 4]) view.setInt32(at, fdTable(proc).add(view.getInt32(at, HOST.littleEndian)), proc.memory.littleEndian);
  return 0;
}

/** bind/connect: a descriptor and an address the host reads. */
function addressIn(name: string) {
  return (proc: GuestProcess, [fdArg, addr, length]: SyscallArgs): number => {
    const fd = hostFd(proc, int(fdArg));
    if (fd < 0) return fd;
    const a = hostSockaddrIn(proc, addr!, int(length));
    return a < 0 ? a : hostSyscall(name, fd, a, int(length));
  };
}

/** getsockname/getpeername: an address the host fills. */
function addressOut(name: string) {
  return (proc: GuestProcess, [fdArg, addr, lengthAddr]: SyscallArgs): number => {
    const fd = hostFd(proc, int(fdArg));
    if (fd < 0) return fd;
    if (addr === 0 || lengthAddr === 0) return -E.EFAULT;
    const out = hostSockaddrOut(proc, addr!, lengthAddr!);
    if (typeof out === 'number') return out;
    const r = hostSyscall(name, fd, out.addr, out.lengthAddr);
    if (r >= 0) out.copyBack();
    return r;
  };
}

function accept4(proc: GuestProcess, [fdArg, addr, lengthAddr, flags]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const hostFlags = strictOpenFlagsToHost(proc.abi, HOST, int(flags));
  if (hostFlags === undefined) return -E.EINVAL;
  const out = hostSockaddrOut(proc, addr!, lengthAddr!);
  if (typeof out === 'number') return out;
  const r = hostSyscall('accept4', fd, out.addr, out.lengthAddr, hostFlags);
  if (r >= 0) out.copyBack();
  return newGuestFd(proc, r);
}

function sendto(proc: GuestProcess, [fdArg, buf, length, flags, addr, addrLength]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const data = guestRange(proc, buf!, length!, false);
  if (data === undefined) return -E.EFAULT;
  const a = hostSockaddrIn(proc, addr ?? 0, int(addrLength));
  if (a < 0) return a;
  return hostSyscall('sendto', fd, data, length!, int(flags), a, a === 0 ? 0 : int(addrLength));
}

function recvfrom(proc: GuestProcess, [fdArg, buf, length, flags, addr, lengthAddr]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const data = guestRange(proc, buf!, length!, true);
  if (data === undefined) return -E.EFAULT;
  const out = hostSockaddrOut(proc, addr ?? 0, lengthAddr ?? 0);
  if (typeof out === 'number') return out;
  const r = hostSyscall('recvfrom', fd, data, length!, int(flags), out.addr, out.lengthAddr);
  if (r >= 0) out.copyBack();
  return r;
}

export const SOCKET_SYSCALLS: SyscallGroup = {
  socket: syscall([socketDomain, socketType, 'd'], socket),
  socketpair: syscall([socketDomain, socketType, 'd', 'x'], socketpair),
  bind: syscall('dxd', addressIn('bind')),
  connect: syscall('dxd', addressIn('connect')),
  listen: syscall('dd', fdCall('listen')),
  accept4: syscall('dxxh', accept4),
  accept: syscall('dxx', (p, [fd, addr, len]) => accept4(p, [fd!, addr!, len!, 0])),
  getsockname: syscall('dxx', addressOut('getsockname')),
  getpeername: syscall('dxx', addressOut('getpeername')),
  sendto: syscall('dxdhxd', sendto),
  recvfrom: syscall('dxdhxx', recvfrom),
  send: syscall('dxdh', (p, [fd, buf, len, flags]) => sendto(p, [fd!, buf!, len!, flags!, 0, 0])),
  recv: syscall('dxdh', (p, [fd, buf, len, flags]) => recvfrom(p, [fd!, buf!, len!, flags!, 0, 0])),
  sendmsg: syscall('dxh', sendmsg),
  recvmsg: syscall('dxh', recvmsg),
  sendmmsg: syscall('dxdh', sendmmsg),
  recvmmsg: syscall('dxdhx', recvmmsg),
  shutdown: syscall(['d', shutdownHow], fdCall('shutdown')),
  getsockopt: syscall(['d', sockoptLevel, 'd', 'x', 'x'], getsockopt),
  setsockopt: syscall(['d', sockoptLevel, 'd', 'x', 'd'], setsockopt),
};
