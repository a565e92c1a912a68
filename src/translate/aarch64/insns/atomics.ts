/**
 * ARMv8.1 LSE atomics (ARM ARM C4.1.66, "Atomic memory operations" and "Compare and swap"):
 * LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN and SWP in every size with their acquire
 * (A), release (L) and result-discarding ST* aliases, CAS in every size, and CASP on register pairs.
 *
 * Ordering needs nothing extra: the IR's atomic ops are sequentially consistent. Every form is
 * aligned to its access size (SIGBUS otherwise), as on a CPU without FEAT_LSE2; the backend's
 * atomic ops check that.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { WIDE_ATOMIC_LOCK, WIDE_ATOMIC_UNLOCK } from '../../ir/wide-atomics';
import { requireAlignment } from './transfer';

type Rmw = 'add' | 'and' | 'or' | 'xor' | 'xchg';
type Bytes = 1 | 2 | 4 | 8;

/** Value type of an access: narrow ones are i32 (zero-extended), doublewords i64. */
const typeOf = (bytes: Bytes): 'i32' | 'i64' => (bytes === 8 ? 'i64' : 'i32');

/** Register n as an operand of a `bytes` access: Xn, or Wn with the bits above the access cleared. */
function operand(ctx: A64Context, n: number, bytes: Bytes): Temp {
  if (bytes === 8) return ctx.x(n);
  const w = ctx.w(n);
  return bytes === 4 ? w : ctx.b.and(w, ctx.b.i32(bytes === 1 ? 0xff : 0xffff));
}

/** LDSMAX, LDSMIN, LDUMAX, LDUMIN by opc: the comparison under which the old value is kept. */
const KEEP_OLD = { 4: 'gt_s', 5: 'lt_s', 6: 'gt_u', 7: 'lt_u' } as const;

/** Sign-extends a zero-extended narrow value for a signed comparison. */
function signedView(ctx: A64Context, v: Temp, bytes: Bytes): Temp {
  return bytes === 1 ? ctx.b.unary('sext8', v) : bytes === 2 ? ctx.b.unary('sext16', v) : v;
}

/**
 * LDSMAX/LDSMIN/LDUMAX/LDUMIN have no IR rmw kind: load, compute, then cmpxchg the result in. If
 * another guest thread changed the value in between, the cmpxchg fails and the block exits to this
 * instruction, which runs again: a retry loop made of forward branches and a block exit.
 */
function minMax(ctx: A64Context, opc: 4 | 5 | 6 | 7, addr: Temp, rs: Temp, bytes: Bytes): Temp {
  const b = ctx.b;
  const old = b.load(typeOf(bytes), addr, bytes);
  const cmp = KEEP_OLD[opc];
  const signed = cmp.endsWith('_s');
  const [x, y] = signed ? [signedView(ctx, old, bytes), signedView(ctx, rs, bytes)] : [old, rs];
  const result = b.select(b.compare(cmp, x, y), old, rs);
  const seen = b.cmpxchg(addr, old, result, bytes);
  const done = b.label();
  b.brcond(b.compare('eq', seen, old), done);
  b.exit(b.i64(ctx.pc));
  b.place(done);
  return old;
}

/** The rmw kind of LDADD/LDCLR/LDEOR/LDSET (opc 0..3) and SWP, with the operand it applies. */
function rmwOf(ctx: A64Context, o3: number, opc: number, rs: Temp): [Rmw, Temp] | undefined {
  if (o3) return opc === 0 ? ['xchg', rs] : undefined;
  switch (opc) {
    case 0:
      return ['add', rs];
    case 1: // LDCLR: old AND NOT Rs.
      return ['and', ctx.b.unary('not', rs)];
    case 2:
      return ['xor', rs];
    case 3:
      return ['or', rs];
    default:
      return undefined;
  }
}

/** LD<op>/ST<op>/SWP: Rt = old memory value (zero-extended), memory = op(old, Rs). */
const atomicOp: A64Handler = (ctx, f) => {
  const bytes = (1 << f.size) as Bytes;
  const addr = ctx.xsp(f.rn);
  const rs = operand(ctx, f.rs, bytes);
  let old: Temp;
  if (!f.o3 && f.opc >= 4) {
    old = minMax(ctx, f.opc as 4 | 5 | 6 | 7, addr, rs, bytes);
  } else {
    const rmw = rmwOf(ctx, f.o3, f.opc, rs);
    if (!rmw) return false;
    old = ctx.b.rmw(rmw[0], addr, rmw[1], bytes);
  }
  ctx.setReg(f.rt, old);
  return true;
};

