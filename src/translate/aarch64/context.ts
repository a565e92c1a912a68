/**
 * Per-instruction translation context for A64: register access with the XZR/SP conventions, flag
 * updates, condition evaluation and block endings, so instruction emitters stay short.
 */
import type { Temp } from '../ir/block';
import { BlockContext } from '../fixed-width';
import type { IRBuilder } from '../ir/builder';
import { SUBTRACTION_COMPARES } from './conditions';
import { CPU_ID_REGISTERS } from './insns/cpu-id';
import { CF, NF, SP, VF, ZF, vreg, xreg } from './state';

/**
 * What NZCV hold on every path to here, when they are the flags of a subtraction a - c (SUBS, CMP)
 * or of a logical result a (ANDS, TST: c is zero, C and V are 0).
 */
interface FlagSource {
  a: Temp;
  c: Temp;
  logical: boolean;
}

/** Conditions (by cond >> 1) that a logical result's C = V = 0 decide: whether the even one holds. */
const LOGICAL_CONSTANTS: Partial<Record<number, boolean>> = { 1: false, 3: false, 4: false };

export class A64Context extends BlockContext {
  constructor(
    b: IRBuilder,
    flags: number,
    /** The ID registers EL0 reads (insns/cpu-id.ts): the CPU model's. */
    readonly idRegisters: ReadonlyMap<number, bigint> = CPU_ID_REGISTERS,
    /**
     * A CPU with EL1 (system mode): the system register accesses at EL0 that user mode answers
     * itself, as Linux would (ID registers, CTR_EL0, DAIF), are the system CPU's to judge instead,
     * under SCTLR_EL1's EL0 controls (insns/system-el1.ts).
     */
    readonly system = false,
  ) {
    super(b, flags);
  }

  // General registers. Register 31 is XZR for most operands and SP for address/ADD-immediate ones.
  /** Xn as i64, with 31 reading as zero. */
  x(n: number): Temp {
    return n === 31 ? this.b.i64(0) : this.b.get(xreg(n), 'i64');
  }
  /** Xn as i64, with 31 reading as SP. */
  xsp(n: number): Temp {
    return this.b.get(n === 31 ? SP : xreg(n), 'i64');
  }
  /** Wn as i32, with 31 reading as zero. */
  w(n: number): Temp {
    return n === 31 ? this.b.i32(0) : this.b.wrap(this.b.get(xreg(n), 'i64'));
  }
  /** Xn (sf=1, i64) or Wn (sf=0, i32). */
  reg(sf: number, n: number): Temp {
    return sf ? this.x(n) : this.w(n);
  }
  /** Like reg(), with 31 as SP (WSP for sf=0). */
  regsp(sf: number, n: number): Temp {
    const v = this.xsp(n);
    return sf ? v : this.b.wrap(v);
  }
  /** Writes Xn (i64) or Wn (i32, zero-extended into Xn); writes to 31 are discarded. */
  setReg(n: number, v: Temp): void {
    if (n === 31) return;
    this.b.set(xreg(n), v.type === 'i32' ? this.b.zext(v) : v);
  }
  /** Like setReg(), with 31 as SP. */
  setRegSP(n: number, v: Temp): void {
    this.b.set(n === 31 ? SP : xreg(n), v.type === 'i32' ? this.b.zext(v) : v);
  }

  /** Vn as v128. */
  v(n: number): Temp {
    return this.b.get(vreg(n), 'v128');
  }
  setV(n: number, value: Temp): void {
    this.b.set(vreg(n), value);
  }

  /**
   * The operation NZCV hold the flags of on every path to here, if known: a condition on them is
   * then one compare of its operands instead of a combination of the flag slots (V8 keeps each
   * slot's compare and the and/xor between them). Any other write of the flags forgets it.
   */
  private flagSource: FlagSource | undefined;

