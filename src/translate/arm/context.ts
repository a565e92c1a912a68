/**
 * Per-instruction translation context for A32 and T32: register access with the R15 conventions
 * (reads give the instruction address + 8 in ARM state, + 4 in Thumb state), the ways a write to
 * the pc changes the instruction set, NZCV updates, condition evaluation and block endings.
 */
import type { Temp } from '../ir/block';
import type { IRBuilder } from '../ir/builder';
import { SUBTRACTION_COMPARES } from '../aarch64/conditions';
import { TrapKind } from '../ir/ops';
import { FlagsReadingContext } from '../flags-read';
import { SideExits } from '../side-exit';
import { CF, NF, VF, ZF, reg } from './state';

/** How a value written to the pc is interpreted (ARM ARM: BranchWritePC, BXWritePC). */
export type PcWrite = 'branch' | 'interwork';

export class ArmContext extends FlagsReadingContext {
  /** Address of the instruction being translated (without the Thumb bit). */
  pc = 0;
  /** Its encoding (a 32-bit Thumb instruction has its first halfword in the top half). */
  insn = 0;
  /** Its length in bytes: 4, or 2 for a 16-bit Thumb instruction. */
  size = 4;
  /** Set by emitters that end the block (branches, traps). */
  ended = false;
  /** The instruction is inside an IT block: 16-bit data processing does not set flags there. */
  inIT = false;
  /** ITSTATE after this instruction, set by IT itself (0 outside IT blocks). */
  itState = 0;
  /** Direct branch targets seen in this block (pc values, Thumb bit included). */
  readonly successors: number[] = [];
  /** The conditional branches this block goes on past (side-exit.ts). */
  private readonly sideExits = new SideExits();
  /**
   * The subtraction NZCV hold the flags of on every path to here (CMP, SUBS...), if they do:
   * conditions on it are then one compare of its operands instead of a walk over the flag slots.
   */
  private subtracted: { a: Temp; c: Temp; diff: Temp } | undefined;

  constructor(
    readonly b: IRBuilder,
    /** Translating Thumb (T32) rather than ARM (A32) code. */
    readonly thumb: boolean,
    /** The translation flags the block is translated under (FPSCR mode, see flags in vfp-exact.ts). */
    flags: number,
  ) {
    super(flags);
  }

  /** What a read of R15 gives: the instruction address + 8 (ARM) or + 4 (Thumb). */
  get pcRead(): number {
    return (this.pc + (this.thumb ? 4 : 8)) >>> 0;
  }
  /** The pc value (instruction set bit included) of the next instruction. */
  get nextPc(): number {
    return ((this.pc + this.size) | (this.thumb ? 1 : 0)) >>> 0;
  }

  /** Rn as i32; R15 reads as pcRead. */
  r(n: number): Temp {
    return n === 15 ? this.b.i32(this.pcRead) : this.b.get(reg(n), 'i32');
  }
  /** Writes Rn; a write to R15 is a branch of the given kind and ends the block. */
  setR(n: number, v: Temp, kind: PcWrite = 'branch'): void {
    if (n === 15) this.jumpTo(v, kind);
    else this.b.set(reg(n), v);
  }
  /** A write of an ALU result: R15 interworks in ARM state, not in Thumb state (ALUWritePC). */
  setRAlu(n: number, v: Temp): void {
    this.setR(n, v, this.thumb ? 'branch' : 'interwork');
  }
  /** A 32-bit guest address as the i64 the memory ops take. */
  addr(a: Temp): Temp {
    return this.b.zext(a);
  }

