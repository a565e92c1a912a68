/**
 * Per-instruction translation context for PowerPC64: register access with the (RA|0) convention,
 * condition register fields and bits, XER bits, the CR0 update of record forms, and block endings,
 * so instruction emitters stay short.
 */
import type { Temp } from '../ir/block';
import type { IRBuilder } from '../ir/builder';
import { BlockContext } from '../fixed-width';
import { TrapKind } from '../ir/ops';
import { dwordLane } from './lanes';
import { CTR, LR, XER_SO, crField, gpr, vsr } from './state';

/** The EQ bit's value in a CR field (LT = 8, GT = 4, EQ = 2, SO = 1: bit 0, LT, is the most significant). */
export const CR_EQ = 2;

/** An integer comparison whose LT/GT/EQ bits a CR field holds: the branch can test it directly. */
interface KnownComparison {
  a: Temp;
  c: Temp;
  signed: boolean;
}

/** Comparison ops for CR bits LT, GT, EQ: [bit set, bit clear], signed then unsigned. */
const BIT_TESTS = {
  signed: [['lt_s', 'ge_s'], ['gt_s', 'le_s'], ['eq', 'ne']],
  unsigned: [['lt_u', 'ge_u'], ['gt_u', 'le_u'], ['eq', 'ne']],
} as const;

export class PpcContext extends BlockContext {
  constructor(
    b: IRBuilder,
    flags: number,
    /** The CPU model's Processor Version Register, which Linux's mfpvr emulation gives user code. */
    readonly pvr: number,
  ) {
    super(b, flags);
  }

  /**
   * CR fields set by an integer comparison earlier in this block, so that a conditional branch or
   * CR logical op tests the comparison itself instead of unpacking the field: V8 does not fold
   * the field's shifts and ors back into one compare, and compare + branch is the hottest pair in
   * loops. Any other write of a field forgets it; so does leaving a guarded region.
   */
  private readonly comparisons = new Map<number, KnownComparison>();

  // General registers.
  r(n: number): Temp {
    return this.b.get(gpr(n), 'i64');
  }
  /** (RA|0): register n, or 0 when n is 0 (address bases and addi). */
  r0z(n: number): Temp {
    return n === 0 ? this.b.i64(0) : this.r(n);
  }
  /** Low 32 bits of register n. */
  w(n: number): Temp {
    return this.b.wrap(this.r(n));
  }
  /** Writes register n; an i32 value is zero-extended. */
  setR(n: number, v: Temp): void {
    this.b.set(gpr(n), v.type === 'i32' ? this.b.zext(v) : v);
  }
  /** Effective address (RA|0) + disp. */
  ea(ra: number, disp: number): Temp {
    const base = this.r0z(ra);
    return disp === 0 ? base : this.b.add(base, this.b.i64(disp));
  }
  /** Effective address (RA|0) + (RB). */
  eaX(ra: number, rb: number): Temp {
    return ra === 0 ? this.r(rb) : this.b.add(this.r(ra), this.r(rb));
  }

  lr(): Temp {
    return this.b.get(LR, 'i64');
  }
  ctr(): Temp {
    return this.b.get(CTR, 'i64');
  }

  // Floating-point and vector registers.
  /** FPR n (doubleword 0 of VSR n) as f64. */
  f(n: number): Temp {
    return this.b.vop('f64x2.extract_lane', [this.vs(n)], dwordLane(0));
  }
  /** Writes FPR n (f64, or its bits as i64); doubleword 1 of VSR n is left as it was. */
  setF(n: number, v: Temp): void {
    const shape = v.type === 'i64' ? 'i64x2' : 'f64x2';
    this.setVs(n, this.b.vop(`${shape}.replace_lane`, [this.vs(n), v], dwordLane(0)));
  }
  /** FPR n's bits as i64. */
  fBits(n: number): Temp {
    return this.b.vop('i64x2.extract_lane', [this.vs(n)], dwordLane(0));
  }
  /** VSR n (0..63) as v128. */
  vs(n: number): Temp {
    return this.b.get(vsr(n), 'v128');
  }
  setVs(n: number, v: Temp): void {
    this.b.set(vsr(n), v);
  }
  /** VR n (VSR 32+n). */
  v(n: number): Temp {
    return this.vs(32 + n);
  }
  setV(n: number, v: Temp): void {
    this.setVs(32 + n, v);
  }