  // Flags, each an i32 0/1 slot.
  setNZCV(n: Temp, z: Temp, c: Temp, v: Temp): void {
    this.flagSource = undefined;
    this.b.set(NF, n);
    this.b.set(ZF, z);
    this.b.set(CF, c);
    this.b.set(VF, v);
  }
  /** N and Z from a result, C and V cleared (logical ops with S). */
  setNZ00(result: Temp): void {
    const b = this.b;
    const zero = b.imm(result, 0);
    this.setNZCV(b.compare('lt_s', result, zero), b.compare('eq', result, zero), b.i32(0), b.i32(0));
    this.flagSource = { a: result, c: zero, logical: true };
  }
  /** Flags of a + b + carry (carry an i32 0/1, or undefined for 0); returns the sum. */
  addWithFlags(a: Temp, c: Temp, carry?: Temp): Temp {
    const b = this.b;
    const cin = carry ? (a.type === 'i64' ? b.zext(carry) : carry) : undefined;
    const partial = b.add(a, c);
    const sum = cin ? b.add(partial, cin) : partial;
    const zero = b.imm(a, 0);
    // Carry out: unsigned overflow of either addition.
    const c1 = b.compare('lt_u', partial, a);
    const cout = cin ? b.or(c1, b.compare('lt_u', sum, partial)) : c1;
    // Overflow: operands of equal sign, result of the other sign.
    const ov = b.compare('lt_s', b.and(b.xor(a, sum), b.xor(c, sum)), zero);
    this.setNZCV(b.compare('lt_s', sum, zero), b.compare('eq', sum, zero), cout, ov);
    return sum;
  }
  /** Flags of a - c (as a + ~c + 1), returns the difference. */
  subWithFlags(a: Temp, c: Temp): Temp {
    const b = this.b;
    const diff = b.sub(a, c);
    const zero = b.imm(a, 0);
    const carry = b.compare('ge_u', a, c);
    const ov = b.compare('lt_s', b.and(b.xor(a, c), b.xor(a, diff)), zero);
    this.setNZCV(b.compare('lt_s', diff, zero), b.compare('eq', diff, zero), carry, ov);
    this.flagSource = { a, c, logical: false };
    return diff;
  }

  /** The A64 condition `cond` (0..15) evaluated on NZCV, as i32 0/1. */
  cond(cond: number): Temp {
    const fused = this.flagSource && this.fusedCond(cond, this.flagSource);
    if (fused) return fused;
    const b = this.b;
    const base = cond >> 1;
    let r: Temp;
    switch (base) {
      case 0: // EQ
        r = b.get(ZF, 'i32');
        break;
      case 1: // CS
        r = b.get(CF, 'i32');
        break;
      case 2: // MI
        r = b.get(NF, 'i32');
        break;
      case 3: // VS
        r = b.get(VF, 'i32');
        break;
      case 4: // HI: C && !Z
        r = b.and(b.get(CF, 'i32'), b.xor(b.get(ZF, 'i32'), b.i32(1)));
        break;
      case 5: // GE: N == V
        r = b.compare('eq', b.get(NF, 'i32'), b.get(VF, 'i32'));
        break;
      case 6: // GT: !Z && N == V
        r = b.and(b.xor(b.get(ZF, 'i32'), b.i32(1)), b.compare('eq', b.get(NF, 'i32'), b.get(VF, 'i32')));
        break;
      default: // AL
        return b.i32(1);
    }
    return cond & 1 ? b.xor(r, b.i32(1)) : r;
  }

  /**
   * Condition `cond` on the flags of `source`: one compare (HI is a >u c, GE a >=s c...), or a
   * constant where a logical result's C = V = 0 decide it; undefined where the slots must be read.
   */
  private fusedCond(cond: number, { a, c, logical }: FlagSource): Temp | undefined {
    const b = this.b;
    const base = cond >> 1;
    if (logical) {
      const holds = LOGICAL_CONSTANTS[base];
      if (holds !== undefined) return b.i32(holds === ((cond & 1) === 0) ? 1 : 0);
      if (base === 2) return b.compare(cond & 1 ? 'ge_s' : 'lt_s', a, c);
    }
    const pair = SUBTRACTION_COMPARES[base];
    return pair ? b.compare(pair[cond & 1]!, a, c) : undefined;
  }

  // Block endings.
  /** Indirect branch to the address in `target` (i64). */
  jumpTo(target: Temp): void {
    this.b.exit(target);
    this.ended = true;
  }
}

/** An instruction emitter: returns false to decline, letting the next matching table entry try. */
export type A64Handler = (ctx: A64Context, f: Record<string, number>) => boolean;
