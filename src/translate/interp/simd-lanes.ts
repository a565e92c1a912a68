/**
 * The vector ops (`vop`, names from ir/simd.ts) for the interpreter: a lane engine driven by the
 * shape prefix of each name, with WebAssembly SIMD's lane semantics.
 *
 * Vectors are Uint8Array(16), lane 0 at byte 0 (little-endian lanes), never modified after they are
 * produced. Integer lanes are computed as bigints (exact for every width; results wrap to the lane
 * width when written), float lanes as float-values.ts values, so NaN bits survive the bit-exact ops.
 * Names are resolved to an implementation once, when a block is prepared.
 */
import { SIMD_OPS } from '../ir/simd';
import { FLOAT_BINARY, FLOAT_COMPARE, FLOAT_UNARY, convertInt, demote, promote, truncSat } from './float-ops';
import { readFloat, toNumber, writeFloat, type FloatType, type FloatValue } from './float-values';

export type SimdValue = number | bigint | Uint8Array;
export type SimdImpl = (args: readonly SimdValue[], lane: number | Uint8Array | undefined) => SimdValue;

interface Shape {
  bits: number;
  lanes: number;
  float?: FloatType;
}
const SHAPES: Readonly<Record<string, Shape>> = {
  i8x16: { bits: 8, lanes: 16 },
  i16x8: { bits: 16, lanes: 8 },
  i32x4: { bits: 32, lanes: 4 },
  i64x2: { bits: 64, lanes: 2 },
  f32x4: { bits: 32, lanes: 4, float: 'f32' },
  f64x2: { bits: 64, lanes: 2, float: 'f64' },
};

const viewOf = (v: Uint8Array): DataView => new DataView(v.buffer, v.byteOffset, 16);

// --- Lane access -------------------------------------------------------------------------------

/** Integer lanes of `v` as bigints, signed or unsigned. */
function intLanes(v: Uint8Array, bits: number, signed: boolean): bigint[] {
  const view = viewOf(v);
  const out: bigint[] = [];
  for (let i = 0, at = 0; i < 128 / bits; i++, at += bits / 8) {
    let x: number | bigint;
    if (bits === 64) x = signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true);
    else if (bits === 32) x = signed ? view.getInt32(at, true) : view.getUint32(at, true);
    else if (bits === 16) x = signed ? view.getInt16(at, true) : view.getUint16(at, true);
    else x = signed ? view.getInt8(at) : view.getUint8(at);
    out.push(BigInt(x));
  }
  return out;
}

/** A vector whose lanes of `bits` are `lanes` (wrapped to the lane width; missing lanes zero). */
function fromIntLanes(bits: number, lanes: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(16);
  const view = viewOf(out);
  lanes.forEach((x, i) => {
    const at = (i * bits) / 8;
    if (bits === 64) view.setBigUint64(at, BigInt.asUintN(64, x), true);
    else if (bits === 32) view.setUint32(at, Number(BigInt.asUintN(32, x)), true);
    else if (bits === 16) view.setUint16(at, Number(BigInt.asUintN(16, x)), true);
    else view.setUint8(at, Number(BigInt.asUintN(8, x)));
  });
  return out;
}

function floatLanes(v: Uint8Array, type: FloatType): FloatValue[] {
  const view = viewOf(v);
  const size = type === 'f32' ? 4 : 8;
  return Array.from({ length: 16 / size }, (_, i) => readFloat(view, i * size, type, true));
}

function fromFloatLanes(type: FloatType, lanes: readonly FloatValue[]): Uint8Array {
  const out = new Uint8Array(16);
  const view = viewOf(out);
  lanes.forEach((x, i) => writeFloat(view, i * (type === 'f32' ? 4 : 8), type, x, true));
  return out;
}

/** A lane of a scalar result type: i32 as signed int32 number, i64 unsigned bigint. */
const scalarOfLane = (bits: number, x: bigint): number | bigint =>
  bits === 64 ? BigInt.asUintN(64, x) : Number(BigInt.asIntN(32, x));
const laneOfScalar = (x: SimdValue): bigint => BigInt(x as number | bigint);
const vec = (x: SimdValue | undefined): Uint8Array => x as Uint8Array;

function saturate(bits: number, signed: boolean, x: bigint): bigint {
  const [lo, hi] = signed ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n] : [0n, (1n << BigInt(bits)) - 1n];
  return x < lo ? lo : x > hi ? hi : x;
}

const allOnes = (yes: boolean): bigint => (yes ? -1n : 0n);

// --- Integer lane operations ---------------------------------------------------------------------

