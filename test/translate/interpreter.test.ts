/**
 * The reference interpreter on hand-built IR. Expected values are facts: the op table's own
 * definitions of edge cases (ops.ts), two's-complement arithmetic checked against exact BigInt
 * arithmetic, IEEE 754 rounding, and the WebAssembly SIMD specification's lane rules.
 */
import { describe, expect, it } from 'vitest';
import { PageFlags } from '../../src/memory/layout';
import { STATE_FAULT_ADDR, STATE_PC } from '../../src/translate/frontend';
import { defineHelper } from '../../src/translate/ir/helpers';
import { TrapKind } from '../../src/translate/ir/ops';
import { SIMD_OPS } from '../../src/translate/ir/simd';
import { simdImpl } from '../../src/translate/interp/simd-lanes';
import {
  BLOCK_PC,
  RESULT,
  evaluate,
  f32Bits,
  f64Bits,
  lanesOf,
  runIR,
  splitLanes,
  testMemory,
  v128Of,
} from './ir-harness';

const M64 = (1n << 64n) - 1n;
const I32_MIN = -(2 ** 31);
const U32 = (x: number): bigint => BigInt(x >>> 0);

describe('integer ops', () => {
  it('count leading/trailing zeros of 0 as the width', () => {
    expect(evaluate((b) => b.unary('clz', b.i32(0)))).toBe(32n);
    expect(evaluate((b) => b.unary('ctz', b.i32(0)))).toBe(32n);
    expect(evaluate((b) => b.unary('clz', b.i64(0)))).toBe(64n);
    expect(evaluate((b) => b.unary('ctz', b.i64(0)))).toBe(64n);
    expect(evaluate((b) => b.unary('clz', b.i64(1n << 40n)))).toBe(23n);
    expect(evaluate((b) => b.unary('ctz', b.i64(1n << 40n)))).toBe(40n);
    expect(evaluate((b) => b.unary('popcnt', b.i64(M64)))).toBe(64n);
    expect(evaluate((b) => b.unary('popcnt', b.i32(-1)))).toBe(32n);
  });

  it('divides as the op table says at the edges', () => {
    expect(evaluate((b) => b.binary('div_s', b.i32(I32_MIN), b.i32(-1)))).toBe(U32(I32_MIN));
    expect(evaluate((b) => b.binary('div_s', b.i64(1n << 63n), b.i64(-1)))).toBe(1n << 63n);
    expect(evaluate((b) => b.binary('div_s', b.i32(7), b.i32(0)))).toBe(0n);
    expect(evaluate((b) => b.binary('div_u', b.i64(7), b.i64(0)))).toBe(0n);
    expect(evaluate((b) => b.binary('rem_s', b.i32(I32_MIN), b.i32(-1)))).toBe(0n);
    expect(evaluate((b) => b.binary('rem_s', b.i64(1n << 63n), b.i64(-1)))).toBe(0n);
    expect(evaluate((b) => b.binary('rem_s', b.i32(-7), b.i32(0)))).toBe(U32(-7));
    expect(evaluate((b) => b.binary('rem_u', b.i64(-7), b.i64(0)))).toBe(BigInt.asUintN(64, -7n));
    // Truncation toward zero, remainder with the sign of the dividend.
    expect(evaluate((b) => b.binary('div_s', b.i32(-7), b.i32(2)))).toBe(U32(-3));
    expect(evaluate((b) => b.binary('rem_s', b.i32(-7), b.i32(2)))).toBe(U32(-1));
    expect(evaluate((b) => b.binary('div_u', b.i32(-1), b.i32(3)))).toBe(0x55555555n);
    expect(evaluate((b) => b.binary('rem_u', b.i64(-1), b.i64(10)))).toBe(M64 % 10n);
  });

  it('gives the high half of 128-bit products', () => {
    const pairs: [bigint, bigint][] = [
      [M64, M64],
      [1n << 63n, 2n],
      [0x123456789abcdef0n, 0xfedcba9876543210n],
      [3n, M64],
    ];
    for (const [x, y] of pairs) {
      expect(evaluate((b) => b.binary('mulh_u', b.i64(x), b.i64(y)))).toBe((x * y) >> 64n);
      const signed = BigInt.asUintN(64, (BigInt.asIntN(64, x) * BigInt.asIntN(64, y)) >> 64n);
      expect(evaluate((b) => b.binary('mulh_s', b.i64(x), b.i64(y)))).toBe(signed);
    }
  });

  it('shifts and rotates by the count modulo the width', () => {
    expect(evaluate((b) => b.binary('shl', b.i32(1), b.i32(33)))).toBe(2n);
    expect(evaluate((b) => b.binary('shr_s', b.i64(1n << 63n), b.i64(127)))).toBe(M64);
    expect(evaluate((b) => b.binary('shr_u', b.i64(1n << 63n), b.i64(127)))).toBe(1n);
    expect(evaluate((b) => b.binary('rotr', b.i32(1), b.i32(1)))).toBe(0x80000000n);
    expect(evaluate((b) => b.binary('rotr', b.i32(0x12345678), b.i32(32)))).toBe(0x12345678n);
    expect(evaluate((b) => b.binary('rotl', b.i64(0x8000000000000001n), b.i64(65)))).toBe(3n);
    expect(evaluate((b) => b.binary('rotr', b.i64(0x0123456789abcdefn), b.i64(8)))).toBe(0xef0123456789abcdn);
  });

  it('reverses bytes and bits, and sign-extends', () => {
    expect(evaluate((b) => b.unary('bswap', b.i32(0x11223344)))).toBe(0x44332211n);
    expect(evaluate((b) => b.unary('bswap', b.i64(0x1122334455667788n)))).toBe(0x8877665544332211n);
    expect(evaluate((b) => b.unary('rbit', b.i32(1)))).toBe(0x80000000n);
    expect(evaluate((b) => b.unary('rbit', b.i64(0x0fn)))).toBe(0xf000000000000000n);
    expect(evaluate((b) => b.unary('sext8', b.i32(0x80)))).toBe(0xffffff80n);
    expect(evaluate((b) => b.unary('sext16', b.i64(0x8000)))).toBe(0xffffffffffff8000n);
    expect(evaluate((b) => b.unary('sext32', b.i64(0x80000000)))).toBe(0xffffffff80000000n);
    expect(evaluate((b) => b.convert('sext', 'i64', b.i32(-2)))).toBe(M64 - 1n);
    expect(evaluate((b) => b.convert('zext', 'i64', b.i32(-2)))).toBe(0xfffffffen);
    expect(evaluate((b) => b.convert('wrap', 'i32', b.i64(0x1_8000_0001n)))).toBe(0x80000001n);
  });

  it('compares signed and unsigned', () => {
    expect(evaluate((b) => b.compare('lt_s', b.i32(-1), b.i32(0)))).toBe(1n);
    expect(evaluate((b) => b.compare('lt_u', b.i32(-1), b.i32(0)))).toBe(0n);
    expect(evaluate((b) => b.compare('gt_s', b.i64(1n << 63n), b.i64(0)))).toBe(0n);
    expect(evaluate((b) => b.compare('gt_u', b.i64(1n << 63n), b.i64(0)))).toBe(1n);
    expect(evaluate((b) => b.select(b.i32(0), b.i64(1), b.i64(2)))).toBe(2n);
  });
});