  // NZCV, in the slot forms of state.ts: N the sign of NF, Z when ZF is 0, C as 0/1, V the sign of VF.
  /** C as i32 0/1. */
  carry(): Temp {
    return this.b.get(CF, 'i32');
  }
  /** N and Z of a 32-bit result: the result itself is both slots' value. */
  setNZ(result: Temp): void {
    this.subtracted = undefined;
    this.b.set(NF, result);
    this.b.set(ZF, result);
  }
  /** N and Z of a 64-bit result. */
  setNZ64(result: Temp): void {
    const b = this.b;
    this.subtracted = undefined;
    b.set(NF, b.wrap(b.shrU(result, b.i64(32))));
    b.set(ZF, b.compare('ne', result, b.i64(0)));
  }
  setC(c: Temp): void {
    this.subtracted = undefined;
    this.b.set(CF, c);
  }
  /** V from the sign bit of `v` (the other bits are free). */
  setV(v: Temp): void {
    this.subtracted = undefined;
    this.b.set(VF, v);
  }
  /** NZCV from bits 31..28 of `value` (MSR, VMRS APSR_nzcv). */
  setNzcvBits(value: Temp): void {
    const b = this.b;
    const zBit = b.i32(1 << 30);
    this.subtracted = undefined;
    b.set(NF, value);
    b.set(ZF, b.xor(b.and(value, zBit), zBit));
    b.set(CF, b.and(b.shrU(value, b.i32(29)), b.i32(1)));
    b.set(VF, b.shl(value, b.i32(3)));
  }
  /** NZCV as bits 31..28 of an i32, the other bits 0 (MRS). */
  nzcvBits(): Temp {
    const b = this.b;
    const n = b.and(b.get(NF, 'i32'), b.i32(1 << 31));
    const z = b.shl(b.compare('eq', b.get(ZF, 'i32'), b.i32(0)), b.i32(30));
    const c = b.shl(this.carry(), b.i32(29));
    const v = b.and(b.shrU(b.get(VF, 'i32'), b.i32(3)), b.i32(1 << 28));
    return b.or(b.or(n, z), b.or(c, v));
  }
  /** a + c + carry (carry an i32 0/1, or undefined for 0), optionally setting NZCV. */
  addCarry(a: Temp, c: Temp, carry: Temp | undefined, setFlags: boolean): Temp {
    const b = this.b;
    const partial = b.add(a, c);
    const sum = carry ? b.add(partial, carry) : partial;
    if (setFlags) {
      const c1 = b.compare('lt_u', partial, a);
      const cout = carry ? b.or(c1, b.compare('lt_u', sum, partial)) : c1;
      this.setNZ(sum);
      this.setC(cout);
      // Overflow: operands of equal sign, result of the other sign.
      this.setV(b.and(b.xor(a, sum), b.xor(c, sum)));
    }
    return sum;
  }
  /** a - c - !carry, i.e. a + ~c + carry (carry undefined for 1), optionally setting NZCV. */
  subCarry(a: Temp, c: Temp, carry: Temp | undefined, setFlags: boolean): Temp {
    const b = this.b;
    if (carry) return this.addCarry(a, b.unary('not', c), carry, setFlags);
    const diff = b.sub(a, c);
    if (setFlags) {
      this.setNZ(diff);
      this.setC(b.compare('ge_u', a, c));
      this.setV(b.and(b.xor(a, c), b.xor(a, diff)));
      this.subtracted = { a, c, diff };
    }
    return diff;
  }

  /** The flag state to hand to `joinSkipped` after an instruction that may be skipped. */
  get flagSource(): object | undefined {
    return this.subtracted;
  }
  /**
   * After an instruction that may have been skipped: if it wrote NZCV, the two paths meeting here
   * hold different flags, so conditions go back to reading the flag slots.
   */
  joinSkipped(before: object | undefined): void {
    if (this.subtracted !== before) this.subtracted = undefined;
  }

  /**
   * Condition `cond` (0..15) evaluated on NZCV, as i32 0/1. Each odd condition is the negation of
   * the even one before it, built as its own compares (a frontend skipping a conditional
   * instruction asks for `cond ^ 1`, which costs no extra negation).
   */
  cond(cond: number): Temp {
    const fused = this.subtracted && this.fusedCond(cond, this.subtracted);
    if (fused) return fused;
    const b = this.b;
    const holds = (cond & 1) === 0;
    const zero = b.i32(0);
    const z = (): Temp => b.compare(holds ? 'eq' : 'ne', b.get(ZF, 'i32'), zero);
    const notZ = (): Temp => b.compare(holds ? 'ne' : 'eq', b.get(ZF, 'i32'), zero);
    const sign = (t: Temp): Temp => b.compare(holds ? 'lt_s' : 'ge_s', t, zero);
    const nEqualsV = (): Temp =>
      b.compare(holds ? 'ge_s' : 'lt_s', b.xor(b.get(NF, 'i32'), b.get(VF, 'i32')), zero);
    const either = (x: Temp, y: Temp): Temp => (holds ? b.and(x, y) : b.or(x, y));
    switch (cond >> 1) {
      case 0: // EQ / NE
        return z();
      case 1: // CS / CC
        return b.compare(holds ? 'ne' : 'eq', this.carry(), zero);
      case 2: // MI / PL
        return sign(b.get(NF, 'i32'));
      case 3: // VS / VC
        return sign(b.get(VF, 'i32'));
      case 4: // HI: C && !Z / LS: !C || Z
        return either(b.compare(holds ? 'ne' : 'eq', this.carry(), zero), notZ());
      case 5: // GE: N == V / LT
        return nEqualsV();
      case 6: // GT: !Z && N == V / LE: Z || N != V
        return either(notZ(), nEqualsV());
      default: // AL
        return b.i32(1);
    }
  }

