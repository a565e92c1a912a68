/**
 * getsockopt/setsockopt. SOL_SOCKET option numbers are per ABI (PowerPC renumbers six) and are
 * translated by name; other levels (IP, IPv6, TCP, UDP) number their options the same everywhere.
 * Values: the *_OLD receive/send timeouts are a struct timeval of longs (converted through the
 * ABIs' layouts); every other value is ints (int, struct linger, struct ucred...) or bytes, so a
 * guest of the other byte order gets each 4-byte word swapped and the bytes of odd sizes as they are.
 */
import type { GuestProcess } from '../../user/process';
import type { SocketOption } from '../abi';
import { StructView, convertStruct } from '../struct-view';
import type { SyscallArgs } from '../types';
import { int } from './define';
import { hostFd } from './fd-table';
import { translateValue } from './flags';
import { E, guestLayout, guestRange } from './guest-access';
import { HOST, hostArena, hostStructArray, hostSyscall } from './host';

export const SOL_SOCKET = 1;
const TIMEVAL_OPTIONS: ReadonlySet<SocketOption> = new Set(['SO_RCVTIMEO_OLD', 'SO_SNDTIMEO_OLD']);
/** Room for any option value the kernel returns (SO_PEERSEC labels, SO_PEERGROUPS lists). */
const VALUE_MAX = 4096;

function optionName(proc: GuestProcess, level: number, option: number): SocketOption | undefined {
  const names = proc.abi.socketOptions;
  if (level !== SOL_SOCKET || !names) return undefined;
  return (Object.keys(names) as SocketOption[]).find((n) => names[n] === option);
}

/** The host's option number, or undefined for an unknown SOL_SOCKET option (-ENOPROTOOPT). */
function hostOption(proc: GuestProcess, level: number, option: number): number | undefined {
  if (level !== SOL_SOCKET) return option;
  const guest = proc.abi.socketOptions;
  return guest && HOST.socketOptions ? translateValue(option, guest, HOST.socketOptions) : undefined;
}

/** Swaps every whole 4-byte word when guest and host byte orders differ. */
function swapWords(proc: GuestProcess, bytes: Uint8Array): void {
  if (proc.memory.littleEndian === HOST.littleEndian) return;
  for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
}

function timevalViews(proc: GuestProcess, addr: number): { guest: StructView<'sec' | 'usec'>; host: ReturnType<typeof hostStructArray<'timeval'>> } {
  const layout = guestLayout(proc, 'timeval');
  return { guest: new StructView(proc.memory.view, addr, layout, proc.memory.littleEndian), host: hostStructArray('timeval', 1) };
}

export function setsockopt(proc: GuestProcess, [fdArg, levelArg, optArg, value, lengthArg]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const level = int(levelArg);
  const option = hostOption(proc, level, int(optArg));
  if (option === undefined) return -E.ENOPROTOOPT;
  const length = int(lengthArg);
  if (length < 0) return -E.EINVAL;
  if (guestRange(proc, value!, length, false) === undefined) return -E.EFAULT;
  const name = optionName(proc, level, int(optArg));
  if (name && TIMEVAL_OPTIONS.has(name)) {
    if (length < guestLayout(proc, 'timeval').size) return -E.EINVAL;
    const tv = timevalViews(proc, value!);
    convertStruct(tv.guest, tv.host.views[0]!);
    return hostSyscall('setsockopt', fd, level, option, tv.host.address, HOST.layouts.timeval.size);
  }
  const at = hostArena.alloc(Math.max(length, 1));
  const bytes = hostArena.bytesAt(at, length);
  bytes.set(proc.memory.u8.subarray(value!, value! + length));
  swapWords(proc, bytes);
  return hostSyscall('setsockopt', fd, level, option, hostArena.address(at), length);
}

export function getsockopt(proc: GuestProcess, [fdArg, levelArg, optArg, value, lengthAddr]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const level = int(levelArg);
  const option = hostOption(proc, level, int(optArg));
  if (option === undefined) return -E.ENOPROTOOPT;
  const le = proc.memory.littleEndian;
  if (guestRange(proc, lengthAddr!, 4, true) === undefined) return -E.EFAULT;
  const length = proc.memory.view.getInt32(lengthAddr!, le);
  if (length < 0) return -E.EINVAL;
  if (guestRange(proc, value!, length, true) === undefined) return -E.EFAULT;
  const name = optionName(proc, level, int(optArg));
  const hostLength = hostArena.alloc(4);
  const timeval = name !== undefined && TIMEVAL_OPTIONS.has(name);
  const size = timeval ? HOST.layouts.timeval.size : Math.min(Math.max(length, 0), VALUE_MAX);
  hostArena.view.setUint32(hostLength, size, HOST.littleEndian);
  const buf = hostArena.alloc(Math.max(size, 1));
  const r = hostSyscall('getsockopt', fd, level, option, hostArena.address(buf), hostArena.address(hostLength));
  if (r < 0) return r;
  const got = hostArena.view.getUint32(hostLength, HOST.littleEndian);
  if (timeval) {
    const guestSize = guestLayout(proc, 'timeval').size;
    if (length < guestSize) return -E.EINVAL;
    const tv = timevalViews(proc, value!);
    const host = new StructView(hostArena.view, buf, HOST.layouts.timeval, HOST.littleEndian);
    convertStruct(host, tv.guest);
    proc.memory.view.setUint32(lengthAddr!, guestSize, le);
    return r;
  }
  const bytes = Buffer.from(hostArena.bytesAt(buf, Math.min(got, size)));
  swapWords(proc, bytes);
  proc.memory.u8.set(bytes, value!);
  proc.memory.view.setUint32(lengthAddr!, got, le);
  return r;
}