describe('float ops', () => {
  const f32 = (x: number): bigint => f32Bits(x);
  it('orders -0 below +0 in min/max and propagates NaN', () => {
    expect(evaluate((b) => b.binary('fmin', b.f64(0), b.f64(-0)))).toBe(f64Bits(-0));
    expect(evaluate((b) => b.binary('fmax', b.f64(-0), b.f64(0)))).toBe(f64Bits(0));
    const nan = evaluate((b) => b.binary('fmax', b.f32(1), b.f32(NaN)));
    expect(nan & 0x7fc00000n).toBe(0x7fc00000n); // an arithmetic (quiet) NaN
  });

  it('rounds to integral values in each direction, nearest ties to even', () => {
    expect(evaluate((b) => b.unary('fnearest', b.f64(2.5)))).toBe(f64Bits(2));
    expect(evaluate((b) => b.unary('fnearest', b.f64(3.5)))).toBe(f64Bits(4));
    expect(evaluate((b) => b.unary('fnearest', b.f64(-0.5)))).toBe(f64Bits(-0));
    expect(evaluate((b) => b.unary('fnearest', b.f32(0.5)))).toBe(f32(0));
    expect(evaluate((b) => b.unary('fceil', b.f64(-0.5)))).toBe(f64Bits(-0));
    expect(evaluate((b) => b.unary('ffloor', b.f32(-0.5)))).toBe(f32(-1));
    expect(evaluate((b) => b.unary('ftruncf', b.f64(-1.9)))).toBe(f64Bits(-1));
  });

  it('rounds f32 arithmetic once to nearest even', () => {
    expect(evaluate((b) => b.binary('fadd', b.f32(1), b.f32(2 ** -24)))).toBe(f32(1));
    expect(evaluate((b) => b.binary('fadd', b.f32(1), b.f32(2 ** -23 + 2 ** -24)))).toBe(f32(1 + 2 ** -22));
    expect(evaluate((b) => b.binary('fdiv', b.f32(1), b.f32(3)))).toBe(f32(Math.fround(1 / 3)));
    expect(evaluate((b) => b.unary('fsqrt', b.f64(2)))).toBe(f64Bits(Math.SQRT2));
  });

  it('truncates to integers saturating, NaN giving 0', () => {
    expect(evaluate((b) => b.convert('ftrunc_s', 'i32', b.f64(1e10)))).toBe(0x7fffffffn);
    expect(evaluate((b) => b.convert('ftrunc_s', 'i32', b.f64(-1e10)))).toBe(0x80000000n);
    expect(evaluate((b) => b.convert('ftrunc_s', 'i32', b.f64(NaN)))).toBe(0n);
    expect(evaluate((b) => b.convert('ftrunc_u', 'i32', b.f32(-3.5)))).toBe(0n);
    expect(evaluate((b) => b.convert('ftrunc_u', 'i32', b.f64(4294967295.9)))).toBe(0xffffffffn);
    expect(evaluate((b) => b.convert('ftrunc_s', 'i64', b.f64(-(2 ** 63))))).toBe(1n << 63n);
    expect(evaluate((b) => b.convert('ftrunc_s', 'i64', b.f64(2 ** 63)))).toBe((1n << 63n) - 1n);
    expect(evaluate((b) => b.convert('ftrunc_u', 'i64', b.f64(2 ** 64)))).toBe(M64);
    expect(evaluate((b) => b.convert('ftrunc_u', 'i64', b.f64(-0.9)))).toBe(0n);
  });

  it('converts integers to floats with a single rounding to nearest even', () => {
    expect(evaluate((b) => b.convert('fconv_u', 'f32', b.i64(M64)))).toBe(f32(2 ** 64));
    expect(evaluate((b) => b.convert('fconv_s', 'f32', b.i64(2 ** 24 + 1)))).toBe(f32(2 ** 24));
    expect(evaluate((b) => b.convert('fconv_s', 'f32', b.i64(2 ** 24 + 3)))).toBe(f32(2 ** 24 + 4));
    // Rounding to f64 first would land on the f32 tie and round down to 2^60.
    const v = (1n << 60n) + (1n << 36n) + 1n;
    expect(evaluate((b) => b.convert('fconv_u', 'f32', b.i64(v)))).toBe(f32(2 ** 60 + 2 ** 37));
    expect(evaluate((b) => b.convert('fconv_s', 'f32', b.i64(-v)))).toBe(f32(-(2 ** 60 + 2 ** 37)));
    expect(evaluate((b) => b.convert('fconv_u', 'f64', b.i32(-1)))).toBe(f64Bits(4294967295));
    expect(evaluate((b) => b.convert('fconv_s', 'f64', b.i64(-1)))).toBe(f64Bits(-1));
    expect(evaluate((b) => b.convert('fdemote', 'f32', b.f64(1 + 2 ** -24)))).toBe(f32(1));
  });

  it('keeps NaN bits through moves, abs, neg and copysign', () => {
    const snan32 = (b: Parameters<Parameters<typeof evaluate>[0]>[0]) =>
      b.convert('reinterpret', 'f32', b.i32(0x7f800001));
    expect(evaluate((b) => b.unary('mov', snan32(b)))).toBe(0x7f800001n);
    expect(evaluate((b) => b.unary('fneg', snan32(b)))).toBe(0xff800001n);
    expect(evaluate((b) => b.unary('fabs', b.unary('fneg', snan32(b))))).toBe(0x7f800001n);
    expect(evaluate((b) => b.binary('fcopysign', snan32(b), b.f32(-1)))).toBe(0xff800001n);
    const snan64 = 0xfff0000000000005n;
    expect(evaluate((b) => b.convert('reinterpret', 'i64', b.convert('reinterpret', 'f64', b.i64(snan64))))).toBe(
      snan64,
    );
    expect(evaluate((b) => b.binary('fcopysign', b.f64(3), b.f64(-0)))).toBe(f64Bits(-3));
    expect(evaluate((b) => b.compare('ne', snan32(b), snan32(b)))).toBe(1n);
    expect(evaluate((b) => b.compare('eq', snan32(b), snan32(b)))).toBe(0n);
  });
});