/** CAS/CASA/CASL/CASAL (B, H, W, X): if memory == Rs then memory = Rt; Rs = old memory value. */
const cas: A64Handler = (ctx, f) => {
  const bytes = (1 << f.size) as Bytes;
  const addr = ctx.xsp(f.rn);
  const old = ctx.b.cmpxchg(addr, operand(ctx, f.rs, bytes), operand(ctx, f.rt, bytes), bytes);
  ctx.setReg(f.rs, old);
  return true;
};

/** Two 32-bit registers as the doubleword they occupy in memory, the first at the lower address. */
export function joinWords(ctx: A64Context, first: number, second: number): Temp {
  const b = ctx.b;
  return b.or(b.zext(ctx.w(first)), b.shl(ctx.x(second), b.i64(32)));
}

/** Writes a doubleword read from memory to two 32-bit registers, the lower address to `first`. */
export function splitWords(ctx: A64Context, value: Temp, first: number, second: number): void {
  const b = ctx.b;
  ctx.setReg(first, b.wrap(value));
  ctx.setReg(second, b.wrap(b.shrU(value, b.i64(32))));
}

/**
 * Compare-and-store of 16 bytes at `addr` (16-byte aligned): if they equal expected[0], expected[1]
 * then replacement is stored. Returns the two doublewords read. The IR has no 128-bit cmpxchg, so
 * this is a load/compare/store under the wide-atomics lock (ir/wide-atomics.ts), which threads
 * running vCPUs in parallel share.
 */
export function compareAndStorePair(ctx: A64Context, addr: Temp, expected: [Temp, Temp], replacement: [Temp, Temp]): [Temp, Temp] {
  const b = ctx.b;
  requireAlignment(ctx, addr, 16);
  const high = b.add(addr, b.i64(8));
  b.call(WIDE_ATOMIC_LOCK, []);
  const old: [Temp, Temp] = [b.load('i64', addr, 8), b.load('i64', high, 8)];
  const differ = b.or(b.compare('ne', old[0], expected[0]), b.compare('ne', old[1], expected[1]));
  const skip = b.label();
  b.brcond(differ, skip);
  b.store(addr, replacement[0], 8);
  b.store(high, replacement[1], 8);
  b.place(skip);
  b.call(WIDE_ATOMIC_UNLOCK, []);
  return old;
}

/**
 * CASP/CASPA/CASPL/CASPAL: compare Rs:Rs+1 with the pair in memory, store Rt:Rt+1 if equal, and
 * return the old pair in Rs:Rs+1. Rs and Rt must be even.
 */
const casp: A64Handler = (ctx, f) => {
  if (f.rs & 1 || f.rt & 1) return false;
  const addr = ctx.xsp(f.rn);
  if (!f.sz) {
    const old = ctx.b.cmpxchg(addr, joinWords(ctx, f.rs, f.rs + 1), joinWords(ctx, f.rt, f.rt + 1), 8);
    splitWords(ctx, old, f.rs, f.rs + 1);
    return true;
  }
  const old = compareAndStorePair(ctx, addr, [ctx.x(f.rs), ctx.x(f.rs + 1)], [ctx.x(f.rt), ctx.x(f.rt + 1)]);
  ctx.setReg(f.rs, old[0]);
  ctx.setReg(f.rs + 1, old[1]);
  return true;
};

export const ATOMIC_ROWS = [
  ['size:2 111 0 00 a:1 r:1 1 rs:5 o3:1 opc:3 00 rn:5 rt:5', 'LDADD/LDCLR/LDEOR/LDSET/LD[SU]MAX/LD[SU]MIN/SWP', atomicOp],
  ['size:2 001000 1 l:1 1 rs:5 o0:1 11111 rn:5 rt:5', 'CAS', cas],
  ['0 sz:1 001000 0 l:1 1 rs:5 o0:1 11111 rn:5 rt:5', 'CASP', casp],
] as const;