type LaneBinary = (a: bigint, b: bigint, bits: number) => bigint;

/** Binary lane ops: operand signedness and the lane function (result wrapped on write). */
const INT_BINARY: Readonly<Record<string, [boolean, LaneBinary]>> = {
  add: [false, (a, b) => a + b],
  sub: [false, (a, b) => a - b],
  mul: [false, (a, b) => a * b],
  add_sat_s: [true, (a, b, w) => saturate(w, true, a + b)],
  add_sat_u: [false, (a, b, w) => saturate(w, false, a + b)],
  sub_sat_s: [true, (a, b, w) => saturate(w, true, a - b)],
  sub_sat_u: [false, (a, b, w) => saturate(w, false, a - b)],
  min_s: [true, (a, b) => (a < b ? a : b)],
  min_u: [false, (a, b) => (a < b ? a : b)],
  max_s: [true, (a, b) => (a > b ? a : b)],
  max_u: [false, (a, b) => (a > b ? a : b)],
  avgr_u: [false, (a, b) => (a + b + 1n) >> 1n],
  q15mulr_sat_s: [true, (a, b, w) => saturate(w, true, (a * b + 0x4000n) >> 15n)],
};

const INT_COMPARE: Readonly<Record<string, (a: bigint, b: bigint) => boolean>> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  gt: (a, b) => a > b,
  le: (a, b) => a <= b,
  ge: (a, b) => a >= b,
};

const popcount = (x: bigint): bigint => BigInt(x.toString(2).replace(/0/g, '').length);

const INT_UNARY: Readonly<Record<string, [boolean, (a: bigint) => bigint]>> = {
  abs: [true, (a) => (a < 0n ? -a : a)],
  neg: [true, (a) => -a],
  popcnt: [false, popcount],
};

/** Lanes `half` (0 low, 1 high) of a vector read as `from` lanes. */
function halfLanes(v: Uint8Array, from: Shape, signed: boolean, half: number): bigint[] {
  const lanes = intLanes(v, from.bits, signed);
  return lanes.slice((half * lanes.length) / 2, ((half + 1) * lanes.length) / 2);
}

/** Integer ops whose name names a source shape: widening, narrowing, pairwise, dot product. */
function conversionOp(shape: Shape, op: string): SimdImpl | undefined {
  let m = /^extend_(low|high)_(i\d+x\d+)_([su])$/.exec(op);
  if (m) {
    const [from, half, signed] = [SHAPES[m[2]!]!, m[1] === 'high' ? 1 : 0, m[3] === 's'];
    return ([a]) => fromIntLanes(shape.bits, halfLanes(vec(a), from, signed, half));
  }
  m = /^extmul_(low|high)_(i\d+x\d+)_([su])$/.exec(op);
  if (m) {
    const [from, half, signed] = [SHAPES[m[2]!]!, m[1] === 'high' ? 1 : 0, m[3] === 's'];
    return ([a, b]) => {
      const y = halfLanes(vec(b), from, signed, half);
      return fromIntLanes(
        shape.bits,
        halfLanes(vec(a), from, signed, half).map((x, i) => x * y[i]!),
      );
    };
  }
  m = /^extadd_pairwise_(i\d+x\d+)_([su])$/.exec(op);
  if (m) {
    const [from, signed] = [SHAPES[m[1]!]!, m[2] === 's'];
    return ([a]) => {
      const x = intLanes(vec(a), from.bits, signed);
      return fromIntLanes(
        shape.bits,
        Array.from({ length: shape.lanes }, (_, i) => x[2 * i]! + x[2 * i + 1]!),
      );
    };
  }
  m = /^narrow_(i\d+x\d+)_([su])$/.exec(op);
  if (m) {
    // Inputs are read signed in both forms; only the saturation range differs.
    const [from, signed] = [SHAPES[m[1]!]!, m[2] === 's'];
    return ([a, b]) =>
      fromIntLanes(
        shape.bits,
        [...intLanes(vec(a), from.bits, true), ...intLanes(vec(b), from.bits, true)].map((x) =>
          saturate(shape.bits, signed, x),
        ),
      );
  }
  if (op === 'dot_i16x8_s') {
    return ([a, b]) => {
      const [x, y] = [intLanes(vec(a), 16, true), intLanes(vec(b), 16, true)];
      return fromIntLanes(
        32,
        Array.from({ length: 4 }, (_, i) => x[2 * i]! * y[2 * i]! + x[2 * i + 1]! * y[2 * i + 1]!),
      );
    };
  }
  return undefined;
}

