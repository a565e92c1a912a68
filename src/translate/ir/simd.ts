/**
 * The vector ops of the IR (`vop`), named and numbered as in the WebAssembly SIMD proposal, whose
 * lane semantics they take over exactly. Frontends compose guest vector instructions from these;
 * the code generator emits the opcode as is and the interpreter implements each name.
 */
import type { ValType } from './ops';

export interface SimdOp {
  /** Opcode after the 0xfd prefix. */
  code: number;
  /** Argument types in order. */
  args: readonly ValType[];
  result: ValType;
  /** Takes a lane index (extract/replace) or 16 lane selectors (shuffle) as immediate. */
  imm?: 'lane' | 'shuffle';
}

const V: ValType = 'v128';
const table: Record<string, SimdOp> = {};

function def(name: string, code: number, args: readonly ValType[], result: ValType, imm?: SimdOp['imm']): void {
  table[name] = imm ? { code, args, result, imm } : { code, args, result };
}

const scalarOf: Record<string, ValType> = {
  i8x16: 'i32',
  i16x8: 'i32',
  i32x4: 'i32',
  i64x2: 'i64',
  f32x4: 'f32',
  f64x2: 'f64',
};

// Splat, extract, replace.
[
  ['i8x16', 0x0f],
  ['i16x8', 0x10],
  ['i32x4', 0x11],
  ['i64x2', 0x12],
  ['f32x4', 0x13],
  ['f64x2', 0x14],
].forEach(([shape, code]) => def(`${shape}.splat`, code as number, [scalarOf[shape as string]!], V));
def('i8x16.extract_lane_s', 0x15, [V], 'i32', 'lane');
def('i8x16.extract_lane_u', 0x16, [V], 'i32', 'lane');
def('i8x16.replace_lane', 0x17, [V, 'i32'], V, 'lane');
def('i16x8.extract_lane_s', 0x18, [V], 'i32', 'lane');
def('i16x8.extract_lane_u', 0x19, [V], 'i32', 'lane');
def('i16x8.replace_lane', 0x1a, [V, 'i32'], V, 'lane');
def('i32x4.extract_lane', 0x1b, [V], 'i32', 'lane');
def('i32x4.replace_lane', 0x1c, [V, 'i32'], V, 'lane');
def('i64x2.extract_lane', 0x1d, [V], 'i64', 'lane');
def('i64x2.replace_lane', 0x1e, [V, 'i64'], V, 'lane');
def('f32x4.extract_lane', 0x1f, [V], 'f32', 'lane');
def('f32x4.replace_lane', 0x20, [V, 'f32'], V, 'lane');
def('f64x2.extract_lane', 0x21, [V], 'f64', 'lane');
def('f64x2.replace_lane', 0x22, [V, 'f64'], V, 'lane');
def('i8x16.shuffle', 0x0d, [V, V], V, 'shuffle');
def('i8x16.swizzle', 0x0e, [V, V], V);

// Integer comparisons: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u.
const cmpNames = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
(
  [
    ['i8x16', 0x23],
    ['i16x8', 0x2d],
    ['i32x4', 0x37],
  ] as const
).forEach(([shape, base]) => cmpNames.forEach((n, i) => def(`${shape}.${n}`, base + i, [V, V], V)));
['eq', 'ne', 'lt', 'gt', 'le', 'ge'].forEach((n, i) => {
  def(`f32x4.${n}`, 0x41 + i, [V, V], V);
  def(`f64x2.${n}`, 0x47 + i, [V, V], V);
});
['eq', 'ne', 'lt_s', 'gt_s', 'le_s', 'ge_s'].forEach((n, i) => def(`i64x2.${n}`, 0xd6 + i, [V, V], V));

// Bitwise.
def('v128.not', 0x4d, [V], V);
def('v128.and', 0x4e, [V, V], V);
def('v128.andnot', 0x4f, [V, V], V);
def('v128.or', 0x50, [V, V], V);
def('v128.xor', 0x51, [V, V], V);
def('v128.bitselect', 0x52, [V, V, V], V);
def('v128.any_true', 0x53, [V], 'i32');

