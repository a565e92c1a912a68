/**
 * WebAssembly opcodes for the IR ops that map one-to-one, per value type.
 */
import type { Op, ValType } from '../ir/ops';

type PerType = Partial<Record<ValType, number>>;

export const DIRECT: Partial<Record<Op, PerType>> = {
  add: { i32: 0x6a, i64: 0x7c },
  sub: { i32: 0x6b, i64: 0x7d },
  mul: { i32: 0x6c, i64: 0x7e },
  and: { i32: 0x71, i64: 0x83 },
  or: { i32: 0x72, i64: 0x84 },
  xor: { i32: 0x73, i64: 0x85 },
  shl: { i32: 0x74, i64: 0x86 },
  shr_s: { i32: 0x75, i64: 0x87 },
  shr_u: { i32: 0x76, i64: 0x88 },
  rotl: { i32: 0x77, i64: 0x89 },
  rotr: { i32: 0x78, i64: 0x8a },
  clz: { i32: 0x67, i64: 0x79 },
  ctz: { i32: 0x68, i64: 0x7a },
  popcnt: { i32: 0x69, i64: 0x7b },
  sext8: { i32: 0xc0, i64: 0xc2 },
  sext16: { i32: 0xc1, i64: 0xc3 },
  sext32: { i64: 0xc4 },
  eq: { i32: 0x46, i64: 0x51, f32: 0x5b, f64: 0x61 },
  ne: { i32: 0x47, i64: 0x52, f32: 0x5c, f64: 0x62 },
  lt_s: { i32: 0x48, i64: 0x53 },
  lt_u: { i32: 0x49, i64: 0x54 },
  gt_s: { i32: 0x4a, i64: 0x55 },
  gt_u: { i32: 0x4b, i64: 0x56 },
  le_s: { i32: 0x4c, i64: 0x57 },
  le_u: { i32: 0x4d, i64: 0x58 },
  ge_s: { i32: 0x4e, i64: 0x59 },
  ge_u: { i32: 0x4f, i64: 0x5a },
  flt: { f32: 0x5d, f64: 0x63 },
  fgt: { f32: 0x5e, f64: 0x64 },
  fle: { f32: 0x5f, f64: 0x65 },
  fge: { f32: 0x60, f64: 0x66 },
  fabs: { f32: 0x8b, f64: 0x99 },
  fneg: { f32: 0x8c, f64: 0x9a },
  fceil: { f32: 0x8d, f64: 0x9b },
  ffloor: { f32: 0x8e, f64: 0x9c },
  ftruncf: { f32: 0x8f, f64: 0x9d },
  fnearest: { f32: 0x90, f64: 0x9e },
  fsqrt: { f32: 0x91, f64: 0x9f },
  fadd: { f32: 0x92, f64: 0xa0 },
  fsub: { f32: 0x93, f64: 0xa1 },
  fmul: { f32: 0x94, f64: 0xa2 },
  fdiv: { f32: 0x95, f64: 0xa3 },
  fmin: { f32: 0x96, f64: 0xa4 },
  fmax: { f32: 0x97, f64: 0xa5 },
  fcopysign: { f32: 0x98, f64: 0xa6 },
};

/** Conversions keyed by `${op}:${from}>${to}`; values above 0xff are 0xfc-prefixed (saturating truncations). */
export const CONVERT: Record<string, number> = {
  'wrap:i64>i32': 0xa7,
  'sext:i32>i64': 0xac,
  'zext:i32>i64': 0xad,
  'fconv_s:i32>f32': 0xb2,
  'fconv_u:i32>f32': 0xb3,
  'fconv_s:i64>f32': 0xb4,
  'fconv_u:i64>f32': 0xb5,
  'fdemote:f64>f32': 0xb6,
  'fconv_s:i32>f64': 0xb7,
  'fconv_u:i32>f64': 0xb8,
  'fconv_s:i64>f64': 0xb9,
  'fconv_u:i64>f64': 0xba,
  'fpromote:f32>f64': 0xbb,
  'reinterpret:f32>i32': 0xbc,
  'reinterpret:f64>i64': 0xbd,
  'reinterpret:i32>f32': 0xbe,
  'reinterpret:i64>f64': 0xbf,
  'ftrunc_s:f32>i32': 0xfc00,
  'ftrunc_u:f32>i32': 0xfc01,
  'ftrunc_s:f64>i32': 0xfc02,
  'ftrunc_u:f64>i32': 0xfc03,
  'ftrunc_s:f32>i64': 0xfc04,
  'ftrunc_u:f32>i64': 0xfc05,
  'ftrunc_s:f64>i64': 0xfc06,
  'ftrunc_u:f64>i64': 0xfc07,
};

/** Plain loads by result type and access size/sign. */
export function loadOpcode(type: ValType, size: number, signed: boolean): number {
  if (type === 'i32') {
    if (size === 4) return 0x28;
    if (size === 1) return signed ? 0x2c : 0x2d;
    if (size === 2) return signed ? 0x2e : 0x2f;
  } else if (type === 'i64') {
    if (size === 8) return 0x29;
    if (size === 1) return signed ? 0x30 : 0x31;
    if (size === 2) return signed ? 0x32 : 0x33;
    if (size === 4) return signed ? 0x34 : 0x35;
  } else if (type === 'f32' && size === 4) return 0x2a;
  else if (type === 'f64' && size === 8) return 0x2b;
  throw new Error(`no load of ${size} bytes as ${type}`);
}

export function storeOpcode(type: ValType, size: number): number {
  if (type === 'i32') {
    if (size === 4) return 0x36;
    if (size === 1) return 0x3a;
    if (size === 2) return 0x3b;
  } else if (type === 'i64') {
    if (size === 8) return 0x37;
    if (size === 1) return 0x3c;
    if (size === 2) return 0x3d;
    if (size === 4) return 0x3e;
  } else if (type === 'f32' && size === 4) return 0x38;
  else if (type === 'f64' && size === 8) return 0x39;
  throw new Error(`no store of ${size} bytes from ${type}`);
}

/** 0xfe-prefixed atomic opcodes: base of each rmw group, ordered i32, i64, i32_8, i32_16, i64_8, i64_16, i64_32. */
export const ATOMIC_RMW_BASE = { add: 0x1e, and: 0x2c, or: 0x33, xor: 0x3a, xchg: 0x41, cmpxchg: 0x48 } as const;

export function atomicVariant(type: ValType, size: number): number {
  if (type === 'i32') return size === 4 ? 0 : size === 1 ? 2 : 3;
  return size === 8 ? 1 : size === 1 ? 4 : size === 2 ? 5 : 6;
}
