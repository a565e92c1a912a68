/**
 * Guest pointers as syscalls use them: every access is checked against the page flags first (an
 * invalid pointer is -EFAULT, never a host crash); buffers the host fills are handed over in place,
 * and translated code on pages the host writes is invalidated first. Structs are passed in place
 * when guest and host lay them out alike, else converted through the host arena.
 */
import { constants } from 'node:os';
import type { AbiLayouts, StructLayout } from '../abi';
import { PAGE_SIZE, PageFlags } from '../../memory/layout';
import type { GuestProcess } from '../../user/process';
import { StructView, convertStruct, sameLayout } from '../struct-view';
import { HOST, hostStructArray, type FieldsOf } from './host';

export const E = constants.errno;

/** Host address of guest [addr, addr + length) if the guest may read it (write=false) or write it. */
export function guestRange(proc: GuestProcess, addr: number, length: number, write: boolean): number | undefined {
  if (!proc.memory.accessible(addr, length, write)) return undefined;
  if (write && length > 0) invalidateWrittenCode(proc, addr, length);
  return proc.memory.hostAddress(addr);
}

function invalidateWrittenCode(proc: GuestProcess, addr: number, length: number): void {
  for (let page = addr - (addr % PAGE_SIZE); page < addr + length; page += PAGE_SIZE) {
    if (proc.memory.pageFlags(page) & PageFlags.HasCode) {
      proc.invalidateCode(addr, length);
      return;
    }
  }
}

/** The guest's layout of one struct kind. */
export function guestLayout<K extends keyof AbiLayouts>(proc: GuestProcess, kind: K): StructLayout<FieldsOf<K>> {
  return proc.abi.layouts[kind] as StructLayout<FieldsOf<K>>;
}

/** A view of a guest struct at `addr` (element `index` of an array), or undefined when inaccessible. */
export function guestStruct<K extends keyof AbiLayouts>(proc: GuestProcess, kind: K, addr: number, write: boolean, index = 0): StructView<FieldsOf<K>> | undefined {
  const layout = guestLayout(proc, kind);
  const at = addr + index * layout.size;
  if (guestRange(proc, at, layout.size, write) === undefined) return undefined;
  return new StructView(proc.memory.view, at, layout, proc.memory.littleEndian);
}

/**
 * A guest struct timespec: the ABI's, or for `time32` (the calls older than their _time64 twins
 * on 32-bit ABIs) two 32-bit fields. A 32-bit process's 64-bit timespec has padding
 * above a 32-bit tv_nsec, which the kernel ignores.
 */
export function guestTimespec(proc: GuestProcess, addr: number, time32: boolean): { sec: bigint; nsec: bigint } | undefined {
  if (time32) {
    if (!proc.memory.accessible(addr, 8, false)) return undefined;
    const le = proc.memory.littleEndian;
    return { sec: BigInt(proc.memory.view.getInt32(addr, le)), nsec: BigInt(proc.memory.view.getInt32(addr + 4, le)) };
  }
  const ts = guestStruct(proc, 'timespec', addr, false);
  if (!ts) return undefined;
  return { sec: ts.get('sec'), nsec: proc.abi.wordSize === 4 ? BigInt.asIntN(32, ts.get('nsec')) : ts.get('nsec') };
}

/** Writes a struct timespec the guest's way (guestTimespec's `time32` as there); false when not writable (EFAULT). */
export function writeGuestTimespec(proc: GuestProcess, addr: number, time32: boolean, value: { sec: bigint; nsec: bigint }): boolean {
  if (time32) {
    if (!proc.memory.accessible(addr, 8, true)) return false;
    const le = proc.memory.littleEndian;
    proc.memory.view.setInt32(addr, Number(value.sec), le);
    proc.memory.view.setInt32(addr + 4, Number(value.nsec), le);
    return true;
  }
  const ts = guestStruct(proc, 'timespec', addr, true);
  if (!ts) return false;
  ts.set('sec', value.sec);
  ts.set('nsec', value.nsec);
  return true;
}

