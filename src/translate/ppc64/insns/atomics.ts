/**
 * Load and reserve / store conditional (Power ISA 3.0 Book II 4.4.2): lbarx, lharx, lwarx, ldarx,
 * lqarx and stbcx., sthcx., stwcx., stdcx., stqcx..
 *
 * The reservation is CPU state, as in QEMU: larx records the address, size and value loaded; stcx.
 * succeeds only if the address and size match and memory still holds the recorded value. CR0 =
 * 0b00 || success || XER.SO; the reservation is cleared either way. Misaligned addresses raise
 * SIGBUS. The value check and the store are one compare-and-swap, so a store by another thread
 * between larx and stcx. makes it fail (unless it wrote the same value back: the ABA case, which
 * QEMU accepts too).
 *
 * The quadword pair (lqarx/stqcx., RTp/RSp even) records and compares both doublewords. The IR has
 * no 128-bit compare-and-swap, so stqcx. compares and stores as two steps: atomic while guest
 * threads do not run in parallel (as AArch64's CASP and STXP of a pair, atomics.ts there).
 */
import type { Temp } from '../../ir/block';
import { TrapKind } from '../../ir/ops';
import { CR_EQ, type PpcContext, type PpcHandler } from '../context';
import { RESV_ADDR, RESV_SIZE, RESV_VAL, RESV_VAL2 } from '../state';
import { x31 } from './forms';
import { QUAD } from './load-store';
import { dword } from './vsx-load-store';

type AtomicSize = 1 | 2 | 4 | 8;

function requireAlignment(ctx: PpcContext, ea: Temp, bytes: number): void {
  if (bytes === 1) return;
  const b = ctx.b;
  const ok = b.label();
  b.brcond(b.compare('eq', b.and(ea, b.i64(bytes - 1)), b.i64(0)), ok);
  b.trap(TrapKind.Alignment);
  b.place(ok);
}

const larx =
  (bytes: AtomicSize): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const ea = ctx.eaX(f.ra, f.rb);
    requireAlignment(ctx, ea, bytes);
    const value = b.load('i64', ea, bytes);
    b.set(RESV_ADDR, ea);
    b.set(RESV_SIZE, b.i32(bytes));
    b.set(RESV_VAL, value);
    ctx.setR(f.rt, value);
    return true;
  };

/** Sets CR0 from a stcx. outcome (i32 0/1) and clears the reservation. */
function conclude(ctx: PpcContext, stored: Temp): void {
  const b = ctx.b;
  ctx.setCr(0, b.or(b.shl(stored, b.i32(Math.log2(CR_EQ))), ctx.so()));
  b.set(RESV_ADDR, b.i64(-1));
}

/** Whether the reservation covers this address and size (i32). */
function reserved(ctx: PpcContext, ea: Temp, bytes: number): Temp {
  const b = ctx.b;
  return b.and(
    b.compare('eq', ea, b.get(RESV_ADDR, 'i64')),
    b.compare('eq', b.get(RESV_SIZE, 'i32'), b.i32(bytes)),
  );
}

const stcx =
  (bytes: AtomicSize): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const ea = ctx.eaX(f.ra, f.rb);
    requireAlignment(ctx, ea, bytes);
    ctx.guarded(
      reserved(ctx, ea, bytes),
      () => {
        const expected = b.get(RESV_VAL, 'i64');
        conclude(ctx, b.compare('eq', b.cmpxchg(ea, expected, ctx.r(f.rs), bytes), expected));
      },
      () => conclude(ctx, b.i32(0)),
    );
    return true;
  };

/** lqarx: RTp odd, or equal to RA or RB, is an invalid form (an illegal instruction, as in QEMU). */
const lqarx: PpcHandler = (ctx, f) => {
  if (f.rt & 1 || f.rt === f.ra || f.rt === f.rb) return false;
  const b = ctx.b;
  const ea = ctx.eaX(f.ra, f.rb);
  requireAlignment(ctx, ea, 16);
  QUAD.load(ctx, f.rt, ea);
  b.set(RESV_ADDR, ea);
  b.set(RESV_SIZE, b.i32(16));
  b.set(RESV_VAL, ctx.r(f.rt));
  b.set(RESV_VAL2, ctx.r(f.rt + 1));
  return true;
};

/** stqcx.: RSp odd is an invalid form. */
const stqcx: PpcHandler = (ctx, f) => {
  if (f.rs & 1) return false;
  const b = ctx.b;
  const ea = ctx.eaX(f.ra, f.rb);
  requireAlignment(ctx, ea, 16);
  ctx.guarded(
    reserved(ctx, ea, 16),
    () => {
      const now = b.load('v128', ea, 16);
      const same = b.and(
        b.compare('eq', dword(ctx, now, 0), b.get(RESV_VAL, 'i64')),
        b.compare('eq', dword(ctx, now, 1), b.get(RESV_VAL2, 'i64')),
      );
      ctx.guarded(same, () => QUAD.store(ctx, f.rs, ea));
      conclude(ctx, same);
    },
    () => conclude(ctx, b.i32(0)),
  );
  return true;
};

export const ATOMIC_ROWS = [
  [x31('rt:5 ra:5 rb:5', 52, '.'), 'lbarx', larx(1)],
  [x31('rt:5 ra:5 rb:5', 116, '.'), 'lharx', larx(2)],
  [x31('rt:5 ra:5 rb:5', 20, '.'), 'lwarx', larx(4)],
  [x31('rt:5 ra:5 rb:5', 84, '.'), 'ldarx', larx(8)],
  [x31('rt:5 ra:5 rb:5', 276, '.'), 'lqarx', lqarx],
  [x31('rs:5 ra:5 rb:5', 694, '1'), 'stbcx.', stcx(1)],
  [x31('rs:5 ra:5 rb:5', 726, '1'), 'sthcx.', stcx(2)],
  [x31('rs:5 ra:5 rb:5', 150, '1'), 'stwcx.', stcx(4)],
  [x31('rs:5 ra:5 rb:5', 214, '1'), 'stdcx.', stcx(8)],
  [x31('rs:5 ra:5 rb:5', 182, '1'), 'stqcx.', stqcx],
] as const;
