/**
 * Socket addresses between guest and host. A sockaddr is bytes the kernel interprets by family;
 * only its native-byte-order members differ between a big-endian guest and the host: sa_family
 * (every family) and sin6_scope_id (AF_INET6). Ports and IPv4/IPv6 addresses are network order
 * everywhere, unix paths are bytes. Lengths (socklen_t) are u32 in the guest's byte order.
 */
import type { GuestProcess } from '../../user/process';
import { E, guestRange } from './guest-access';
import { HOST, hostArena } from './host';

const AF_INET6 = 10;
const SCOPE_ID_OFFSET = 24;
const SOCKADDR_IN6_SIZE = 28;
/** sizeof(struct sockaddr_storage): the kernel copies at most this much. */
export const SOCKADDR_MAX = 128;

/** Swaps the native-order members of a sockaddr in place (bytes as the source side wrote them). */
function swapNativeMembers(bytes: Uint8Array, familyLittleEndian: boolean): void {
  if (bytes.length < 2) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const family = view.getUint16(0, familyLittleEndian);
  view.setUint16(0, family, !familyLittleEndian);
  if (family === AF_INET6 && bytes.length >= SOCKADDR_IN6_SIZE) {
    view.setUint32(SCOPE_ID_OFFSET, view.getUint32(SCOPE_ID_OFFSET, familyLittleEndian), !familyLittleEndian);
  }
}

/** A sockaddr the host wrote, in the guest's byte order (swapped in place). */
export function sockaddrToGuest(proc: GuestProcess, bytes: Buffer): Buffer {
  if (proc.memory.littleEndian !== HOST.littleEndian) swapNativeMembers(bytes, HOST.littleEndian);
  return bytes;
}

/** Host address of a copy of the guest sockaddr [addr, addr + length), or -errno; NULL stays NULL. */
export function hostSockaddrIn(proc: GuestProcess, addr: number, length: number): number {
  if (addr === 0) return 0;
  if (length < 0 || length > SOCKADDR_MAX) return -E.EINVAL;
  if (guestRange(proc, addr, length, false) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(Math.max(length, 1));
  const bytes = hostArena.bytesAt(at, length);
  bytes.set(proc.memory.u8.subarray(addr, addr + length));
  if (proc.memory.littleEndian !== HOST.littleEndian) swapNativeMembers(bytes, proc.memory.littleEndian);
  return hostArena.address(at);
}

/**
 * An address the host fills (accept, getsockname, recvfrom): host buffer and length word, and the
 * copy back to the guest's buffer and its u32 length (truncated to the guest's buffer, the full
 * length reported, as the kernel does).
 */
export interface SockaddrOut {
  /** Host address of the sockaddr buffer (0 when the guest passed NULL). */
  readonly addr: number;
  /** Host address of the socklen_t (0 when the guest passed NULL). */
  readonly lengthAddr: number;
  /** Copies the result to the guest; call only after the host call succeeded. */
  copyBack(): void;
}

export function hostSockaddrOut(proc: GuestProcess, addr: number, lengthAddr: number): SockaddrOut | number {
  if (addr === 0 || lengthAddr === 0) return { addr: 0, lengthAddr: 0, copyBack: () => undefined };
  if (guestRange(proc, lengthAddr, 4, true) === undefined) return -E.EFAULT;
  const le = proc.memory.littleEndian;
  const guestLength = proc.memory.view.getUint32(lengthAddr, le);
  if (guestLength > 0x7fffffff) return -E.EINVAL;
  if (guestRange(proc, addr, guestLength, true) === undefined) return -E.EFAULT;
  const buf = hostArena.alloc(SOCKADDR_MAX);
  const len = hostArena.alloc(4);
  hostArena.view.setUint32(len, SOCKADDR_MAX, HOST.littleEndian);
  return {
    addr: hostArena.address(buf),
    lengthAddr: hostArena.address(len),
    copyBack: () => {
      const full = hostArena.view.getUint32(len, HOST.littleEndian);
      const bytes = sockaddrToGuest(proc, Buffer.from(hostArena.bytesAt(buf, Math.min(full, SOCKADDR_MAX))));
      proc.memory.u8.set(bytes.subarray(0, Math.min(guestLength, bytes.length)), addr);
      proc.memory.view.setUint32(lengthAddr, full, le);
    },
  };
}