  // Condition register.
  cr(field: number): Temp {
    return this.b.get(crField(field), 'i32');
  }
  setCr(field: number, value: Temp): void {
    this.b.set(crField(field), value);
    this.comparisons.delete(field);
  }
  /** CR bit `bi` (0..31, bit 0 = CR0.LT) as i32 0/1. */
  crBit(bi: number): Temp {
    return this.crTest(bi, true);
  }
  /** i32 0/1: whether CR bit `bi` is `set` (a branch's condition). */
  crTest(bi: number, set: boolean): Temp {
    const b = this.b;
    const known = this.comparisons.get(bi >> 2);
    if (known && (bi & 3) < 3) {
      const op = BIT_TESTS[known.signed ? 'signed' : 'unsigned'][bi & 3]![set ? 0 : 1];
      return b.compare(op, known.a, known.c);
    }
    // One masked test of the field (x86: test reg, imm), which a branch on it folds into.
    const masked = b.and(this.cr(bi >> 2), b.i32(1 << (3 - (bi & 3))));
    return b.compare(set ? 'ne' : 'eq', masked, b.i32(0));
  }
  /** Sets CR bit `bi` to `value` (i32 0/1). */
  setCrBit(bi: number, value: Temp): void {
    const b = this.b;
    const shift = 3 - (bi & 3);
    const kept = b.and(this.cr(bi >> 2), b.i32(~(1 << shift) & 15));
    this.setCr(bi >> 2, b.or(kept, b.shl(value, b.i32(shift))));
  }
  /** XER.SO as i32 0/1. */
  so(): Temp {
    return this.b.get(XER_SO, 'i32');
  }
  /**
   * CR field `bf` from comparing a with c (same integer type), signed or unsigned. The field is
   * 2 + 2 * ne + 4 * lt, which is EQ (2), GT (4) or LT (8) since lt implies ne: two compares and
   * two address-style adds (x86 lea), where assembling the three bits took nine operations. With
   * guest registers in locals across a region, this is computed at every compare whose field is
   * live at some exit, so it is on the hot path of most loops.
   */
  compareInto(bf: number, a: Temp, c: Temp, signed: boolean): void {
    const b = this.b;
    const ne = b.compare('ne', a, c);
    const lt = b.compare(signed ? 'lt_s' : 'lt_u', a, c);
    const field = b.add(b.add(b.shl(ne, b.i32(1)), b.i32(2)), b.shl(lt, b.i32(2)));
    this.setCr(bf, b.or(field, this.so()));
    this.comparisons.set(bf, { a, c, signed });
  }
  /** The record-form (Rc = 1) update: CR0 from the signed comparison of the 64-bit result with 0. */
  record(result: Temp): void {
    const r = result.type === 'i64' ? result : this.b.zext(result);
    this.compareInto(0, r, this.b.i64(0), true);
  }
  /** Writes RT and, when rc, CR0. */
  setRc(rt: number, value: Temp, rc: number): void {
    const v = value.type === 'i32' ? this.b.zext(value) : value;
    this.setR(rt, v);
    if (rc) this.record(v);
  }

  /** Runs `then` when cond (i32) is nonzero, else `otherwise`. */
  guarded(cond: Temp, then: () => void, otherwise?: () => void): void {
    const b = this.b;
    const skip = b.label();
    const end = b.label();
    b.brcond(b.compare('eq', cond, b.i32(0)), skip);
    then();
    b.br(end);
    b.place(skip);
    otherwise?.();
    b.place(end);
    // A comparison recorded on one path is not known after the join.
    this.comparisons.clear();
  }

  // Block endings.
  /** Indirect branch to the address in `target` (i64), taken when `taken` (i32) if given. */
  jumpTo(target: Temp, taken?: Temp): void {
    const b = this.b;
    if (taken) {
      const next = this.pc + 4;
      this.successors.push(next);
      const toTarget = b.label();
      b.brcond(taken, toTarget);
      b.exit(b.i64(next));
      b.place(toTarget);
    }
    b.exit(b.and(target, b.i64(~3)));
    this.ended = true;
  }
  /** Ends the block after this instruction so the engine re-reads translation flags. */
  yieldAfter(): void {
    this.b.exit(this.b.i64(this.pc + 4), TrapKind.Yield);
    this.ended = true;
  }
}

/** An instruction emitter: returns false to decline, letting the next matching table entry try. */
export type PpcHandler = (ctx: PpcContext, f: Record<string, number>) => boolean;