describe('vector ops', () => {
  it('has an implementation of every op in the SIMD table', () => {
    for (const name of Object.keys(SIMD_OPS)) expect(() => simdImpl(name), name).not.toThrow();
  });

  const vec = (bits: number, compute: Parameters<typeof evaluate>[0]): bigint[] =>
    splitLanes(evaluate(compute), bits);

  it('saturates, averages and narrows per lane', () => {
    expect(vec(8, (b) => b.vop('i8x16.add_sat_s', [lanesOf(b, 8, [100, -100]), lanesOf(b, 8, [100, -100])])).slice(0, 2))
      .toEqual([127n, 0x80n]);
    expect(vec(8, (b) => b.vop('i8x16.sub_sat_u', [lanesOf(b, 8, [1]), lanesOf(b, 8, [2])]))[0]).toBe(0n);
    expect(vec(8, (b) => b.vop('i8x16.avgr_u', [lanesOf(b, 8, [255]), lanesOf(b, 8, [254])]))[0]).toBe(255n);
    expect(
      vec(16, (b) => b.vop('i16x8.q15mulr_sat_s', [lanesOf(b, 16, [-32768, 16384]), lanesOf(b, 16, [-32768, 16384])])).slice(0, 2),
    ).toEqual([32767n, 8192n]);
    const narrowed = vec(8, (b) => b.vop('i8x16.narrow_i16x8_u', [lanesOf(b, 16, [-1, 300, 255]), lanesOf(b, 16, [7])]));
    expect(narrowed.slice(0, 3)).toEqual([0n, 255n, 255n]);
    expect(narrowed[8]).toBe(7n);
    expect(vec(16, (b) => b.vop('i16x8.narrow_i32x4_s', [lanesOf(b, 32, [-40000, 40000]), lanesOf(b, 32, [])])).slice(0, 2))
      .toEqual([0x8000n, 0x7fffn]);
  });

  it('widens, multiplies and adds pairwise', () => {
    const a = Array.from({ length: 16 }, (_, i) => -i);
    expect(vec(16, (b) => b.vop('i16x8.extend_high_i8x16_s', [lanesOf(b, 8, a)]))[0]).toBe(BigInt.asUintN(16, -8n));
    expect(vec(16, (b) => b.vop('i16x8.extend_low_i8x16_u', [lanesOf(b, 8, a)]))[1]).toBe(255n);
    expect(vec(16, (b) => b.vop('i16x8.extmul_high_i8x16_s', [lanesOf(b, 8, a), lanesOf(b, 8, a)]))[7]).toBe(225n);
    expect(vec(32, (b) => b.vop('i32x4.extadd_pairwise_i16x8_u', [lanesOf(b, 16, [0xffff, 0xffff])]))[0]).toBe(0x1fffen);
    expect(vec(32, (b) => b.vop('i32x4.dot_i16x8_s', [lanesOf(b, 16, [-32768, -32768]), lanesOf(b, 16, [-32768, -32768])]))[0])
      .toBe(0x80000000n);
    expect(vec(64, (b) => b.vop('i64x2.extmul_low_i32x4_u', [lanesOf(b, 32, [-1]), lanesOf(b, 32, [-1])]))[0]).toBe(
      0xfffffffe00000001n,
    );
  });

  it('shifts lanes by the count modulo the lane width', () => {
    expect(vec(64, (b) => b.vop('i64x2.shr_s', [lanesOf(b, 64, [-4n, 4n]), b.i32(65)]))).toEqual([M64 - 1n, 2n]);
    expect(vec(8, (b) => b.vop('i8x16.shl', [lanesOf(b, 8, [0x81]), b.i32(9)]))[0]).toBe(2n);
    expect(vec(16, (b) => b.vop('i16x8.shr_u', [lanesOf(b, 16, [0x8000]), b.i32(15)]))[0]).toBe(1n);
  });

  it('compares lanes to all-ones masks and reduces them', () => {
    expect(vec(32, (b) => b.vop('i32x4.lt_u', [lanesOf(b, 32, [1, -1]), lanesOf(b, 32, [-1, 1])])).slice(0, 2)).toEqual([
      0xffffffffn,
      0n,
    ]);
    expect(vec(64, (b) => b.vop('i64x2.gt_s', [lanesOf(b, 64, [1n, -1n]), lanesOf(b, 64, [-1n, 1n])]))).toEqual([M64, 0n]);
    expect(evaluate((b) => b.vop('i8x16.bitmask', [lanesOf(b, 8, [-1, 1, -1])]))).toBe(5n);
    expect(evaluate((b) => b.vop('i16x8.all_true', [lanesOf(b, 16, [1, 1, 1, 1, 1, 1, 1, 0])]))).toBe(0n);
    expect(evaluate((b) => b.vop('v128.any_true', [lanesOf(b, 64, [0n, 1n << 63n])]))).toBe(1n);
    const nan = 0x7fc00000;
    expect(vec(32, (b) => b.vop('f32x4.ne', [lanesOf(b, 32, [nan]), lanesOf(b, 32, [nan])]))[0]).toBe(0xffffffffn);
  });

  it('permutes bytes by selectors; out-of-range swizzle indices give 0', () => {
    const a = Array.from({ length: 16 }, (_, i) => i);
    const c = Array.from({ length: 16 }, (_, i) => 0x10 + i);
    const sel = Uint8Array.from({ length: 16 }, (_, i) => 31 - i);
    expect(vec(8, (b) => b.vop('i8x16.shuffle', [lanesOf(b, 8, a), lanesOf(b, 8, c)], sel))[0]).toBe(0x1fn);
    const idx = [3, 16, 255, 0];
    expect(vec(8, (b) => b.vop('i8x16.swizzle', [lanesOf(b, 8, c), lanesOf(b, 8, idx)])).slice(0, 4)).toEqual([
      0x13n,
      0n,
      0n,
      0x10n,
    ]);
    expect(evaluate((b) => b.vop('i16x8.extract_lane_s', [lanesOf(b, 16, [0, 0x8000])], 1))).toBe(0xffff8000n);
    expect(evaluate((b) => b.vop('i64x2.extract_lane', [b.vop('i64x2.replace_lane', [v128Of(b, 0n), b.i64(-1)], 1)], 1))).toBe(
      M64,
    );
  });

  it('keeps NaN bits in pmin/pmax selections and float lane moves', () => {
    const snan = 0x7f800001;
    expect(vec(32, (b) => b.vop('f32x4.pmin', [lanesOf(b, 32, [snan]), lanesOf(b, 32, [0])]))[0]).toBe(0x7f800001n);
    expect(vec(32, (b) => b.vop('f32x4.neg', [lanesOf(b, 32, [snan])]))[0]).toBe(0xff800001n);
    expect(evaluate((b) => b.vop('f32x4.extract_lane', [lanesOf(b, 32, [0, snan])], 1))).toBe(0x7f800001n);
  });

  it('converts float lanes with saturation and integer lanes with rounding', () => {
    const lanes = [f32Bits(-1.5), f32Bits(3e9), f32Bits(NaN), f32Bits(7.9)];
    expect(vec(32, (b) => b.vop('i32x4.trunc_sat_f32x4_u', [lanesOf(b, 32, lanes)]))).toEqual([0n, 3000000000n, 0n, 7n]);
    expect(vec(32, (b) => b.vop('i32x4.trunc_sat_f32x4_s', [lanesOf(b, 32, lanes)]))).toEqual([
      0xffffffffn,
      0x7fffffffn,
      0n,
      7n,
    ]);
    expect(vec(32, (b) => b.vop('f32x4.convert_i32x4_u', [lanesOf(b, 32, [-1])]))[0]).toBe(f32Bits(2 ** 32));
    expect(vec(64, (b) => b.vop('f64x2.convert_low_i32x4_s', [lanesOf(b, 32, [-1, 5])]))).toEqual([
      f64Bits(-1),
      f64Bits(5),
    ]);
    expect(vec(64, (b) => b.vop('f64x2.promote_low_f32x4', [lanesOf(b, 32, [f32Bits(0.1)])]))[0]).toBe(
      f64Bits(Math.fround(0.1)),
    );
    expect(vec(32, (b) => b.vop('i32x4.trunc_sat_f64x2_s_zero', [lanesOf(b, 64, [f64Bits(-1e20), f64Bits(2.5)])]))).toEqual([
      0x80000000n,
      2n,
      0n,
      0n,
    ]);
  });
});

