/**
 * Advanced SIMD (NEON) data-processing instructions of AArch32, decoded from their A32 encoding
 * (T32 encodings are rewritten to it by the caller) into a function that runs them on the CPU
 * state: the encoding classes of ARM ARM A7.4 (three registers of the same length, of different
 * lengths, two registers and a scalar, two registers and a shift, one register and a modified
 * immediate, two registers miscellaneous, VEXT, VTBL/VTBX, VDUP scalar).
 *
 * Each instruction becomes one helper call whose argument is its encoding; the decoded function is
 * memoised per encoding. decodeNeon returns undefined for unallocated or unimplemented encodings,
 * which the translator turns into UNDEFINED (SIGILL).
 */
import {
  type NeonState,
  bitsToF32,
  cls,
  clz,
  f32ToBits,
  floatLane,
  floatToInt,
  fmax,
  fmin,
  polyMul,
  popcount,
  readD,
  readLanes,
  saturate,
  shiftBy,
  signedOf,
  valueOf,
  writeD,
  writeLanes,
} from './neon-lanes';
import { f16ToF32, f32ToF16 } from './neon-half';
import { recipEstimateF32, recipEstimateU32, recipStep, rsqrtEstimateF32, rsqrtEstimateU32, rsqrtStep } from './neon-estimates';

export type NeonExec = (s: NeonState) => void;
type Lane3 = (a: bigint, b: bigint, d: bigint) => bigint;

const bits = (insn: number, hi: number, lo: number): number => (insn >>> lo) & ((1 << (hi - lo + 1)) - 1);
const mask = (esize: number): bigint => (1n << BigInt(esize)) - 1n;

/** Register fields of the data-processing encodings. */
interface Regs {
  d: number;
  n: number;
  m: number;
  q: boolean;
  regs: number;
}

function regsOf(insn: number): Regs {
  const q = bits(insn, 6, 6) === 1;
  return {
    d: (bits(insn, 22, 22) << 4) | bits(insn, 15, 12),
    n: (bits(insn, 7, 7) << 4) | bits(insn, 19, 16),
    m: (bits(insn, 5, 5) << 4) | bits(insn, 3, 0),
    q,
    regs: q ? 2 : 1,
  };
}

/** Q forms need even register numbers. */
const misaligned = (r: Regs, ...which: number[]): boolean => r.q && which.some((x) => x & 1);

/** An elementwise operation on Dn/Qn, Dm/Qm (and the old Dd/Qd) into Dd/Qd. */
function elementwise(r: Regs, esize: number, op: Lane3): NeonExec {
  return (s) => {
    const a = readLanes(s, r.n, r.regs, esize);
    const b = readLanes(s, r.m, r.regs, esize);
    const d = readLanes(s, r.d, r.regs, esize);
    writeLanes(s, r.d, a.map((x, i) => op(x, b[i]!, d[i]!)), esize);
  };
}

/** VPADD/VPMAX/VPMIN: adjacent pairs of Dn then of Dm. */
function pairwise(r: Regs, esize: number, op: (a: bigint, b: bigint) => bigint): NeonExec {
  return (s) => {
    const all = [...readLanes(s, r.n, 1, esize), ...readLanes(s, r.m, 1, esize)];
    writeLanes(s, r.d, all.filter((_, i) => i % 2 === 0).map((x, i) => op(x, all[2 * i + 1]!)), esize);
  };
}

const f32 = (op: (a: number, b: number) => number): ((a: bigint, b: bigint) => bigint) => (a, b) => floatLane(op, a, b);
const truth = (c: boolean, esize: number): bigint => (c ? mask(esize) : 0n);

