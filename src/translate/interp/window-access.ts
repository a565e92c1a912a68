/**
 * Typed reads and writes of guest memory at window addresses, in the guest's byte order (values in
 * the interpreter's canonical forms, see int-ops.ts and float-values.ts; v128 as 16 bytes, lane 0
 * first), and the interface through which the interpreter reaches guest memory by guest address:
 * GuestAccess (user mode: the window and its page flags) or SoftmmuAccess (system mode: the MMU).
 */
import type { GuestMemory } from '../../memory/guest-memory';
import type { Endian, MemAccess, ValType } from '../ir/ops';
import { readFloat, writeFloat, type FloatValue } from './float-values';

export type GuestValue = number | bigint | Uint8Array;

/** Guest memory by guest address, as the interpreter's loads, stores and atomics use it. */
export interface GuestPort {
  /** The value `mem` reads at `address`, or undefined when the access faults. */
  load(type: ValType, address: bigint, mem: MemAccess): GuestValue | undefined;
  /** Writes `size` bytes of `value` at `address`; false (nothing written) when the access faults. */
  store(type: ValType, address: bigint, size: MemAccess['size'], value: GuestValue): boolean;
  /**
   * The window address where an atomic read-modify-write of `size` bytes at `address` happens
   * (translated code there already discarded), or undefined when the access faults.
   */
  atomicAddress(address: bigint, size: number): number | undefined;
  /** The `size`-byte unsigned integer at window address `a`. */
  loadUnsigned(a: number, size: number): bigint;
  /**
   * Replaces the `size`-byte unsigned integer at window address `a` (a multiple of `size`) by
   * `replacement` if it equals `expected`, atomically (GuestMemory.compareExchange); returns the
   * value it held.
   */
  compareExchange(a: number, size: 1 | 2 | 4 | 8, expected: bigint, replacement: bigint): bigint;
}

/** The low `size` bytes of `x` in the other byte order. */
function swapBytes(x: bigint, size: number): bigint {
  let out = 0n;
  for (let i = 0; i < size; i++) out = (out << 8n) | ((x >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Reads and writes at window addresses; subclasses say which window address a guest address is. */
export abstract class WindowAccess implements GuestPort {
  protected readonly view: DataView;
  protected readonly u8: Uint8Array;
  private readonly le: boolean;

  constructor(
    protected readonly memory: GuestMemory,
    endian: Endian,
  ) {
    this.view = memory.view;
    this.u8 = memory.u8;
    this.le = endian === 'little';
  }

  abstract load(type: ValType, address: bigint, mem: MemAccess): GuestValue | undefined;
  abstract store(type: ValType, address: bigint, size: MemAccess['size'], value: GuestValue): boolean;
  abstract atomicAddress(address: bigint, size: number): number | undefined;

  protected loadAt(type: ValType, a: number, { size, signed }: MemAccess): GuestValue {
    const v = this.view;
    switch (type) {
      case 'i32':
        if (size === 4) return v.getInt32(a, this.le);
        if (size === 2) return signed ? v.getInt16(a, this.le) : v.getUint16(a, this.le);
        if (size === 1) return signed ? v.getInt8(a) : v.getUint8(a);
        break;
      case 'i64':
        if (size === 8) return v.getBigUint64(a, this.le);
        if (signed) {
          const narrow = size === 4 ? v.getInt32(a, this.le) : size === 2 ? v.getInt16(a, this.le) : v.getInt8(a);
          return BigInt.asUintN(64, BigInt(narrow));
        }
        return BigInt(size === 4 ? v.getUint32(a, this.le) : size === 2 ? v.getUint16(a, this.le) : v.getUint8(a));
      case 'f32':
      case 'f64':
        if (size === (type === 'f32' ? 4 : 8)) return readFloat(v, a, type, this.le);
        break;
      case 'v128': {
        // Narrower vector loads fill the low lanes and zero the rest.
        const out = new Uint8Array(16);
        out.set(this.u8.subarray(a, a + size));
        if (!this.le) out.subarray(0, size).reverse();
        return out;
      }
    }
    throw new Error(`IR load of ${size} bytes as ${type}`);
  }

  protected storeAt(type: ValType, a: number, size: MemAccess['size'], value: GuestValue): void {
    const v = this.view;
    switch (type) {
      case 'i32':
      case 'i64': {
        const x = typeof value === 'bigint' ? value : BigInt(value as number);
        this.storeInt(a, size, x);
        return;
      }
      case 'f32':
      case 'f64':
        if (size !== (type === 'f32' ? 4 : 8)) break;
        writeFloat(v, a, type, value as FloatValue, this.le);
        return;
      case 'v128': {
        const bytes = (value as Uint8Array).slice(0, size);
        if (!this.le) bytes.reverse();
        this.u8.set(bytes, a);
        return;
      }
    }
    throw new Error(`IR store of ${size} bytes from ${type}`);
  }

  loadUnsigned(a: number, size: number): bigint {
    const v = this.view;
    if (size === 8) return v.getBigUint64(a, this.le);
    return BigInt(size === 4 ? v.getUint32(a, this.le) : size === 2 ? v.getUint16(a, this.le) : v.getUint8(a));
  }

  compareExchange(a: number, size: 1 | 2 | 4 | 8, expected: bigint, replacement: bigint): bigint {
    if (this.le || size === 1) return this.memory.compareExchange(a, size, expected, replacement);
    const old = this.memory.compareExchange(a, size, swapBytes(expected, size), swapBytes(replacement, size));
    return swapBytes(old, size);
  }

  protected storeInt(a: number, size: number, x: bigint): void {
    const v = this.view;
    if (size === 8) v.setBigUint64(a, BigInt.asUintN(64, x), this.le);
    else if (size === 4) v.setUint32(a, Number(BigInt.asUintN(32, x)), this.le);
    else if (size === 2) v.setUint16(a, Number(BigInt.asUintN(16, x)), this.le);
    else if (size === 1) v.setUint8(a, Number(BigInt.asUintN(8, x)));
    else throw new Error(`IR integer store of ${size} bytes`);
  }
}
