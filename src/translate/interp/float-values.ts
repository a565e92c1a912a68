/**
 * How the interpreter holds f32 and f64 values: a JavaScript number when the value is not a NaN,
 * and the exact bit pattern as a bigint when it is.
 *
 * JavaScript numbers cannot carry NaN payloads reliably (a float32 signalling NaN is quieted as soon
 * as it becomes a number), yet WebAssembly moves, loads, stores, selects, lane extracts/replaces,
 * abs, neg and copysign keep every NaN bit, and guest code observes them. Arithmetic that produces
 * a NaN is nondeterministic in WebAssembly (any "arithmetic NaN"); the interpreter always gives the
 * canonical NaN with the sign bit clear, which is one of the allowed results, so a frontend that lets
 * such a NaN reach guest state disagrees with the x86 backend (negative default NaN) and is caught by
 * the differential test.
 */

export type FloatType = 'f32' | 'f64';
/** A float value: a non-NaN number, or a NaN's bit pattern (32 or 64 bits). */
export type FloatValue = number | bigint;

export const CANONICAL_NAN: Readonly<Record<FloatType, bigint>> = { f32: 0x7fc00000n, f64: 0x7ff8000000000000n };
export const SIGN_BIT: Readonly<Record<FloatType, bigint>> = { f32: 0x80000000n, f64: 0x8000000000000000n };

const scratch = new DataView(new ArrayBuffer(8));

/** Reads a float of `type` at `offset` of `view`, keeping NaN bits. */
export function readFloat(view: DataView, offset: number, type: FloatType, littleEndian: boolean): FloatValue {
  if (type === 'f32') {
    const x = view.getFloat32(offset, littleEndian);
    return x === x ? x : BigInt(view.getUint32(offset, littleEndian));
  }
  const x = view.getFloat64(offset, littleEndian);
  return x === x ? x : view.getBigUint64(offset, littleEndian);
}

/** Writes a float of `type` at `offset` of `view`, NaNs bit for bit. */
export function writeFloat(view: DataView, offset: number, type: FloatType, v: FloatValue, littleEndian: boolean): void {
  if (type === 'f32') {
    if (typeof v === 'number') view.setFloat32(offset, v, littleEndian);
    else view.setUint32(offset, Number(v), littleEndian);
  } else if (typeof v === 'number') view.setFloat64(offset, v, littleEndian);
  else view.setBigUint64(offset, v, littleEndian);
}

/** The numeric value (NaN for a NaN pattern), for arithmetic. */
export function toNumber(v: FloatValue): number {
  return typeof v === 'number' ? v : NaN;
}

/** An arithmetic result: rounded to f32 if needed; any NaN becomes the canonical NaN. */
export function arithmeticResult(type: FloatType, x: number): FloatValue {
  const r = type === 'f32' ? Math.fround(x) : x;
  return r === r ? r : CANONICAL_NAN[type];
}

/** The bit pattern of a float value (i32 as signed int32 for f32, i64 as unsigned bigint for f64). */
export function f32Bits(v: FloatValue): number {
  if (typeof v === 'bigint') return Number(v) | 0;
  scratch.setFloat32(0, v, true);
  return scratch.getInt32(0, true);
}
export function f64Bits(v: FloatValue): bigint {
  if (typeof v === 'bigint') return v;
  scratch.setFloat64(0, v, true);
  return scratch.getBigUint64(0, true);
}

/** The float value with bit pattern `bits`. */
export function f32FromBits(bits: number): FloatValue {
  scratch.setInt32(0, bits, true);
  return readFloat(scratch, 0, 'f32', true);
}
export function f64FromBits(bits: bigint): FloatValue {
  scratch.setBigUint64(0, bits, true);
  return readFloat(scratch, 0, 'f64', true);
}

/** Sign bit of a float value, NaNs included. */
export function signOf(type: FloatType, v: FloatValue): boolean {
  if (typeof v === 'bigint') return (v & SIGN_BIT[type]) !== 0n;
  return v < 0 || Object.is(v, -0);
}

/** `v` with its sign bit set to `negative`, bit-exact for NaNs (abs, neg and copysign). */
export function withSign(type: FloatType, v: FloatValue, negative: boolean): FloatValue {
  if (typeof v === 'bigint') return negative ? v | SIGN_BIT[type] : v & ~SIGN_BIT[type];
  const magnitude = Math.abs(v);
  return negative ? -magnitude : magnitude;
}
