/**
 * Byte-order-aware access to a struct laid out by a StructLayout, over any DataView (guest memory
 * or a host scratch buffer), and the name-by-name conversion between two ABIs' layouts of the
 * same struct. Integers are bigint so 64-bit fields are exact.
 */
import type { FieldLayout, StructLayout } from './abi';

export class StructView<F extends string> {
  constructor(
    readonly view: DataView,
    readonly offset: number,
    readonly layout: StructLayout<F>,
    readonly littleEndian: boolean,
  ) {}

  get(field: F): bigint {
    return readField(this.view, this.offset, this.layout.fields[field], this.littleEndian);
  }

  /** The field as a number (exact below 2^53: counts, times, small ids). */
  num(field: F): number {
    return Number(this.get(field));
  }

  set(field: F, value: bigint | number): void {
    writeField(this.view, this.offset, this.layout.fields[field], this.littleEndian, BigInt(value));
  }

  /** The bytes of a field (a live subarray). */
  bytes(field: F): Uint8Array {
    const f = this.layout.fields[field];
    return new Uint8Array(this.view.buffer, this.view.byteOffset + this.offset + f.offset, f.size);
  }

  /** Zeroes the whole struct (padding included). */
  clear(): void {
    new Uint8Array(this.view.buffer, this.view.byteOffset + this.offset, this.layout.size).fill(0);
  }
}

function readField(view: DataView, base: number, f: FieldLayout, le: boolean): bigint {
  const at = base + f.offset;
  const signed = f.type === 's';
  switch (f.size) {
    case 1:
      return BigInt(signed ? view.getInt8(at) : view.getUint8(at));
    case 2:
      return BigInt(signed ? view.getInt16(at, le) : view.getUint16(at, le));
    case 4:
      return BigInt(signed ? view.getInt32(at, le) : view.getUint32(at, le));
    case 8:
      return signed ? view.getBigInt64(at, le) : view.getBigUint64(at, le);
    default:
      throw new Error(`field of ${f.size} bytes is not an integer`);
  }
}

function writeField(view: DataView, base: number, f: FieldLayout, le: boolean, v: bigint): void {
  const at = base + f.offset;
  switch (f.size) {
    case 1:
      view.setUint8(at, Number(BigInt.asUintN(8, v)));
      return;
    case 2:
      view.setUint16(at, Number(BigInt.asUintN(16, v)), le);
      return;
    case 4:
      view.setUint32(at, Number(BigInt.asUintN(32, v)), le);
      return;
    case 8:
      view.setBigUint64(at, BigInt.asUintN(64, v), le);
      return;
    default:
      throw new Error(`field of ${f.size} bytes is not an integer`);
  }
}

/** Whether two layouts put every field at the same place with the same size and signedness. */
export function sameLayout(a: StructLayout, b: StructLayout): boolean {
  if (a.size !== b.size) return false;
  const names = Object.keys(a.fields);
  if (names.length !== Object.keys(b.fields).length) return false;
  return names.every((n) => {
    const x = a.fields[n]!;
    const y = b.fields[n];
    return y !== undefined && x.offset === y.offset && x.size === y.size && x.type === y.type;
  });
}

/**
 * Copies `from` into `to` field by field (each value converted to the destination's width and byte
 * order; byte arrays copied, truncated or zero-padded). Padding in `to` becomes zero.
 */
export function convertStruct<F extends string>(from: StructView<F>, to: StructView<F>): void {
  to.clear();
  for (const name of Object.keys(to.layout.fields) as F[]) {
    if (to.layout.fields[name].type === 'bytes') {
      const src = from.bytes(name);
      const dst = to.bytes(name);
      dst.set(src.subarray(0, dst.length));
    } else {
      to.set(name, from.get(name));
    }
  }
}