/** A7.4.1 Three registers of the same length. */
function threeSame(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  if (misaligned(r, r.d, r.n, r.m)) return undefined;
  const u = bits(insn, 24, 24) === 1;
  const size = bits(insn, 21, 20);
  const esize = 8 << size;
  const a = bits(insn, 11, 8);
  const b = bits(insn, 4, 4);
  const sv = (x: bigint): bigint => valueOf(x, esize, u);
  const intOp = (op: Lane3): NeonExec | undefined => (size === 3 ? undefined : elementwise(r, esize, op));
  const anySize = (op: Lane3): NeonExec => elementwise(r, esize, op);
  const sat = (v: bigint): bigint => saturate(stateOf, v, esize, u);
  // Saturating ops need the state for QC: bind it per execution.
  let stateOf: NeonState;
  const withState = (exec: NeonExec | undefined): NeonExec | undefined => exec && ((s) => ((stateOf = s), exec(s)));
  switch ((a << 1) | b) {
    case 0b00000:
      return intOp((x, y) => (sv(x) + sv(y)) >> 1n); // VHADD
    case 0b00001:
      return withState(anySize((x, y) => sat(sv(x) + sv(y)))); // VQADD
    case 0b00010:
      return intOp((x, y) => (sv(x) + sv(y) + 1n) >> 1n); // VRHADD
    case 0b00011: {
      const all = mask(64);
      const logic: Lane3[] = u
        ? [(x, y) => x ^ y, (x, y, d) => (x & d) | (y & ~d), (x, y, d) => (x & y) | (d & ~y), (x, y, d) => (d & y) | (x & ~y)]
        : [(x, y) => x & y, (x, y) => x & ~y & all, (x, y) => x | y, (x, y) => x | (~y & all)];
      return elementwise(r, 64, logic[size]!); // VAND VBIC VORR VORN / VEOR VBSL VBIT VBIF
    }
    case 0b00100:
      return intOp((x, y) => (sv(x) - sv(y)) >> 1n); // VHSUB
    case 0b00101:
      return withState(anySize((x, y) => sat(sv(x) - sv(y)))); // VQSUB
    case 0b00110:
      return intOp((x, y) => truth(sv(x) > sv(y), esize)); // VCGT
    case 0b00111:
      return intOp((x, y) => truth(sv(x) >= sv(y), esize)); // VCGE
    // Register shifts: the value is Vm, the shift amount the low byte of the Vn lane.
    case 0b01000:
      return anySize((x, y) => shiftBy(sv(y), Number(signedOf(x & 0xffn, 8)), false)); // VSHL
    case 0b01001:
      return withState(anySize((x, y) => sat(shiftBy(sv(y), Number(signedOf(x & 0xffn, 8)), false)))); // VQSHL
    case 0b01010:
      return anySize((x, y) => shiftBy(sv(y), Number(signedOf(x & 0xffn, 8)), true)); // VRSHL
    case 0b01011:
      return withState(anySize((x, y) => sat(shiftBy(sv(y), Number(signedOf(x & 0xffn, 8)), true)))); // VQRSHL
    case 0b01100:
      return intOp((x, y) => (sv(x) > sv(y) ? x : y)); // VMAX
    case 0b01101:
      return intOp((x, y) => (sv(x) < sv(y) ? x : y)); // VMIN
    case 0b01110:
      return intOp((x, y) => (sv(x) > sv(y) ? sv(x) - sv(y) : sv(y) - sv(x))); // VABD
    case 0b01111:
      return intOp((x, y, d) => d + (sv(x) > sv(y) ? sv(x) - sv(y) : sv(y) - sv(x))); // VABA
    case 0b10000:
      return anySize(u ? (x, y) => x - y : (x, y) => x + y); // VSUB / VADD
    case 0b10001:
      return intOp(u ? (x, y) => truth(x === y, esize) : (x, y) => truth((x & y) !== 0n, esize)); // VCEQ / VTST
    case 0b10010:
      return intOp(u ? (x, y, d) => d - x * y : (x, y, d) => d + x * y); // VMLS / VMLA
    case 0b10011:
      if (u) return size === 0 ? elementwise(r, 8, (x, y) => polyMul(x, y, 8)) : undefined; // VMUL.P8
      return intOp((x, y) => x * y); // VMUL
    case 0b10100:
      return r.q ? undefined : size === 3 ? undefined : pairwise(r, esize, (x, y) => (sv(x) > sv(y) ? x : y)); // VPMAX
    case 0b10101:
      return r.q ? undefined : size === 3 ? undefined : pairwise(r, esize, (x, y) => (sv(x) < sv(y) ? x : y)); // VPMIN
    case 0b10110: {
      // VQDMULH / VQRDMULH: high half of the doubled product, saturated.
      if (size !== 1 && size !== 2) return undefined;
      const round = u ? 1n << BigInt(esize - 1) : 0n;
      return withState(
        elementwise(r, esize, (x, y) => saturate(stateOf, (2n * signedOf(x, esize) * signedOf(y, esize) + round) >> BigInt(esize), esize, false)),
      );
    }
    case 0b10111:
      return u || r.q || size === 3 ? undefined : pairwise(r, esize, (x, y) => x + y); // VPADD
    default:
      return threeSameFloat(r, u, size, a, b);
  }
}