  /**
   * Condition `cond` after NZCV were set by a - c: one compare of a and c (HI is a >u c, GE is
   * a >=s c...), or of the difference's sign for MI/PL; undefined for VS/VC.
   */
  private fusedCond(cond: number, { a, c, diff }: { a: Temp; c: Temp; diff: Temp }): Temp | undefined {
    const b = this.b;
    const base = cond >> 1;
    if (base === 2) return b.compare(cond & 1 ? 'ge_s' : 'lt_s', diff, b.i32(0));
    const pair = SUBTRACTION_COMPARES[base];
    return pair ? b.compare(pair[cond & 1]!, a, c) : undefined;
  }

  // Block endings.
  /** Direct branch to the pc value `target` (Thumb bit included). */
  jump(target: number): void {
    this.successors.push(target >>> 0);
    this.b.exit(this.b.i64(target >>> 0));
    this.ended = true;
  }
  /**
   * Branch to the pc value `target` if `taken` (i32) else continue with the next instruction: in
   * this block when it goes on past the branch (side-exit.ts), else ending it with an exit for each way.
   */
  jumpIfTrue(taken: Temp, target: number): void {
    const b = this.b;
    if (this.sideExits.goOnPast(b, this.pc, taken, target >>> 0, this.successors)) return;
    const next = this.nextPc;
    this.successors.push(target >>> 0, next);
    // Two exits with constant pcs, so the code generator can chain both directly.
    const toTarget = b.label();
    b.brcond(taken, toTarget);
    b.exit(b.i64(next));
    b.place(toTarget);
    b.exit(b.i64(target >>> 0));
    this.ended = true;
  }
  /** Branch to the pc value `target` if condition `cond` holds. */
  jumpIfCond(cond: number, target: number): void {
    this.jumpIfTrue(this.cond(cond), target);
  }
  /** IT: the next instructions (up to four, per `mask`) are conditional; the frontend applies ITSTATE. */
  beginIT(firstCond: number, mask: number): true {
    this.itState = (firstCond << 4) | mask;
    return true;
  }
  /** Branch to the address in `target` (i32): interworking by bit 0, or staying in this instruction set. */
  jumpTo(target: Temp, kind: PcWrite): void {
    const b = this.b;
    let pcValue: Temp;
    if (kind === 'interwork') {
      // Bit 0 set: Thumb at target (the pc value is the address | 1); clear: ARM, word aligned.
      pcValue = b.select(b.and(target, b.i32(1)), target, b.and(target, b.i32(~3)));
    } else {
      pcValue = this.thumb ? b.or(target, b.i32(1)) : b.and(target, b.i32(~3));
    }
    b.exit(b.zext(pcValue));
    this.ended = true;
  }
  /** Ends the block at the next instruction so the engine re-reads the translation flags. */
  yieldAfter(): void {
    this.b.exit(this.b.i64(this.nextPc), TrapKind.Yield);
    this.ended = true;
  }
  trap(kind: TrapKind, arg?: Temp): void {
    this.b.trap(kind, arg);
    this.ended = true;
  }
  /** The encoding is unallocated or unsupported: SIGILL in the guest. */
  undefined(): true {
    this.trap(TrapKind.Undefined);
    return true;
  }
}

/** An instruction emitter: returns false to decline (before emitting anything), letting the next matching row try. */
export type ArmHandler = (ctx: ArmContext, f: Record<string, number>) => boolean;
