/**
 * WebAssembly instruction names and immediate shapes, for printing generated modules as text
 * (-d out_asm). Facts of the WebAssembly core specification (MVP, sign extension, saturating
 * truncation, tail calls, threads) and of the SIMD proposal, whose names tsemu's IR already uses
 * (ir/simd.ts). Only what a printer needs: name and how to read the immediates that follow.
 */
import { SIMD_OPS } from '../translate/ir/simd';

export type Immediate =
  | 'none'
  | 'blocktype'
  | 'label'
  | 'br_table'
  | 'func'
  | 'call_indirect'
  | 'local'
  | 'global'
  | 'table'
  | 'memarg'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'zero'
  | 'select_types'
  | 'v128'
  | 'lane'
  | 'lanes16'
  | 'memarg_lane';

export interface OpcodeInfo {
  readonly name: string;
  readonly imm: Immediate;
}

function table(entries: readonly (readonly [number, string, Immediate?])[]): Map<number, OpcodeInfo> {
  return new Map(entries.map(([code, name, imm]) => [code, { name, imm: imm ?? 'none' }]));
}

/** Names of consecutive opcodes without immediates, from `first`. */
function run(first: number, names: string): (readonly [number, string])[] {
  return names
    .trim()
    .split(/\s+/)
    .map((name, i) => [first + i, name] as const);
}

/** Names of consecutive opcodes that take a memarg. */
const withMemarg = (first: number, names: string): (readonly [number, string, Immediate])[] =>
  run(first, names).map(([c, n]) => [c, n, 'memarg'] as const);

const MEMORY_OPS =
  'i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u i64.load8_s i64.load8_u ' +
  'i64.load16_s i64.load16_u i64.load32_s i64.load32_u i32.store i64.store f32.store f64.store i32.store8 ' +
  'i32.store16 i64.store8 i64.store16 i64.store32';

const NUMERIC_OPS = `
  i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
  i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
  f32.eq f32.ne f32.lt f32.gt f32.le f32.ge f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
  i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
  i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
  i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
  i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
  f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign
  f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign
  i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u i64.extend_i32_s i64.extend_i32_u
  i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u f32.convert_i32_s f32.convert_i32_u
  f32.convert_i64_s f32.convert_i64_u f32.demote_f64 f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s
  f64.convert_i64_u f64.promote_f32 i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
  i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s`;

/** One-byte opcodes. */
export const OPCODES = table([
  [0x00, 'unreachable'],
  [0x01, 'nop'],
  [0x02, 'block', 'blocktype'],
  [0x03, 'loop', 'blocktype'],
  [0x04, 'if', 'blocktype'],
  [0x05, 'else'],
  [0x0b, 'end'],
  [0x0c, 'br', 'label'],
  [0x0d, 'br_if', 'label'],
  [0x0e, 'br_table', 'br_table'],
  [0x0f, 'return'],
  [0x10, 'call', 'func'],
  [0x11, 'call_indirect', 'call_indirect'],
  [0x12, 'return_call', 'func'],
  [0x13, 'return_call_indirect', 'call_indirect'],
  [0x1a, 'drop'],
  [0x1b, 'select'],
  [0x1c, 'select', 'select_types'],
  [0x20, 'local.get', 'local'],
  [0x21, 'local.set', 'local'],
  [0x22, 'local.tee', 'local'],
  [0x23, 'global.get', 'global'],
  [0x24, 'global.set', 'global'],
  [0x25, 'table.get', 'table'],
  [0x26, 'table.set', 'table'],
  ...withMemarg(0x28, MEMORY_OPS),
  [0x3f, 'memory.size', 'zero'],
  [0x40, 'memory.grow', 'zero'],
  [0x41, 'i32.const', 'i32'],
  [0x42, 'i64.const', 'i64'],
  [0x43, 'f32.const', 'f32'],
  [0x44, 'f64.const', 'f64'],
  ...run(0x45, NUMERIC_OPS),
]);

/** 0xfc-prefixed: saturating truncations. */
export const FC_OPCODES = table(
  run(
    0,
    'i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u ' +
      'i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u',
  ),
);

/** 0xfe-prefixed: the threads proposal's atomic loads, stores and read-modify-writes. */
const RMW_PREFIXES = [
  'i32.atomic.rmw',
  'i64.atomic.rmw',
  'i32.atomic.rmw8',
  'i32.atomic.rmw16',
  'i64.atomic.rmw8',
  'i64.atomic.rmw16',
  'i64.atomic.rmw32',
];
const ATOMIC_LOADS =
  'i32.atomic.load i64.atomic.load i32.atomic.load8_u i32.atomic.load16_u i64.atomic.load8_u i64.atomic.load16_u ' +
  'i64.atomic.load32_u';
const ATOMIC_STORES =
  'i32.atomic.store i64.atomic.store i32.atomic.store8 i32.atomic.store16 i64.atomic.store8 i64.atomic.store16 ' +
  'i64.atomic.store32';
export const FE_OPCODES = table([
  [0x00, 'memory.atomic.notify', 'memarg'],
  [0x01, 'memory.atomic.wait32', 'memarg'],
  [0x02, 'memory.atomic.wait64', 'memarg'],
  [0x03, 'atomic.fence', 'zero'],
  ...withMemarg(0x10, ATOMIC_LOADS),
  ...withMemarg(0x17, ATOMIC_STORES),
  ...(['add', 'sub', 'and', 'or', 'xor', 'xchg', 'cmpxchg'] as const).flatMap((op, g) =>
    RMW_PREFIXES.map((prefix, v) => [0x1e + g * 7 + v, `${prefix}.${op}${v < 2 ? '' : '_u'}`, 'memarg'] as const),
  ),
]);

const SIMD_MEMORY_OPS =
  'v128.load v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u ' +
  'v128.load8_splat v128.load16_splat v128.load32_splat v128.load64_splat v128.store';
const SIMD_LANE_OPS =
  'v128.load8_lane v128.load16_lane v128.load32_lane v128.load64_lane ' +
  'v128.store8_lane v128.store16_lane v128.store32_lane v128.store64_lane';

/** 0xfd-prefixed: SIMD. Memory and constant forms here; the arithmetic comes from the IR's table. */
export const FD_OPCODES = new Map<number, OpcodeInfo>([
  ...table([
    ...withMemarg(0x00, SIMD_MEMORY_OPS),
    [0x0c, 'v128.const', 'v128'],
    [0x0d, 'i8x16.shuffle', 'lanes16'],
    ...run(0x54, SIMD_LANE_OPS).map(([c, n]) => [c, n, 'memarg_lane'] as const),
    [0x5c, 'v128.load32_zero', 'memarg'],
    [0x5d, 'v128.load64_zero', 'memarg'],
  ]),
  ...Object.entries(SIMD_OPS)
    .filter(([, op]) => op.imm !== 'shuffle')
    .map(([name, op]): [number, OpcodeInfo] => [op.code, { name, imm: op.imm === 'lane' ? 'lane' : 'none' }]),
]);
