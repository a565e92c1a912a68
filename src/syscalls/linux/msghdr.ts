/**
 * sendmsg/recvmsg: the guest's struct msghdr becomes a host one (name through sockaddr.ts, iovecs
 * as host addresses of the guest buffers), and control messages are rebuilt in the other side's
 * cmsghdr layout and alignment (12-byte headers aligned to 4 on 32-bit ARM, 16 aligned to 8 on the
 * host). Their payloads: SCM_RIGHTS descriptor numbers go through the guest descriptor table
 * (received descriptors get new guest numbers), SCM_CREDENTIALS and other payloads are ints
 * (byte-swapped for a guest of the other byte order). A guest control buffer too small for what
 * arrived gets MSG_CTRUNC, and descriptors that did not fit are closed, as the kernel does.
 */
import type { GuestProcess } from '../../user/process';
import { StructView } from '../struct-view';
import { int } from './define';
import { fdTable, hostFd } from './fd-table';
import { hostIovecs } from './fs-io';
import { E, guestLayout, guestRange, guestStruct } from './guest-access';
import { HOST, hostArena, hostStructArray, hostSyscall } from './host';
import { hostSockaddrIn, SOCKADDR_MAX, sockaddrToGuest } from './sockaddr';
import { SOL_SOCKET } from './sockopt';

const SCM_RIGHTS = 1;
const MSG_CTRUNC = 0x8;
/** The kernel's limit on a control buffer (net.core.optmem_max is at least this). */
const CONTROL_MAX = 1 << 16;

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** A side's control-message geometry: header size and alignment (that of its cmsg_len). */
function cmsgGeometry(layout: { size: number; fields: { len: { size: number } } }): { header: number; align: number } {
  return { header: layout.size, align: layout.fields.len.size };
}

function swapWords(bytes: Uint8Array): void {
  for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
}

/** Guest control messages -> host ones in the arena: [host address, length], or -errno. */
export function controlToHost(proc: GuestProcess, control: number, length: number): [number, number] | number {
  if (control === 0 || length === 0) return [0, 0];
  if (length > CONTROL_MAX) return -E.ENOBUFS;
  if (guestRange(proc, control, length, false) === undefined) return -E.EFAULT;
  const g = cmsgGeometry(guestLayout(proc, 'cmsghdr'));
  const h = cmsgGeometry(HOST.layouts.cmsghdr);
  const out = hostArena.alloc(length * 2 + 64);
  let used = 0;
  for (let at = 0; at + g.header <= length; ) {
    const header = new StructView(proc.memory.view, control + at, guestLayout(proc, 'cmsghdr'), proc.memory.littleEndian);
    const cmsgLen = header.num('len');
    if (cmsgLen < g.header || at + cmsgLen > length) return -E.EINVAL;
    const data = proc.memory.u8.slice(control + at + g.header, control + at + cmsgLen);
    const level = header.num('level');
    const type = header.num('type');
    if (level === SOL_SOCKET && type === SCM_RIGHTS) {
      for (let i = 0; i + 4 <= data.length; i += 4) {
        const fd = hostFd(proc, new DataView(data.buffer).getInt32(i, proc.memory.littleEndian));
        if (fd < 0) return fd;
        new DataView(data.buffer).setInt32(i, fd, HOST.littleEndian);
      }
    } else if (proc.memory.littleEndian !== HOST.littleEndian) {
      swapWords(data);
    }
    const hostHeader = new StructView(hostArena.view, out + used, HOST.layouts.cmsghdr, HOST.littleEndian);
    hostHeader.set('len', h.header + data.length);
    hostHeader.set('level', level);
    hostHeader.set('type', type);
    hostArena.bytesAt(out + used + h.header, data.length).set(data);
    used += align(h.header + data.length, h.align);
    at += align(cmsgLen, g.align);
  }
  return [hostArena.address(out), used];
}

/**
 * Received host descriptors as guest ones, as many as fit in `room` bytes (the rest are closed).
 */
