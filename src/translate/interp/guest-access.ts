/**
 * Guest memory as the interpreter sees it: the window and page-flag checks of every access, and
 * typed reads and writes in the guest's byte order (values in the interpreter's canonical forms,
 * see int-ops.ts and float-values.ts; v128 as 16 bytes, lane 0 first).
 *
 * An access is checked against every page it touches. A store to a page holding translated code is
 * allowed but reports itself through `onCodeWrite(addr, size)` first, so the engine can invalidate.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { DENY_READ, PageFlags } from '../../memory/layout';
import type { Endian, MemAccess, ValType } from '../ir/ops';
import { readFloat, writeFloat, type FloatValue } from './float-values';

export type CodeWriteHook = (addr: number, size: number) => void;

const WINDOW = 1n << 32n;
const DENY_STORE = PageFlags.Unmapped | PageFlags.NoWrite;

export class GuestAccess {
  private readonly view: DataView;
  private readonly u8: Uint8Array;
  private readonly le: boolean;

  constructor(
    private readonly memory: GuestMemory,
    endian: Endian,
    private readonly onCodeWrite: CodeWriteHook,
  ) {
    this.view = memory.view;
    this.u8 = memory.u8;
    this.le = endian === 'little';
  }

  /** Flags of the first and last page of [addr, addr + size), or'ed; undefined when outside the window. */
  private flags(addr: bigint, size: number): { a: number; flags: number } | undefined {
    if (addr + BigInt(size) > WINDOW) return undefined;
    const a = Number(addr);
    return { a, flags: this.memory.pageFlags(a) | this.memory.pageFlags(a + size - 1) };
  }

  /** The address as a number if `size` bytes at `addr` may be read, else undefined (a fault). */
  readable(addr: bigint, size: number): number | undefined {
    const at = this.flags(addr, size);
    return at && !(at.flags & DENY_READ) ? at.a : undefined;
  }

  /**
   * The address as a number if `size` bytes at `addr` may be written (and read, with `alsoRead`),
   * else undefined. Reports a write to translated code before returning.
   */
  writable(addr: bigint, size: number, alsoRead = false): number | undefined {
    const at = this.flags(addr, size);
    if (!at || at.flags & (alsoRead ? DENY_STORE | DENY_READ : DENY_STORE)) return undefined;
    if (at.flags & PageFlags.HasCode) this.onCodeWrite(at.a, size);
    return at.a;
  }

  load(type: ValType, a: number, { size, signed }: MemAccess): number | bigint | Uint8Array {
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

  store(type: ValType, a: number, size: MemAccess['size'], value: number | bigint | Uint8Array): void {
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

  /** The `size`-byte unsigned integer at `a`. */
  loadUnsigned(a: number, size: number): bigint {
    const v = this.view;
    if (size === 8) return v.getBigUint64(a, this.le);
    return BigInt(size === 4 ? v.getUint32(a, this.le) : size === 2 ? v.getUint16(a, this.le) : v.getUint8(a));
  }

  /** Writes the low `size` bytes of `x`. */
  storeInt(a: number, size: number, x: bigint): void {
    const v = this.view;
    if (size === 8) v.setBigUint64(a, BigInt.asUintN(64, x), this.le);
    else if (size === 4) v.setUint32(a, Number(BigInt.asUintN(32, x)), this.le);
    else if (size === 2) v.setUint16(a, Number(BigInt.asUintN(16, x)), this.le);
    else if (size === 1) v.setUint8(a, Number(BigInt.asUintN(8, x)));
    else throw new Error(`IR integer store of ${size} bytes`);
  }
}