describe('memory, state and control', () => {
  const PAGE = 0x30000;
  const mem = testMemory();
  mem.setFlags(PAGE, 0x1000, 0);
  mem.setFlags(PAGE + 0x1000, 0x1000, PageFlags.Unmapped);

  it('loads and stores in the requested byte order, extending as asked', () => {
    mem.writeBytes(PAGE, Uint8Array.of(0x81, 2, 3, 4, 5, 6, 7, 8));
    expect(evaluate((b) => b.load('i32', b.i64(PAGE), 4))).toBe(0x04030281n);
    expect(evaluate((b) => b.load('i64', b.i64(PAGE), 1, true))).toBe(0xffffffffffffff81n);
    expect(evaluate((b) => b.load('i32', b.i64(PAGE), 2, true))).toBe(0x0281n);
    const big = runIR((b) => {
      b.set(RESULT, b.load('i64', b.i64(PAGE), 8));
      b.set(RESULT + 8, b.load('i32', b.i64(PAGE), 2, true));
      b.store(b.i64(PAGE + 8), b.i64(0x1122334455667788n), 4);
      b.exit(b.i64(0));
    }, 'big');
    expect(big.state.getBigUint64(RESULT, true)).toBe(0x8102030405060708n);
    expect(big.state.getUint32(RESULT + 8, true)).toBe(0xffff8102);
    expect([...mem.readBytes(PAGE + 8, 4)]).toEqual([0x55, 0x66, 0x77, 0x88]);
  });

  it('faults outside the window or on a denied page, with pc at the instruction', () => {
    for (const addr of [PAGE + 0x1000, 2 ** 32, PAGE + 0xffe]) {
      const run = runIR((b) => {
        b.insnStart(BLOCK_PC + 8);
        b.set(RESULT, b.load('i32', b.i64(addr), 4));
        b.exit(b.i64(0));
      });
      expect(run.status).toBe(TrapKind.MemoryFault);
      expect(run.state.getBigUint64(STATE_FAULT_ADDR, true)).toBe(BigInt(addr));
      expect(run.state.getBigUint64(STATE_PC, true)).toBe(BigInt(BLOCK_PC + 8));
    }
    mem.setFlags(PAGE + 0x1000, 0x1000, PageFlags.NoWrite);
    const store = runIR((b) => {
      b.store(b.i64(PAGE + 0x1000), b.i32(1), 1);
      b.exit(b.i64(0));
    });
    expect(store.status).toBe(TrapKind.MemoryFault);
    mem.setFlags(PAGE + 0x1000, 0x1000, PageFlags.Unmapped);
  });

  it('reports stores to pages holding code before writing them', () => {
    mem.setFlags(PAGE + 0x1000, 0x1000, PageFlags.HasCode);
    const run = runIR((b) => {
      b.store(b.i64(PAGE + 0x1010), b.i64(-1), 8);
      b.exit(b.i64(0));
    });
    expect(run.status).toBe(TrapKind.None);
    expect(run.codeWrites).toEqual([[PAGE + 0x1010, 8]]);
    expect(mem.view.getBigUint64(PAGE + 0x1010, true)).toBe(M64);
    mem.setFlags(PAGE + 0x1000, 0x1000, PageFlags.Unmapped);
  });

  it('runs compare-and-swap and read-modify-write at the access size', () => {
    mem.view.setBigUint64(PAGE + 16, 0x00000000000000ffn, true);
    expect(evaluate((b) => b.cmpxchg(b.i64(PAGE + 16), b.i32(0x1ff), b.i32(0x1234), 1))).toBe(0xffn);
    expect(mem.read8(PAGE + 16)).toBe(0x34); // the expected value is compared at the access size
    expect(evaluate((b) => b.cmpxchg(b.i64(PAGE + 16), b.i32(0), b.i32(9), 1))).toBe(0x34n);
    expect(mem.read8(PAGE + 16)).toBe(0x34);
    expect(evaluate((b) => b.rmw('add', b.i64(PAGE + 16), b.i64(0xff), 2))).toBe(0x34n);
    expect(mem.view.getUint16(PAGE + 16, true)).toBe(0x133);
    expect(evaluate((b) => b.rmw('xchg', b.i64(PAGE + 16), b.i64(-1), 8))).toBe(0x133n);
    const misaligned = runIR((b) => {
      b.set(RESULT, b.rmw('or', b.i64(PAGE + 18), b.i32(1), 4));
      b.exit(b.i64(0));
    });
    expect(misaligned.status).toBe(TrapKind.Alignment);
  });

  it('branches forward, exits with its status and traps with pc at the instruction', () => {
    const run = runIR((b) => {
      const skip = b.label();
      b.set(RESULT, b.i64(1));
      b.brcond(b.i32(1), skip);
      b.set(RESULT, b.i64(2));
      b.place(skip);
      b.exit(b.i64(0x1234), TrapKind.Yield);
    });
    expect(run.status).toBe(TrapKind.Yield);
    expect(run.state.getBigUint64(RESULT, true)).toBe(1n);
    expect(run.state.getBigUint64(STATE_PC, true)).toBe(0x1234n);
    const trap = runIR((b) => {
      b.insnStart(BLOCK_PC + 4);
      b.trap(TrapKind.Breakpoint, b.i64(7));
    });
    expect(trap.status).toBe(TrapKind.Breakpoint);
    expect(trap.state.getBigUint64(STATE_PC, true)).toBe(BigInt(BLOCK_PC + 4));
    expect(trap.state.getBigUint64(STATE_FAULT_ADDR, true)).toBe(7n);
  });

  it('calls helpers with WebAssembly-style values and state access', () => {
    const seen: unknown[] = [];
    const helper = defineHelper({
      name: 'test.interp',
      params: ['i64', 'i32', 'f64'],
      result: 'i64',
      impl: (ctx, a, b, c) => {
        seen.push(a, b, c);
        ctx.view.setUint32(ctx.stateBase + RESULT + 8, 0xabcd, true);
        return -2n;
      },
    });
    const run = runIR((b) => {
      b.set(RESULT, b.call(helper, [b.i64(-1), b.i32(-3), b.f64(0.5)])!);
      b.exit(b.i64(0));
    });
    expect(seen).toEqual([-1n, -3, 0.5]);
    expect(run.state.getBigUint64(RESULT, true)).toBe(M64 - 1n);
    expect(run.state.getUint32(RESULT + 8, true)).toBe(0xabcd);
  });
});