/** The single-precision forms of the three-same class (size<0> = 0; size<1> selects the variant). */
function threeSameFloat(r: Regs, u: boolean, size: number, a: number, b: number): NeonExec | undefined {
  if (size & 1) return undefined;
  const hi = size >> 1;
  const lane = (op: (x: number, y: number) => number): NeonExec => elementwise(r, 32, f32(op));
  const cmp = (c: (x: number, y: number) => boolean): NeonExec =>
    elementwise(r, 32, (x, y) => truth(c(bitsToF32(x), bitsToF32(y)), 32));
  switch ((a << 2) | (b << 1) | (u ? 1 : 0)) {
    case 0b110010: {
      // VFMA / VFMS: the single-precision product is exact in f64, so only the sum rounds (twice, to f64 then f32).
      const sign = hi ? -1 : 1;
      return elementwise(r, 32, (x, y, d) => f32ToBits(bitsToF32(d) + sign * bitsToF32(x) * bitsToF32(y)));
    }
    case 0b110100:
      return lane(hi ? (x, y) => x - y : (x, y) => x + y); // VSUB / VADD
    case 0b110101:
      return hi ? lane((x, y) => Math.abs(x - y)) : r.q ? undefined : pairwise(r, 32, f32((x, y) => x + y)); // VABD / VPADD
    case 0b110110: {
      // VMLA / VMLS: a product then a sum, each rounded.
      const mul = (x: bigint, y: bigint): number => bitsToF32(floatLane((p, q) => p * q, x, y));
      return elementwise(r, 32, (x, y, d) => f32ToBits(hi ? bitsToF32(d) - mul(x, y) : bitsToF32(d) + mul(x, y)));
    }
    case 0b110111:
      return hi ? undefined : lane((x, y) => x * y); // VMUL
    case 0b111000:
      return hi ? undefined : cmp((x, y) => x === y); // VCEQ
    case 0b111001:
      return cmp(hi ? (x, y) => x > y : (x, y) => x >= y); // VCGT / VCGE
    case 0b111011:
      return cmp(hi ? (x, y) => Math.abs(x) > Math.abs(y) : (x, y) => Math.abs(x) >= Math.abs(y)); // VACGT / VACGE
    case 0b111100:
      return lane(hi ? fmin : fmax); // VMIN / VMAX
    case 0b111110:
      return elementwise(r, 32, hi ? rsqrtStep : recipStep); // VRECPS / VRSQRTS
    case 0b111101:
      return r.q ? undefined : pairwise(r, 32, f32(hi ? fmin : fmax)); // VPMIN / VPMAX
    default:
      return undefined;
  }
}