function receivedFds(proc: GuestProcess, data: Buffer, room: number): Buffer {
  const keep = Math.min(Math.floor(data.length / 4), Math.floor(room / 4));
  const out = Buffer.alloc(keep * 4);
  const hostView = new DataView(data.buffer, data.byteOffset, data.length);
  const outView = new DataView(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i + 4 <= data.length; i += 4) {
    const host = hostView.getInt32(i, HOST.littleEndian);
    if (i < out.length) outView.setInt32(i, fdTable(proc).add(host), proc.memory.littleEndian);
    else hostSyscall('close', host);
  }
  return out;
}

/**
 * Host control messages -> the guest's buffer. Returns the guest length used and whether it was
 * truncated; descriptors that do not fit are closed.
 */
function controlToGuest(proc: GuestProcess, hostOffset: number, hostLength: number, control: number, room: number): { used: number; truncated: boolean } {
  const g = cmsgGeometry(guestLayout(proc, 'cmsghdr'));
  const h = cmsgGeometry(HOST.layouts.cmsghdr);
  let used = 0;
  let truncated = false;
  for (let at = 0; at + h.header <= hostLength; ) {
    const header = new StructView(hostArena.view, hostOffset + at, HOST.layouts.cmsghdr, HOST.littleEndian);
    const cmsgLen = header.num('len');
    if (cmsgLen < h.header) break;
    const level = header.num('level');
    const type = header.num('type');
    const data = Buffer.from(hostArena.bytesAt(hostOffset + at + h.header, cmsgLen - h.header));
    at += align(cmsgLen, h.align);
    const fits = Math.max(0, room - used - g.header);
    const payload = level === SOL_SOCKET && type === SCM_RIGHTS ? receivedFds(proc, data, fits) : Buffer.from(data.subarray(0, fits));
    if (!(level === SOL_SOCKET && type === SCM_RIGHTS) && proc.memory.littleEndian !== HOST.littleEndian) swapWords(payload);
    if (payload.length < data.length) truncated = true;
    if (room - used < g.header || (payload.length === 0 && data.length > 0)) continue;
    const guestHeader = new StructView(proc.memory.view, control + used, guestLayout(proc, 'cmsghdr'), proc.memory.littleEndian);
    guestHeader.set('len', g.header + payload.length);
    guestHeader.set('level', level);
    guestHeader.set('type', type);
    proc.memory.u8.set(payload, control + used + g.header);
    used = Math.min(room, used + align(g.header + payload.length, g.align));
  }
  return { used, truncated };
}

export function sendmsg(proc: GuestProcess, [fdArg, msg, flags]: readonly number[]): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const m = guestStruct(proc, 'msghdr', msg!, false);
  if (!m) return -E.EFAULT;
  const name = hostSockaddrIn(proc, m.num('name'), m.num('namelen'));
  if (name < 0) return name;
  const iov = hostIovecs(proc, m.num('iov'), m.num('iovlen'), false, E.EMSGSIZE);
  if (iov < 0) return iov;
  const control = controlToHost(proc, m.num('control'), m.num('controllen'));
  if (typeof control === 'number') return control;
  const host = hostStructArray('msghdr', 1);
  const h = host.views[0]!;
  h.set('name', name);
  h.set('namelen', name === 0 ? 0 : m.num('namelen'));
  h.set('iov', iov);
  h.set('iovlen', m.num('iovlen'));
  h.set('control', control[0]);
  h.set('controllen', control[1]);
  return hostSyscall('sendmsg', fd, host.address, int(flags));
}

