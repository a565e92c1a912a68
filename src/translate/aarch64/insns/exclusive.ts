/**
 * A64 exclusive and ordered accesses (ARM ARM C4.1.66, "Load/store exclusive" and "Load-acquire/
 * store-release"): LDXR/LDAXR/STXR/STLXR in four sizes, the pair forms LDXP/LDAXP/STXP/STLXP,
 * LDAR/STLR/LDLAR/STLLR and LDAPR.
 *
 * The exclusive monitor is CPU state, as in QEMU: a load-exclusive records the address, size and
 * value loaded; a store-exclusive succeeds (status 0) only if the address and size match and a
 * cmpxchg from the recorded value to the new one succeeds, so a store by another thread in between
 * makes it fail once threads run in parallel. Either way the monitor is cleared.
 *
 * Acquire and release semantics need nothing extra in one thread; all of these accesses must be
 * aligned (SIGBUS otherwise), as on a CPU without FEAT_LSE2.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { EXCL_ADDR, EXCL_SIZE, EXCL_VAL, EXCL_VAL2 } from '../state';
import { compareAndStorePair, joinWords, splitWords } from './atomics';
import { guarded } from './simd-common';
import { gpr, loadInto, requireAlignment, storeFrom } from './transfer';

/** Records a load-exclusive in the monitor. */
function arm(ctx: A64Context, addr: Temp, bytes: number, value: Temp, second?: Temp): void {
  const b = ctx.b;
  b.set(EXCL_ADDR, addr);
  b.set(EXCL_SIZE, b.i32(bytes));
  b.set(EXCL_VAL, value);
  if (second) b.set(EXCL_VAL2, second);
}

/**
 * A store-exclusive of `bytes` at `addr`: `attempt` (run only when the monitor holds this address
 * and size) returns the i32 status of its compare-and-store; Ws gets that status, or 1 when the
 * monitor does not match. All registers are read before Ws is written.
 */
function storeExclusive(ctx: A64Context, rs: number, addr: Temp, bytes: number, attempt: () => Temp): void {
  const b = ctx.b;
  const mismatch = b.or(
    b.compare('ne', addr, b.get(EXCL_ADDR, 'i64')),
    b.compare('ne', b.get(EXCL_SIZE, 'i32'), b.i32(bytes)),
  );
  guarded(
    ctx,
    mismatch,
    () => ctx.setReg(rs, attempt()),
    () => ctx.setReg(rs, b.i32(1)),
  );
  b.set(EXCL_ADDR, b.i64(-1));
}

/** Status (i32, 0 = stored) of a cmpxchg of `bytes` at `addr` from the recorded value to `value`. */
function swapRecorded(ctx: A64Context, addr: Temp, value: Temp, bytes: 1 | 2 | 4 | 8): Temp {
  const b = ctx.b;
  const recorded = b.get(EXCL_VAL, 'i64');
  const expected = bytes === 8 ? recorded : b.wrap(recorded);
  return b.compare('ne', b.cmpxchg(addr, expected, value, bytes), expected);
}

/** LDXR/LDAXR (L = 1) and STXR/STLXR (L = 0) of a byte, halfword, word or doubleword. */
const exclusive: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const bytes = 1 << f.size;
  const addr = ctx.xsp(f.rn);
  if (f.l) {
    requireAlignment(ctx, addr, bytes);
    const value = b.load('i64', addr, bytes as 1 | 2 | 4 | 8);
    arm(ctx, addr, bytes, value);
    ctx.setReg(f.rt, value);
    return true;
  }
  const value = bytes === 8 ? ctx.x(f.rt) : ctx.w(f.rt);
  storeExclusive(ctx, f.rs, addr, bytes, () => swapRecorded(ctx, addr, value, bytes as 1 | 2 | 4 | 8));
  return true;
};

/**
 * LDXP/LDAXP and STXP/STLXP: a pair of words is one doubleword access; a pair of doublewords is
 * 16 bytes, compared and stored as a whole.
 */
const exclusivePair: A64Handler = (ctx, f) => {
  const b = ctx.b;
  const addr = ctx.xsp(f.rn);
  const bytes = f.sz ? 16 : 8;
  if (f.l) {
    requireAlignment(ctx, addr, bytes);
    if (!f.sz) {
      const value = b.load('i64', addr, 8);
      arm(ctx, addr, bytes, value);
      splitWords(ctx, value, f.rt, f.rt2);
      return true;
    }
    const first = b.load('i64', addr, 8);
    const second = b.load('i64', b.add(addr, b.i64(8)), 8);
    arm(ctx, addr, bytes, first, second);
    ctx.setReg(f.rt, first);
    ctx.setReg(f.rt2, second);
    return true;
  }
  if (!f.sz) {
    const value = joinWords(ctx, f.rt, f.rt2);
    storeExclusive(ctx, f.rs, addr, bytes, () => swapRecorded(ctx, addr, value, 8));
    return true;
  }
  const values: [Temp, Temp] = [ctx.x(f.rt), ctx.x(f.rt2)];
  storeExclusive(ctx, f.rs, addr, bytes, () => {
    const expected: [Temp, Temp] = [b.get(EXCL_VAL, 'i64'), b.get(EXCL_VAL2, 'i64')];
    const old = compareAndStorePair(ctx, addr, expected, values);
    return b.or(b.compare('ne', old[0], expected[0]), b.compare('ne', old[1], expected[1]));
  });
  return true;
};

/** LDAR/LDLAR/LDAPR (L = 1) and STLR/STLLR (L = 0): ordinary aligned accesses in one thread. */
const ordered: A64Handler = (ctx, f) => {
  const t = gpr(f.size);
  const addr = ctx.xsp(f.rn);
  requireAlignment(ctx, addr, t.bytes);
  if (f.l) loadInto(ctx, t, f.rt, addr);
  else storeFrom(ctx, t, f.rt, addr);
  return true;
};

const loadAcquireRcpc: A64Handler = (ctx, f) => ordered(ctx, { ...f, l: 1 });

/**
 * Fields the ARM ARM marks should-be-one (Rs of the loads, Rt2 of the single-register forms) are
 * ignored, as QEMU and binutils do.
 */
export const EXCLUSIVE_ROWS = [
  ['size:2 001000 0 l:1 0 rs:5 o0:1 ..... rn:5 rt:5', 'LDXR/LDAXR/STXR/STLXR', exclusive],
  ['1 sz:1 001000 0 l:1 1 rs:5 o0:1 rt2:5 rn:5 rt:5', 'LDXP/LDAXP/STXP/STLXP', exclusivePair],
  ['size:2 001000 1 l:1 0 ..... o0:1 ..... rn:5 rt:5', 'LDAR/STLR/LDLAR/STLLR', ordered],
  ['size:2 111 0 00 1 0 1 11111 1 100 00 rn:5 rt:5', 'LDAPR', loadAcquireRcpc],
] as const;