function intOp(shape: Shape, op: string): SimdImpl | undefined {
  const { bits, lanes: count } = shape;
  const binary = INT_BINARY[op];
  if (binary) {
    const [signed, fn] = binary;
    return ([a, b]) => {
      const y = intLanes(vec(b), bits, signed);
      return fromIntLanes(
        bits,
        intLanes(vec(a), bits, signed).map((x, i) => fn(x, y[i]!, bits)),
      );
    };
  }
  const unary = INT_UNARY[op];
  if (unary) {
    const [signed, fn] = unary;
    return ([a]) => fromIntLanes(bits, intLanes(vec(a), bits, signed).map(fn));
  }
  const cmp = /^(eq|ne|lt|gt|le|ge)(?:_([su]))?$/.exec(op);
  if (cmp) {
    const [fn, signed] = [INT_COMPARE[cmp[1]!]!, cmp[2] === 's'];
    return ([a, b]) => {
      const y = intLanes(vec(b), bits, signed);
      return fromIntLanes(
        bits,
        intLanes(vec(a), bits, signed).map((x, i) => allOnes(fn(x, y[i]!))),
      );
    };
  }
  const shift = /^(shl|shr_s|shr_u)$/.exec(op);
  if (shift) {
    // The shift count is taken modulo the lane width.
    return ([a, n]) => {
      const by = BigInt((n as number) & (bits - 1));
      const x = intLanes(vec(a), bits, op === 'shr_s');
      return fromIntLanes(
        bits,
        x.map((v) => (op === 'shl' ? v << by : v >> by)),
      );
    };
  }
  switch (op) {
    case 'splat':
      return ([x]) => fromIntLanes(bits, Array<bigint>(count).fill(laneOfScalar(x!)));
    case 'extract_lane':
    case 'extract_lane_s':
    case 'extract_lane_u': {
      const signed = op !== 'extract_lane_u';
      return ([a], lane) => scalarOfLane(bits, intLanes(vec(a), bits, signed)[lane as number]!);
    }
    case 'replace_lane':
      return ([a, x], lane) => {
        const lanes = intLanes(vec(a), bits, false);
        lanes[lane as number] = laneOfScalar(x!);
        return fromIntLanes(bits, lanes);
      };
    case 'all_true':
      return ([a]) => (intLanes(vec(a), bits, false).every((x) => x !== 0n) ? 1 : 0);
    case 'bitmask':
      return ([a]) => intLanes(vec(a), bits, true).reduce((m, x, i) => (x < 0n ? m | (1 << i) : m), 0);
  }
  return conversionOp(shape, op);
}

// --- Float lane operations -----------------------------------------------------------------------

/** Float lane op names that are the scalar IR op of the same meaning. */
const FLOAT_LANE_OP: Readonly<Record<string, string>> = {
  abs: 'fabs',
  neg: 'fneg',
  sqrt: 'fsqrt',
  ceil: 'fceil',
  floor: 'ffloor',
  trunc: 'ftruncf',
  nearest: 'fnearest',
  add: 'fadd',
  sub: 'fsub',
  mul: 'fmul',
  div: 'fdiv',
  min: 'fmin',
  max: 'fmax',
  eq: 'eq',
  ne: 'ne',
  lt: 'flt',
  gt: 'fgt',
  le: 'fle',
  ge: 'fge',
};

/** pmin/pmax pick one operand lane bit for bit: pmin = b < a ? b : a, pmax = a < b ? b : a. */
const PSEUDO: Readonly<Record<string, (a: FloatValue, b: FloatValue) => FloatValue>> = {
  pmin: (a, b) => (toNumber(b) < toNumber(a) ? b : a),
  pmax: (a, b) => (toNumber(a) < toNumber(b) ? b : a),
};