/** Whether the host can use the guest's struct of this kind as it is. */
export function layoutMatchesHost(proc: GuestProcess, kind: keyof AbiLayouts): boolean {
  return proc.memory.littleEndian === HOST.littleEndian && sameLayout(proc.abi.layouts[kind], HOST.layouts[kind]);
}

/**
 * Runs a host call on `count` consecutive structs the guest passes: `in` the host reads them, `out`
 * the host fills them (copied back only on success), `inout` both. A guest NULL stays NULL.
 */
export function withHostStructs<K extends keyof AbiLayouts>(
  proc: GuestProcess,
  kind: K,
  addr: number,
  count: number,
  direction: 'in' | 'out' | 'inout',
  call: (hostAddr: number) => number,
): number {
  if (addr === 0) return call(0);
  const layout = guestLayout(proc, kind);
  const host = guestRange(proc, addr, layout.size * count, direction !== 'in');
  if (host === undefined) return -E.EFAULT;
  if (layoutMatchesHost(proc, kind)) return call(host);
  const converted = hostStructArray(kind, count);
  const guest = (i: number) => new StructView(proc.memory.view, addr + i * layout.size, layout, proc.memory.littleEndian);
  if (direction !== 'out') converted.views.forEach((v, i) => convertStruct(guest(i), v));
  const r = call(converted.address);
  if (r >= 0 && direction !== 'in') converted.views.forEach((v, i) => convertStruct(v, guest(i)));
  return r;
}

/** withHostStructs for one struct. */
export function withHostStruct<K extends keyof AbiLayouts>(
  proc: GuestProcess,
  kind: K,
  addr: number,
  direction: 'in' | 'out' | 'inout',
  call: (hostAddr: number) => number,
): number {
  return withHostStructs(proc, kind, addr, 1, direction, call);
}

/**
 * A NUL-terminated guest string of at most `max` bytes before the NUL: its bytes, -EFAULT when it
 * runs into an inaccessible page, -ENAMETOOLONG when no NUL comes in time.
 */
export function readGuestString(proc: GuestProcess, addr: number, max: number): Buffer | number {
  for (let end = addr; end <= addr + max; end++) {
    if (!proc.memory.accessible(end, 1, false)) return -E.EFAULT;
    if (proc.memory.u8[end] === 0) return Buffer.from(proc.memory.u8.subarray(addr, end));
  }
  return -E.ENAMETOOLONG;
}

/** Writes bytes to guest memory if accessible; false when not (EFAULT). */
export function writeGuestBytes(proc: GuestProcess, addr: number, bytes: Uint8Array): boolean {
  if (guestRange(proc, addr, bytes.length, true) === undefined) return false;
  proc.memory.writeBytes(addr, bytes);
  return true;
}

/** A 32-bit value as the host reads the guest word holding it (byte-swapped for a big-endian guest). */
export function asStored(proc: GuestProcess, value: number): number {
  if (proc.memory.littleEndian) return value;
  const v = value >>> 0;
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24) | 0;
}

/** The guest's `long` at `addr` (checked by the caller), sign-extended. */
export function readLong(proc: GuestProcess, addr: number): bigint {
  const { view, littleEndian } = proc.memory;
  return proc.abi.wordSize === 8 ? view.getBigInt64(addr, littleEndian) : BigInt(view.getInt32(addr, littleEndian));
}

/** Writes the guest's `long` at `addr` (checked by the caller), truncated to its width. */
export function writeLong(proc: GuestProcess, addr: number, value: bigint): void {
  const { view, littleEndian } = proc.memory;
  if (proc.abi.wordSize === 8) view.setBigInt64(addr, BigInt.asIntN(64, value), littleEndian);
  else view.setInt32(addr, Number(BigInt.asIntN(32, value)), littleEndian);
}