def('f32x4.demote_f64x2_zero', 0x5e, [V], V);
def('f64x2.promote_low_f32x4', 0x5f, [V], V);

// Lane-wise integer arithmetic, per shape: [name, opcode] pairs.
const intOps: Record<string, [string, number, 'vv' | 'v' | 'vs' | 'b'][]> = {
  i8x16: [
    ['abs', 0x60, 'v'],
    ['neg', 0x61, 'v'],
    ['popcnt', 0x62, 'v'],
    ['all_true', 0x63, 'b'],
    ['bitmask', 0x64, 'b'],
    ['narrow_i16x8_s', 0x65, 'vv'],
    ['narrow_i16x8_u', 0x66, 'vv'],
    ['shl', 0x6b, 'vs'],
    ['shr_s', 0x6c, 'vs'],
    ['shr_u', 0x6d, 'vs'],
    ['add', 0x6e, 'vv'],
    ['add_sat_s', 0x6f, 'vv'],
    ['add_sat_u', 0x70, 'vv'],
    ['sub', 0x71, 'vv'],
    ['sub_sat_s', 0x72, 'vv'],
    ['sub_sat_u', 0x73, 'vv'],
    ['min_s', 0x76, 'vv'],
    ['min_u', 0x77, 'vv'],
    ['max_s', 0x78, 'vv'],
    ['max_u', 0x79, 'vv'],
    ['avgr_u', 0x7b, 'vv'],
  ],
  i16x8: [
    ['extadd_pairwise_i8x16_s', 0x7c, 'v'],
    ['extadd_pairwise_i8x16_u', 0x7d, 'v'],
    ['abs', 0x80, 'v'],
    ['neg', 0x81, 'v'],
    ['q15mulr_sat_s', 0x82, 'vv'],
    ['all_true', 0x83, 'b'],
    ['bitmask', 0x84, 'b'],
    ['narrow_i32x4_s', 0x85, 'vv'],
    ['narrow_i32x4_u', 0x86, 'vv'],
    ['extend_low_i8x16_s', 0x87, 'v'],
    ['extend_high_i8x16_s', 0x88, 'v'],
    ['extend_low_i8x16_u', 0x89, 'v'],
    ['extend_high_i8x16_u', 0x8a, 'v'],
    ['shl', 0x8b, 'vs'],
    ['shr_s', 0x8c, 'vs'],
    ['shr_u', 0x8d, 'vs'],
    ['add', 0x8e, 'vv'],
    ['add_sat_s', 0x8f, 'vv'],
    ['add_sat_u', 0x90, 'vv'],
    ['sub', 0x91, 'vv'],
    ['sub_sat_s', 0x92, 'vv'],
    ['sub_sat_u', 0x93, 'vv'],
    ['mul', 0x95, 'vv'],
    ['min_s', 0x96, 'vv'],
    ['min_u', 0x97, 'vv'],
    ['max_s', 0x98, 'vv'],
    ['max_u', 0x99, 'vv'],
    ['avgr_u', 0x9b, 'vv'],
    ['extmul_low_i8x16_s', 0x9c, 'vv'],
    ['extmul_high_i8x16_s', 0x9d, 'vv'],
    ['extmul_low_i8x16_u', 0x9e, 'vv'],
    ['extmul_high_i8x16_u', 0x9f, 'vv'],
  ],
  i32x4: [
    ['extadd_pairwise_i16x8_s', 0x7e, 'v'],
    ['extadd_pairwise_i16x8_u', 0x7f, 'v'],
    ['abs', 0xa0, 'v'],
    ['neg', 0xa1, 'v'],
    ['all_true', 0xa3, 'b'],
    ['bitmask', 0xa4, 'b'],
    ['extend_low_i16x8_s', 0xa7, 'v'],
    ['extend_high_i16x8_s', 0xa8, 'v'],
    ['extend_low_i16x8_u', 0xa9, 'v'],
    ['extend_high_i16x8_u', 0xaa, 'v'],
    ['shl', 0xab, 'vs'],
    ['shr_s', 0xac, 'vs'],
    ['shr_u', 0xad, 'vs'],
    ['add', 0xae, 'vv'],
    ['sub', 0xb1, 'vv'],
    ['mul', 0xb5, 'vv'],
    ['min_s', 0xb6, 'vv'],
    ['min_u', 0xb7, 'vv'],
    ['max_s', 0xb8, 'vv'],
    ['max_u', 0xb9, 'vv'],
    ['dot_i16x8_s', 0xba, 'vv'],
    ['extmul_low_i16x8_s', 0xbc, 'vv'],
    ['extmul_high_i16x8_s', 0xbd, 'vv'],
    ['extmul_low_i16x8_u', 0xbe, 'vv'],
    ['extmul_high_i16x8_u', 0xbf, 'vv'],
  ],
  i64x2: [
    ['abs', 0xc0, 'v'],
    ['neg', 0xc1, 'v'],
    ['all_true', 0xc3, 'b'],
    ['bitmask', 0xc4, 'b'],
    ['extend_low_i32x4_s', 0xc7, 'v'],
    ['extend_high_i32x4_s', 0xc8, 'v'],
    ['extend_low_i32x4_u', 0xc9, 'v'],
    ['extend_high_i32x4_u', 0xca, 'v'],
    ['shl', 0xcb, 'vs'],
    ['shr_s', 0xcc, 'vs'],
    ['shr_u', 0xcd, 'vs'],
    ['add', 0xce, 'vv'],
    ['sub', 0xd1, 'vv'],
    ['mul', 0xd5, 'vv'],
    ['extmul_low_i32x4_s', 0xdc, 'vv'],
    ['extmul_high_i32x4_s', 0xdd, 'vv'],
    ['extmul_low_i32x4_u', 0xde, 'vv'],
    ['extmul_high_i32x4_u', 0xdf, 'vv'],
  ],
};
for (const [shape, ops] of Object.entries(intOps)) {
  for (const [name, code, form] of ops) {
    const args: ValType[] = form === 'vv' ? [V, V] : form === 'vs' ? [V, 'i32'] : [V];
    def(`${shape}.${name}`, code, args, form === 'b' ? 'i32' : V);
  }
}