export function recvmsg(proc: GuestProcess, [fdArg, msg, flags]: readonly number[]): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const m = guestStruct(proc, 'msghdr', msg!, true);
  if (!m) return -E.EFAULT;
  const iov = hostIovecs(proc, m.num('iov'), m.num('iovlen'), true, E.EMSGSIZE);
  if (iov < 0) return iov;
  const guestControl = m.num('control');
  const room = guestControl === 0 ? 0 : Math.min(m.num('controllen'), CONTROL_MAX);
  if (room > 0 && guestRange(proc, guestControl, room, true) === undefined) return -E.EFAULT;
  const guestName = m.num('name');
  const nameBuf = guestName === 0 ? 0 : hostArena.alloc(SOCKADDR_MAX);
  const hostControlSize = room === 0 ? 0 : room * 2 + 64;
  const hostControl = hostControlSize === 0 ? 0 : hostArena.alloc(hostControlSize);
  const host = hostStructArray('msghdr', 1);
  const h = host.views[0]!;
  h.set('name', guestName === 0 ? 0 : hostArena.address(nameBuf));
  h.set('namelen', guestName === 0 ? 0 : SOCKADDR_MAX);
  h.set('iov', iov);
  h.set('iovlen', m.num('iovlen'));
  h.set('control', hostControlSize === 0 ? 0 : hostArena.address(hostControl));
  h.set('controllen', hostControlSize);
  const r = hostSyscall('recvmsg', fd, host.address, int(flags));
  if (r < 0) return r;
  if (guestName !== 0) {
    const nameLength = h.num('namelen');
    const guestRoom = m.num('namelen');
    const out = sockaddrToGuest(proc, Buffer.from(hostArena.bytesAt(nameBuf, Math.min(nameLength, SOCKADDR_MAX))));
    if (guestRange(proc, guestName, Math.min(guestRoom, out.length), true) === undefined) return -E.EFAULT;
    proc.memory.u8.set(out.subarray(0, Math.min(guestRoom, out.length)), guestName);
    m.set('namelen', nameLength);
  }
  const received = hostControlSize === 0 ? { used: 0, truncated: false } : controlToGuest(proc, hostControl, h.num('controllen'), guestControl, room);
  m.set('controllen', received.used);
  m.set('flags', (h.num('flags') | (received.truncated ? MSG_CTRUNC : 0)) >>> 0);
  return r;
}

/** struct mmsghdr: a msghdr, then the unsigned int msg_len, padded to the msghdr's alignment (a long). */
function mmsghdrGeometry(proc: GuestProcess): { size: number; lenOffset: number } {
  const msghdr = guestLayout(proc, 'msghdr').size;
  return { size: Math.ceil((msghdr + 4) / proc.abi.wordSize) * proc.abi.wordSize, lenOffset: msghdr };
}

const MSG_DONTWAIT = 0x40;
const MSG_WAITFORONE = 0x10000;
const UIO_MAXIOV = 1024;

/**
 * sendmmsg/recvmmsg as a loop of sendmsg/recvmsg, each message's byte count stored in its
 * msg_len; an error after the first message ends the loop with the count so far, as Linux does.
 * recvmmsg's MSG_WAITFORONE makes the calls after the first non-blocking; its timeout is not applied.
 */
function multiple(single: (proc: GuestProcess, args: readonly number[]) => number, receiving: boolean) {
  return (proc: GuestProcess, [fd, vec, countArg, flagsArg]: readonly number[]): number => {
    const count = Math.min(countArg! >>> 0, UIO_MAXIOV);
    const { size, lenOffset } = mmsghdrGeometry(proc);
    if (guestRange(proc, vec!, count * size, true) === undefined) return -E.EFAULT;
    let flags = int(flagsArg) & ~(receiving ? MSG_WAITFORONE : 0);
    let done = 0;
    for (; done < count; done++) {
      const r = single(proc, [fd!, vec! + done * size, flags]);
      if (r < 0) return done > 0 ? done : r;
      proc.memory.view.setUint32(vec! + done * size + lenOffset, r, proc.memory.littleEndian);
      if (receiving && int(flagsArg) & MSG_WAITFORONE) flags |= MSG_DONTWAIT;
    }
    return done;
  };
}

export const sendmmsg = multiple(sendmsg, false);
export const recvmmsg = multiple(recvmsg, true);