function floatOp(shape: Shape, op: string): SimdImpl | undefined {
  const type = shape.float!;
  const lanes = (v: SimdValue | undefined): FloatValue[] => floatLanes(vec(v), type);
  const scalar = FLOAT_LANE_OP[op] ?? op;
  const unary = FLOAT_UNARY[scalar];
  if (unary) return ([a]) => fromFloatLanes(type, lanes(a).map((x) => unary(type, x)));
  const arith = FLOAT_BINARY[scalar];
  const binary = arith ? (x: FloatValue, y: FloatValue): FloatValue => arith(type, x, y) : PSEUDO[op];
  if (binary) {
    return ([a, b]) => {
      const y = lanes(b);
      return fromFloatLanes(
        type,
        lanes(a).map((x, i) => binary(x, y[i]!)),
      );
    };
  }
  const cmp = FLOAT_COMPARE[scalar];
  if (cmp) {
    return ([a, b]) => {
      const y = lanes(b);
      return fromIntLanes(
        shape.bits,
        lanes(a).map((x, i) => allOnes(cmp(toNumber(x), toNumber(y[i]!)))),
      );
    };
  }
  switch (op) {
    case 'splat':
      return ([x]) => fromFloatLanes(type, Array<FloatValue>(shape.lanes).fill(x as FloatValue));
    case 'extract_lane':
      return ([a], lane) => lanes(a)[lane as number]!;
    case 'replace_lane':
      return ([a, x], lane) => {
        const out = lanes(a);
        out[lane as number] = x as FloatValue;
        return fromFloatLanes(type, out);
      };
    case 'demote_f64x2_zero':
      return ([a]) => fromFloatLanes('f32', [...floatLanes(vec(a), 'f64').map(demote), 0, 0]);
    case 'promote_low_f32x4':
      return ([a]) => fromFloatLanes('f64', floatLanes(vec(a), 'f32').slice(0, 2).map(promote));
    case 'convert_i32x4_s':
    case 'convert_i32x4_u': {
      const signed = op.endsWith('_s');
      return ([a]) =>
        fromFloatLanes(
          'f32',
          intLanes(vec(a), 32, true).map((x) => convertInt('f32', signed, Number(x))),
        );
    }
    case 'convert_low_i32x4_s':
    case 'convert_low_i32x4_u': {
      const signed = op.endsWith('_s');
      return ([a]) =>
        fromFloatLanes(
          'f64',
          intLanes(vec(a), 32, true)
            .slice(0, 2)
            .map((x) => convertInt('f64', signed, Number(x))),
        );
    }
  }
  return undefined;
}

/** i32x4 truncations from float lanes, saturating (the _zero forms fill lanes 2 and 3 with 0). */
function truncOp(op: string): SimdImpl | undefined {
  const m = /^trunc_sat_(f32x4|f64x2)_([su])(_zero)?$/.exec(op);
  if (!m) return undefined;
  const [from, signed] = [SHAPES[m[1]!]!.float!, m[2] === 's'];
  return ([a]) => fromIntLanes(32, floatLanes(vec(a), from).map((x) => BigInt(truncSat('i32', signed, x))));
}

// --- Whole-vector operations ---------------------------------------------------------------------

const bytewise =
  (fn: (...bytes: number[]) => number): SimdImpl =>
  (args) =>
    Uint8Array.from({ length: 16 }, (_, i) => fn(...args.map((v) => vec(v)[i]!)));

const V128: Readonly<Record<string, SimdImpl>> = {
  not: bytewise((a) => ~a),
  and: bytewise((a, b) => a! & b!),
  andnot: bytewise((a, b) => a! & ~b!),
  or: bytewise((a, b) => a! | b!),
  xor: bytewise((a, b) => a! ^ b!),
  bitselect: bytewise((a, b, c) => (a! & c!) | (b! & ~c!)),
  any_true: ([a]) => (vec(a).some((x) => x !== 0) ? 1 : 0),
};

const BYTE_PERMUTES: Readonly<Record<string, SimdImpl>> = {
  // Selectors 0..15 pick from a, 16..31 from b.
  shuffle: ([a, b], lane) => Uint8Array.from(lane as Uint8Array, (s) => (s < 16 ? vec(a)[s]! : vec(b)[s - 16]!)),
  // Out-of-range indices give 0.
  swizzle: ([a, s]) => Uint8Array.from(vec(s), (i) => (i < 16 ? vec(a)[i]! : 0)),
};

function resolve(name: string): SimdImpl | undefined {
  const dot = name.indexOf('.');
  const [prefix, op] = [name.slice(0, dot), name.slice(dot + 1)];
  if (prefix === 'v128') return V128[op];
  if (prefix === 'i8x16' && BYTE_PERMUTES[op]) return BYTE_PERMUTES[op];
  const shape = SHAPES[prefix];
  if (!shape) return undefined;
  if (shape.float) return floatOp(shape, op);
  return (prefix === 'i32x4' ? truncOp(op) : undefined) ?? intOp(shape, op);
}

const resolved = new Map<string, SimdImpl>();

/** The implementation of the vector op `name` (a key of SIMD_OPS). */
export function simdImpl(name: string): SimdImpl {
  let impl = resolved.get(name);
  if (!impl) {
    impl = SIMD_OPS[name] ? resolve(name) : undefined;
    if (!impl) throw new Error(`interpreter: no implementation of vector op ${name}`);
    resolved.set(name, impl);
  }
  return impl;
}