// Float lane arithmetic.
const fltOps: [string, number, 'vv' | 'v'][] = [
  ['abs', 0, 'v'],
  ['neg', 1, 'v'],
  ['sqrt', 3, 'v'],
  ['add', 4, 'vv'],
  ['sub', 5, 'vv'],
  ['mul', 6, 'vv'],
  ['div', 7, 'vv'],
  ['min', 8, 'vv'],
  ['max', 9, 'vv'],
  ['pmin', 10, 'vv'],
  ['pmax', 11, 'vv'],
];
for (const [name, off, form] of fltOps) {
  def(`f32x4.${name}`, 0xe0 + off, form === 'vv' ? [V, V] : [V], V);
  def(`f64x2.${name}`, 0xec + off, form === 'vv' ? [V, V] : [V], V);
}
def('f32x4.ceil', 0x67, [V], V);
def('f32x4.floor', 0x68, [V], V);
def('f32x4.trunc', 0x69, [V], V);
def('f32x4.nearest', 0x6a, [V], V);
def('f64x2.ceil', 0x74, [V], V);
def('f64x2.floor', 0x75, [V], V);
def('f64x2.trunc', 0x7a, [V], V);
def('f64x2.nearest', 0x94, [V], V);
def('i32x4.trunc_sat_f32x4_s', 0xf8, [V], V);
def('i32x4.trunc_sat_f32x4_u', 0xf9, [V], V);
def('f32x4.convert_i32x4_s', 0xfa, [V], V);
def('f32x4.convert_i32x4_u', 0xfb, [V], V);
def('i32x4.trunc_sat_f64x2_s_zero', 0xfc, [V], V);
def('i32x4.trunc_sat_f64x2_u_zero', 0xfd, [V], V);
def('f64x2.convert_low_i32x4_s', 0xfe, [V], V);
def('f64x2.convert_low_i32x4_u', 0xff, [V], V);

export const SIMD_OPS: Readonly<Record<string, SimdOp>> = table;

export function simdOp(name: string): SimdOp {
  const found = SIMD_OPS[name];
  if (!found) throw new Error(`unknown SIMD op ${name}`);
  return found;
}