/** AdvSIMDExpandImm: the 64-bit immediate of the one-register forms; undefined when UNDEFINED. */
export function expandImm(op: number, cmode: number, imm8: number): bigint | undefined {
  const rep32 = (v: number): bigint => (BigInt(v >>> 0) << 32n) | BigInt(v >>> 0);
  const rep16 = (v: number): bigint => rep32(((v & 0xffff) << 16) | (v & 0xffff));
  switch (cmode >> 1) {
    case 0:
      return rep32(imm8);
    case 1:
      return rep32(imm8 << 8);
    case 2:
      return rep32(imm8 << 16);
    case 3:
      return rep32(imm8 << 24);
    case 4:
      return rep16(imm8);
    case 5:
      return rep16(imm8 << 8);
    case 6:
      return rep32(cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff);
    default:
      if (!(cmode & 1)) {
        if (!op) return rep32(imm8 * 0x01010101);
        let v = 0n;
        for (let i = 0; i < 8; i++) if ((imm8 >> i) & 1) v |= 0xffn << BigInt(8 * i);
        return v;
      }
      if (op) return undefined;
      {
        // VFPExpandImm for single precision: a:NOT(b):bbbbb:cdefgh:Zeros(19).
        const a = (imm8 >> 7) & 1;
        const b = (imm8 >> 6) & 1;
        const word = (a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | ((imm8 & 0x3f) << 19);
        return rep32(word);
      }
  }
}

/** A7.4.6 One register and a modified immediate: VMOV, VORR, VMVN, VBIC. */
function modifiedImmediate(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  if (misaligned(r, r.d)) return undefined;
  const op = bits(insn, 5, 5);
  const cmode = bits(insn, 11, 8);
  const imm8 = (bits(insn, 24, 24) << 7) | (bits(insn, 18, 16) << 4) | bits(insn, 3, 0);
  const imm = expandImm(op, cmode, imm8);
  if (imm === undefined) return undefined;
  const logical = cmode < 12 && (cmode & 1) === 1;
  const apply = (d: bigint): bigint => {
    if (!logical) return op && cmode !== 14 ? ~imm : imm; // VMOV / VMVN
    return op ? d & ~imm : d | imm; // VBIC / VORR
  };
  return (s) => {
    for (let i = 0; i < r.regs; i++) writeD(s, r.d + i, apply(readD(s, r.d + i)));
  };
}

/** A7.4.4 Two registers and a shift amount. */
function shiftImmediate(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  const u = bits(insn, 24, 24) === 1;
  const l = bits(insn, 7, 7);
  const imm6 = bits(insn, 21, 16);
  const a = bits(insn, 11, 8);
  const lImm = (l << 6) | imm6;
  const esize = l ? 64 : imm6 >= 32 ? 32 : imm6 >= 16 ? 16 : 8;
  const right = 2 * esize - lImm;
  const left = lImm - esize;
  const sv = (x: bigint, unsigned: boolean): bigint => valueOf(x, esize, unsigned);
  const simple = (op: Lane3): NeonExec | undefined => (misaligned(r, r.d, r.m) ? undefined : elementwise({ ...r, n: r.m }, esize, op));
  const rshift = (x: bigint, round: boolean): bigint => shiftBy(sv(x, u), -right, round);
  let state: NeonState;
  const withState = (exec: NeonExec | undefined): NeonExec | undefined => exec && ((s) => ((state = s), exec(s)));
  switch (a) {
    case 0b0000:
      return simple((x) => rshift(x, false)); // VSHR
    case 0b0001:
      return simple((x, _y, d) => d + rshift(x, false)); // VSRA
    case 0b0010:
      return simple((x) => rshift(x, true)); // VRSHR
    case 0b0011:
      return simple((x, _y, d) => d + rshift(x, true)); // VRSRA
    case 0b0100: {
      if (!u) return undefined;
      const keep = mask(esize) ^ (mask(esize) >> BigInt(right));
      return simple((x, _y, d) => (x >> BigInt(right)) | (d & keep)); // VSRI
    }
    case 0b0101:
      if (!u) return simple((x) => x << BigInt(left)); // VSHL
      return simple((x, _y, d) => (x << BigInt(left)) | (d & ((1n << BigInt(left)) - 1n))); // VSLI
    case 0b0110:
      return u ? withState(simple((x) => saturate(state, sv(x, false) << BigInt(left), esize, true))) : undefined; // VQSHLU
    case 0b0111:
      return withState(simple((x) => saturate(state, sv(x, u) << BigInt(left), esize, u))); // VQSHL
    case 0b1000:
    case 0b1001: {
      // Narrowing right shifts: Qm of 2*esize lanes into Dd. The esize decoded above is the narrow one.
      if (l || r.m & 1) return undefined;
      // VSHRN/VRSHRN keep the low bits; VQ(R)SHRUN take signed lanes to unsigned; VQ(R)SHRN keep U's signedness.
      const round = r.q;
      const narrow = esize;
      const wide = 2 * narrow;
      const shift = wide - imm6;
      const plain = a === 0b1000 && !u;
      const unsignedSource = a === 0b1001 && u;
      const unsignedResult = u;
      return (s) => {
        const src = readLanes(s, r.m, 2, wide);
        const out = src.map((x) => {
          const v = shiftBy(plain ? x : valueOf(x, wide, unsignedSource), -shift, round);
          return plain ? v : saturate(s, v, narrow, unsignedResult);
        });
        writeLanes(s, r.d, out, narrow);
      };
    }
    case 0b1010: {
      // VSHLL / VMOVL: Dm lanes widened to 2*esize and shifted left.
      if (l || r.q || r.d & 1) return undefined;
      return (s) => {
        const src = readLanes(s, r.m, 1, esize);
        writeLanes(s, r.d, src.map((x) => sv(x, u) << BigInt(left)), 2 * esize);
      };
    }
    case 0b1110:
    case 0b1111: {
      // VCVT between single precision and 32-bit fixed point with 64 - imm6 fraction bits.
      if (l || imm6 < 32 || misaligned(r, r.d, r.m)) return undefined;
      const frac = 64 - imm6;
      if (a === 0b1110) return simple((x) => f32ToBits(Number(valueOf(x, 32, u)) / 2 ** frac));
      return simple((x) => floatToInt(bitsToF32(x) * 2 ** frac, u));
    }
    default:
      return undefined;
  }
}

/** A7.4.2 Three registers of different lengths: long (Qd from Dn, Dm), wide (Qd from Qn, Dm), narrow (Dd from Qn, Qm). */
function threeDiff(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  const u = bits(insn, 24, 24) === 1;
  const esize = 8 << bits(insn, 21, 20);
  const wide = 2 * esize;
  const a = bits(insn, 11, 8);
  const sv = (x: bigint): bigint => valueOf(x, esize, u);
  const long = (op: (x: bigint, y: bigint, d: bigint, s: NeonState) => bigint): NeonExec | undefined =>
    r.d & 1
      ? undefined
      : (s) => {
          const x = readLanes(s, r.n, 1, esize);
          const y = readLanes(s, r.m, 1, esize);
          const d = readLanes(s, r.d, 2, wide);
          writeLanes(s, r.d, x.map((v, i) => op(v, y[i]!, d[i]!, s)), wide);
        };
  const absDiff = (x: bigint, y: bigint): bigint => (sv(x) > sv(y) ? sv(x) - sv(y) : sv(y) - sv(x));
  const doubling = (x: bigint, y: bigint): bigint => 2n * signedOf(x, esize) * signedOf(y, esize);
  switch (a) {
    case 0b0000:
      return long((x, y) => sv(x) + sv(y)); // VADDL
    case 0b0010:
      return long((x, y) => sv(x) - sv(y)); // VSUBL
    case 0b0001:
    case 0b0011:
      // VADDW / VSUBW: Qn's wide lanes with Dm's widened.
      return r.d & 1 || r.n & 1
        ? undefined
        : (s) => {
            const x = readLanes(s, r.n, 2, wide);
            const y = readLanes(s, r.m, 1, esize);
            writeLanes(s, r.d, x.map((v, i) => (a === 1 ? v + sv(y[i]!) : v - sv(y[i]!))), wide);
          };
    case 0b0100:
    case 0b0110: {
      // VADDHN / VRADDHN / VSUBHN / VRSUBHN: high halves of Qn +/- Qm.
      if (r.n & 1 || r.m & 1) return undefined;
      const round = u ? 1n << BigInt(esize - 1) : 0n;
      return (s) => {
        const x = readLanes(s, r.n, 2, wide);
        const y = readLanes(s, r.m, 2, wide);
        writeLanes(s, r.d, x.map((v, i) => ((a === 4 ? v + y[i]! : v - y[i]!) + round) >> BigInt(esize)), esize);
      };
    }
    case 0b0101:
      return long((x, y, d) => d + absDiff(x, y)); // VABAL
    case 0b0111:
      return long((x, y) => absDiff(x, y)); // VABDL
    case 0b1000:
      return long((x, y, d) => d + sv(x) * sv(y)); // VMLAL
    case 0b1010:
      return long((x, y, d) => d - sv(x) * sv(y)); // VMLSL
    case 0b1100:
      return long((x, y) => sv(x) * sv(y)); // VMULL
    case 0b1110:
      return u || esize !== 8 ? undefined : long((x, y) => polyMul(x, y, 8)); // VMULL.P8
    case 0b1001:
    case 0b1011:
    case 0b1101:
      if (u || esize === 8) return undefined;
      return long((x, y, d, s) => {
        const p = saturate(s, doubling(x, y), wide, false);
        if (a === 0b1101) return p; // VQDMULL
        return saturate(s, a === 0b1001 ? signedOf(d, wide) + p : signedOf(d, wide) - p, wide, false); // VQDMLAL / VQDMLSL
      });
    default:
      return undefined;
  }
}

/** A7.4.3 Two registers and a scalar: Dm[x] against every lane of Dn/Qn. */
function scalarForm(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  const u = bits(insn, 24, 24) === 1; // Q for the same-length forms, unsigned for the long ones
  const size = bits(insn, 21, 20);
  if (size === 0) return undefined;
  const esize = 8 << size;
  const vm = bits(insn, 3, 0);
  const m = esize === 16 ? vm & 7 : vm;
  const index = esize === 16 ? (bits(insn, 5, 5) << 1) | (vm >> 3) : bits(insn, 5, 5);
  const a = bits(insn, 11, 8);
  const scalar = (s: NeonState): bigint => readLanes(s, m, 1, esize)[index]!;
  const same = { ...r, q: u, regs: u ? 2 : 1 };
  const sameForm = (op: (x: bigint, k: bigint, d: bigint, s: NeonState) => bigint): NeonExec | undefined =>
    u && (r.d & 1 || r.n & 1)
      ? undefined
      : (s) => {
          const k = scalar(s);
          const x = readLanes(s, r.n, same.regs, esize);
          const d = readLanes(s, r.d, same.regs, esize);
          writeLanes(s, r.d, x.map((v, i) => op(v, k, d[i]!, s)), esize);
        };
  const longForm = (op: (x: bigint, k: bigint, d: bigint, s: NeonState) => bigint): NeonExec | undefined =>
    r.d & 1
      ? undefined
      : (s) => {
          const k = scalar(s);
          const x = readLanes(s, r.n, 1, esize);
          const d = readLanes(s, r.d, 2, 2 * esize);
          writeLanes(s, r.d, x.map((v, i) => op(v, k, d[i]!, s)), 2 * esize);
        };
  const sv = (x: bigint): bigint => valueOf(x, esize, u);
  const fl = (x: bigint): number => bitsToF32(x);
  const fmul = (x: bigint, k: bigint): number => fl(floatLane((p, q) => p * q, x, k));
  const doubling = (x: bigint, k: bigint): bigint => 2n * signedOf(x, esize) * signedOf(k, esize);
  switch (a) {
    case 0b0000:
      return sameForm((x, k, d) => d + x * k); // VMLA
    case 0b0100:
      return sameForm((x, k, d) => d - x * k); // VMLS
    case 0b1000:
      return sameForm((x, k) => x * k); // VMUL
    case 0b0001:
      return esize === 32 ? sameForm((x, k, d) => f32ToBits(fl(d) + fmul(x, k))) : undefined; // VMLA.F32
    case 0b0101:
      return esize === 32 ? sameForm((x, k, d) => f32ToBits(fl(d) - fmul(x, k))) : undefined; // VMLS.F32
    case 0b1001:
      return esize === 32 ? sameForm((x, k) => floatLane((p, q) => p * q, x, k)) : undefined; // VMUL.F32
    case 0b0010:
      return longForm((x, k, d) => d + sv(x) * sv(k)); // VMLAL
    case 0b0110:
      return longForm((x, k, d) => d - sv(x) * sv(k)); // VMLSL
    case 0b1010:
      return longForm((x, k) => sv(x) * sv(k)); // VMULL
    case 0b0011:
    case 0b0111:
    case 0b1011:
      if (u) return undefined;
      return longForm((x, k, d, s) => {
        const p = saturate(s, doubling(x, k), 2 * esize, false);
        if (a === 0b1011) return p; // VQDMULL
        return saturate(s, a === 0b0011 ? signedOf(d, 2 * esize) + p : signedOf(d, 2 * esize) - p, 2 * esize, false);
      });
    case 0b1100:
    case 0b1101: {
      const round = a === 0b1101 ? 1n << BigInt(esize - 1) : 0n;
      return sameForm((x, k, _d, s) => saturate(s, (doubling(x, k) + round) >> BigInt(esize), esize, false)); // VQDMULH / VQRDMULH
    }
    default:
      return undefined;
  }
}

/** VEXT: bytes imm4 onwards of Vm:Vn (Vn the low part). */
function extract(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  const imm4 = bits(insn, 11, 8);
  if (misaligned(r, r.d, r.n, r.m) || (!r.q && imm4 > 7)) return undefined;
  return (s) => {
    const all = [...readLanes(s, r.n, r.regs, 8), ...readLanes(s, r.m, r.regs, 8)];
    writeLanes(s, r.d, all.slice(imm4, imm4 + 8 * r.regs), 8);
  };
}

/** VTBL / VTBX: bytes of Dm index a table of len+1 registers from Dn; out of range gives 0 (VTBL) or keeps Dd (VTBX). */
function tableLookup(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  const len = bits(insn, 9, 8) + 1;
  const extend = bits(insn, 6, 6) === 1;
  if (r.n + len > 32) return undefined;
  return (s) => {
    const table = readLanes(s, r.n, len, 8);
    const idx = readLanes(s, r.m, 1, 8);
    const d = readLanes(s, r.d, 1, 8);
    writeLanes(s, r.d, idx.map((i, k) => (i < BigInt(table.length) ? table[Number(i)]! : extend ? d[k]! : 0n)), 8);
  };
}

/** VDUP (scalar): Dm[x] into every lane. */
function dupScalar(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  const imm4 = bits(insn, 19, 16);
  const esize = imm4 & 1 ? 8 : imm4 & 2 ? 16 : imm4 & 4 ? 32 : 0;
  if (!esize || misaligned(r, r.d)) return undefined;
  const index = imm4 >> (esize === 8 ? 1 : esize === 16 ? 2 : 3);
  return (s) => {
    const v = readLanes(s, r.m, 1, esize)[index]!;
    writeLanes(s, r.d, Array<bigint>((64 / esize) * r.regs).fill(v), esize);
  };
}

/** A7.4.5 Two registers, miscellaneous. */
function twoMisc(insn: number): NeonExec | undefined {
  const r = regsOf(insn);
  const size = bits(insn, 19, 18);
  const esize = 8 << size;
  const a = bits(insn, 17, 16);
  const b = bits(insn, 10, 7);
  const unary = (e: number, op: (x: bigint, s: NeonState) => bigint): NeonExec | undefined =>
    misaligned(r, r.d, r.m)
      ? undefined
      : (s) => {
          writeLanes(s, r.d, readLanes(s, r.m, r.regs, e).map((x) => op(x, s)), e);
        };
  const sx = (x: bigint): bigint => signedOf(x, esize);
  if (a === 0 && b <= 2) {
    // VREV64/32/16: reverse the esize lanes inside each 64/32/16-bit group.
    const group = [64, 32, 16][b]!;
    if (esize >= group || misaligned(r, r.d, r.m)) return undefined;
    const per = group / esize;
    return (s) => {
      const x = readLanes(s, r.m, r.regs, esize);
      writeLanes(s, r.d, x.map((_, i) => x[i - (i % per) + (per - 1 - (i % per))]!), esize);
    };
  }
  if (a === 0) {
    switch (b >> 1) {
      case 0b010:
      case 0b110: {
        // VPADDL / VPADAL: adjacent pairs added into lanes of twice the size (accumulated for VPADAL).
        if (size === 3 || misaligned(r, r.d, r.m)) return undefined;
        const unsigned = (b & 1) === 1;
        const accumulate = b >> 1 === 0b110;
        return (s) => {
          const x = readLanes(s, r.m, r.regs, esize).map((v) => valueOf(v, esize, unsigned));
          const d = readLanes(s, r.d, r.regs, 2 * esize);
          writeLanes(s, r.d, d.map((old, i) => (accumulate ? old : 0n) + x[2 * i]! + x[2 * i + 1]!), 2 * esize);
        };
      }
      default:
        break;
    }
    switch (b) {
      case 0b1000:
        return size === 3 ? undefined : unary(esize, (x) => cls(x, esize)); // VCLS
      case 0b1001:
        return size === 3 ? undefined : unary(esize, (x) => clz(x, esize)); // VCLZ
      case 0b1010:
        return size ? undefined : unary(8, (x) => popcount(x)); // VCNT
      case 0b1011:
        return size ? undefined : unary(64, (x) => ~x); // VMVN
      case 0b1110:
        return size === 3 ? undefined : unary(esize, (x, s) => saturate(s, sx(x) < 0n ? -sx(x) : sx(x), esize, false)); // VQABS
      case 0b1111:
        return size === 3 ? undefined : unary(esize, (x, s) => saturate(s, -sx(x), esize, false)); // VQNEG
      default:
        return undefined;
    }
  }
  if (a === 1) {
    const float = (b & 8) !== 0;
    if (size === 3 || (float && size !== 2)) return undefined;
    const zeroCmp = (c: (x: number) => boolean): NeonExec | undefined =>
      unary(esize, (x) => truth(c(float ? bitsToF32(x) : Number(sx(x))), esize));
    switch (b & 7) {
      case 0:
        return zeroCmp((x) => x > 0); // VCGT #0
      case 1:
        return zeroCmp((x) => x >= 0); // VCGE #0
      case 2:
        return zeroCmp((x) => x === 0); // VCEQ #0
      case 3:
        return zeroCmp((x) => x <= 0); // VCLE #0
      case 4:
        return zeroCmp((x) => x < 0); // VCLT #0
      case 6:
        return unary(esize, float ? (x) => x & 0x7fffffffn : (x) => (sx(x) < 0n ? -sx(x) : x)); // VABS
      case 7:
        return unary(esize, float ? (x) => x ^ 0x80000000n : (x) => -x); // VNEG
      default:
        return undefined;
    }
  }
  if (a === 2) {
    switch (b) {
      case 0b0000:
        // VSWP
        return size || misaligned(r, r.d, r.m)
          ? undefined
          : (s) => {
              for (let i = 0; i < r.regs; i++) {
                const t = readD(s, r.d + i);
                writeD(s, r.d + i, readD(s, r.m + i));
                writeD(s, r.m + i, t);
              }
            };
      case 0b0001:
      case 0b0010:
      case 0b0011:
        return size === 3 || misaligned(r, r.d, r.m) ? undefined : permute(r, esize, b);
      case 0b0100:
      case 0b0101: {
        // VMOVN (b=0100, Q=0), VQMOVUN (b=0100, Q=1), VQMOVN (b=0101, Q = unsigned).
        if (size === 3 || r.m & 1) return undefined;
        const wide = 2 * esize;
        const op = b === 0b0100 ? (r.q ? 'signed-to-unsigned' : 'plain') : r.q ? 'unsigned' : 'signed';
        return (s) => {
          const x = readLanes(s, r.m, 2, wide);
          const out = x.map((v) => {
            if (op === 'plain') return v;
            const value = op === 'unsigned' ? v : signedOf(v, wide);
            return saturate(s, value, esize, op !== 'signed');
          });
          writeLanes(s, r.d, out, esize);
        };
      }
      case 0b1100:
        // VCVT.F16.F32 Dd, Qm
        return size !== 1 || r.q || r.m & 1
          ? undefined
          : (s) => writeLanes(s, r.d, readLanes(s, r.m, 2, 32).map(f32ToF16), 16);
      case 0b1110:
        // VCVT.F32.F16 Qd, Dm
        return size !== 1 || r.q || r.d & 1
          ? undefined
          : (s) => writeLanes(s, r.d, readLanes(s, r.m, 1, 16).map(f16ToF32), 32);
      case 0b0110:
        // VSHLL with the maximum shift (the lane size).
        return r.q || size === 3 || r.d & 1
          ? undefined
          : (s) => {
              writeLanes(s, r.d, readLanes(s, r.m, 1, esize).map((x) => x << BigInt(esize)), 2 * esize);
            };
      default:
        return undefined;
    }
  }
  // a === 3: VRECPE, VRSQRTE (10F0, 10F1), VCVT between single precision and 32-bit integers.
  if ((b & 0b1100) === 0b1000 && size === 2) {
    const estimates = [recipEstimateU32, rsqrtEstimateU32, recipEstimateF32, rsqrtEstimateF32];
    return unary(32, estimates[b & 3]!);
  }
  if ((b & 0b1100) === 0b1100 && size === 2) {
    const op = b & 3;
    const unsigned = (op & 1) === 1;
    if (op < 2) return unary(32, (x) => f32ToBits(Number(valueOf(x, 32, unsigned))));
    return unary(32, (x) => floatToInt(bitsToF32(x), unsigned));
  }
  return undefined;
}

/** VTRN, VUZP, VZIP on the lanes of Vd and Vm. */
function permute(r: Regs, esize: number, kind: number): NeonExec {
  return (s) => {
    const d = readLanes(s, r.d, r.regs, esize);
    const m = readLanes(s, r.m, r.regs, esize);
    const n = d.length;
    let outD: bigint[];
    let outM: bigint[];
    if (kind === 1) {
      // VTRN: swap d[2i+1] with m[2i].
      outD = d.map((v, i) => (i % 2 ? m[i - 1]! : v));
      outM = m.map((v, i) => (i % 2 ? v : d[i + 1]!));
    } else if (kind === 2) {
      // VUZP: even lanes of d:m to d, odd lanes to m.
      const all = [...d, ...m];
      outD = all.filter((_, i) => i % 2 === 0);
      outM = all.filter((_, i) => i % 2 === 1);
    } else {
      // VZIP: interleave d and m, low half to d, high half to m.
      const all = d.flatMap((v, i) => [v, m[i]!]);
      outD = all.slice(0, n);
      outM = all.slice(n);
    }
    writeLanes(s, r.d, outD, esize);
    writeLanes(s, r.m, outM, esize);
  };
}

/** Decodes an A32-form Advanced SIMD data-processing encoding (1111 001U ...). */
export function decodeNeon(insn: number): NeonExec | undefined {
  if (bits(insn, 31, 25) !== 0b1111001) return undefined;
  if (!bits(insn, 23, 23)) return threeSame(insn);
  if (bits(insn, 4, 4)) {
    if (bits(insn, 21, 19) === 0 && !bits(insn, 7, 7)) return modifiedImmediate(insn);
    return shiftImmediate(insn);
  }
  if (bits(insn, 21, 20) !== 3) return bits(insn, 6, 6) ? scalarForm(insn) : threeDiff(insn);
  if (!bits(insn, 24, 24)) return extract(insn);
  if (!bits(insn, 11, 11)) return twoMisc(insn);
  if (bits(insn, 11, 10) === 0b10) return tableLookup(insn);
  if (bits(insn, 11, 7) === 0b11000) return dupScalar(insn);
  return undefined;
}
