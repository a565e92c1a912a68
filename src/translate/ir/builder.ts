/**
 * IRBuilder: the only way frontends create IR. Every method checks operand types against the op
 * table, so a frontend bug shows up at translation time with the op's name, not as a wasm
 * validation error later.
 */
import { STATE_FAULT_ADDR, STATE_TRAP_ARG } from '../frontend';
import { Temp, type IRBlock, type Imm, type Insn } from './block';
import { helperById } from './helpers';
import { OPS, TrapKind, type MemAccess, type Op, type ValType } from './ops';
import { simdOp } from './simd';

type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'mulh_s'
  | 'mulh_u'
  | 'div_s'
  | 'div_u'
  | 'rem_s'
  | 'rem_u'
  | 'and'
  | 'or'
  | 'xor'
  | 'shl'
  | 'shr_u'
  | 'shr_s'
  | 'rotl'
  | 'rotr'
  | 'fadd'
  | 'fsub'
  | 'fmul'
  | 'fdiv'
  | 'fmin'
  | 'fmax'
  | 'fcopysign';
type UnaryOp =
  | 'not'
  | 'neg'
  | 'clz'
  | 'ctz'
  | 'popcnt'
  | 'bswap'
  | 'rbit'
  | 'sext8'
  | 'sext16'
  | 'sext32'
  | 'fsqrt'
  | 'fabs'
  | 'fneg'
  | 'fceil'
  | 'ffloor'
  | 'ftruncf'
  | 'fnearest';
export type CompareOp =
  | 'eq'
  | 'ne'
  | 'lt_s'
  | 'lt_u'
  | 'le_s'
  | 'le_u'
  | 'gt_s'
  | 'gt_u'
  | 'ge_s'
  | 'ge_u'
  | 'flt'
  | 'fle'
  | 'fgt'
  | 'fge';
type ConvertOp =
  | 'zext'
  | 'sext'
  | 'wrap'
  | 'reinterpret'
  | 'fpromote'
  | 'fdemote'
  | 'ftrunc_s'
  | 'ftrunc_u'
  | 'fconv_s'
  | 'fconv_u';

export class Label {
  constructor(readonly id: number) {}
}

export class IRBuilder {
  readonly insns: Insn[] = [];
  readonly temps: Temp[] = [];
  private labelCount = 0;
  private placed = new Set<number>();

  temp(type: ValType): Temp {
    const t = new Temp(this.temps.length, type);
    this.temps.push(t);
    return t;
  }

  private check(op: Op, type: ValType, args: Temp[], argTypes: ValType[]): void {
    const info = OPS[op];
    if (info.types.length > 0 && !info.types.includes(type)) {
      throw new Error(`IR ${op}: type ${type} not allowed`);
    }
    args.forEach((a, i) => {
      if (a.type !== argTypes[i]) throw new Error(`IR ${op}: argument ${i} is ${a.type}, wants ${argTypes[i]}`);
    });
  }

  private emit(insn: Insn): void {
    this.insns.push(insn);
  }

  // Constants.
  i32(value: number): Temp {
    return this.constant('i32', value | 0);
  }
  i64(value: number | bigint): Temp {
    return this.constant('i64', BigInt.asUintN(64, BigInt(value)));
  }
  f32(value: number): Temp {
    return this.constant('f32', Math.fround(value));
  }
  f64(value: number): Temp {
    return this.constant('f64', value);
  }
  v128(bytes: Uint8Array): Temp {
    if (bytes.length !== 16) throw new Error('v128 constant needs 16 bytes');
    return this.constant('v128', bytes.slice());
  }
  private constant(type: ValType, imm: Imm): Temp {
    const dst = this.temp(type);
    this.emit({ op: 'const', type, dst, args: [], imm });
    return dst;
  }

  // Arithmetic.
  binary(op: BinaryOp, a: Temp, b: Temp): Temp {
    this.check(op, a.type, [a, b], [a.type, a.type]);
    const dst = this.temp(a.type);
    this.emit({ op, type: a.type, dst, args: [a, b] });
    return dst;
  }
  unary(op: UnaryOp | 'mov', a: Temp): Temp {
    this.check(op, a.type, [a], [a.type]);
    const dst = this.temp(a.type);
    this.emit({ op, type: a.type, dst, args: [a] });
    return dst;
  }
  compare(op: CompareOp, a: Temp, b: Temp): Temp {
    this.check(op, a.type, [a, b], [a.type, a.type]);
    const dst = this.temp('i32');
    this.emit({ op, type: a.type, dst, args: [a, b] });
    return dst;
  }
  convert(op: ConvertOp, to: ValType, a: Temp): Temp {
    this.check(op, to, [], []);
    const dst = this.temp(to);
    this.emit({ op, type: to, from: a.type, dst, args: [a] });
    return dst;
  }
  select(cond: Temp, a: Temp, b: Temp): Temp {
    this.check('select', a.type, [cond, a, b], ['i32', a.type, a.type]);
    const dst = this.temp(a.type);
    this.emit({ op: 'select', type: a.type, dst, args: [cond, a, b] });
    return dst;
  }

  add(a: Temp, b: Temp): Temp {
    return this.binary('add', a, b);
  }
  sub(a: Temp, b: Temp): Temp {
    return this.binary('sub', a, b);
  }
  and(a: Temp, b: Temp): Temp {
    return this.binary('and', a, b);
  }
  or(a: Temp, b: Temp): Temp {
    return this.binary('or', a, b);
  }
  xor(a: Temp, b: Temp): Temp {
    return this.binary('xor', a, b);
  }
  shl(a: Temp, b: Temp): Temp {
    return this.binary('shl', a, b);
  }
  shrU(a: Temp, b: Temp): Temp {
    return this.binary('shr_u', a, b);
  }
  shrS(a: Temp, b: Temp): Temp {
    return this.binary('shr_s', a, b);
  }
  /** Constant of the same integer type as `like`. */
  imm(like: Temp, value: number | bigint): Temp {
    return like.type === 'i64' ? this.i64(value) : this.i32(Number(value));
  }
  zext(a: Temp): Temp {
    return this.convert('zext', 'i64', a);
  }
  sext(a: Temp): Temp {
    return this.convert('sext', 'i64', a);
  }
  wrap(a: Temp): Temp {
    return this.convert('wrap', 'i32', a);
  }

  /** A lane operation from simd.ts. `lane` is the lane index or the 16 shuffle selectors. */
  vop(name: string, args: Temp[], lane?: number | Uint8Array): Temp {
    const def = simdOp(name);
    if (args.length !== def.args.length) throw new Error(`IR vop ${name}: wants ${def.args.length} arguments`);
    this.check('vop', def.result, args, def.args as ValType[]);
    if ((def.imm !== undefined) !== (lane !== undefined)) throw new Error(`IR vop ${name}: lane immediate mismatch`);
    const dst = this.temp(def.result);
    const insn: Insn = { op: 'vop', type: def.result, dst, args, simd: name };
    if (lane !== undefined) insn.lane = lane;
    this.emit(insn);
    return dst;
  }

  // Guest state.
  get(offset: number, type: ValType): Temp {
    const dst = this.temp(type);
    this.emit({ op: 'get', type, dst, args: [], imm: offset });
    return dst;
  }
  set(offset: number, value: Temp): void {
    this.emit({ op: 'set', type: value.type, args: [value], imm: offset });
  }

  // Memory. Addresses are i64 guest virtual addresses.
  load(type: ValType, addr: Temp, size: MemAccess['size'], signed = false): Temp {
    this.check('load', type, [addr], ['i64']);
    const dst = this.temp(type);
    this.emit({ op: 'load', type, dst, args: [addr], mem: { size, signed } });
    return dst;
  }
  store(addr: Temp, value: Temp, size: MemAccess['size']): void {
    this.check('store', value.type, [addr], ['i64']);
    this.emit({ op: 'store', type: value.type, args: [addr, value], mem: { size, signed: false } });
  }
  cmpxchg(addr: Temp, expected: Temp, replacement: Temp, size: MemAccess['size']): Temp {
    const t = expected.type;
    this.check('cmpxchg', t, [addr, expected, replacement], ['i64', t, t]);
    const dst = this.temp(t);
    this.emit({ op: 'cmpxchg', type: t, dst, args: [addr, expected, replacement], mem: { size, signed: false } });
    return dst;
  }
  rmw(kind: NonNullable<Insn['rmw']>, addr: Temp, value: Temp, size: MemAccess['size']): Temp {
    this.check('rmw', value.type, [addr, value], ['i64', value.type]);
    const dst = this.temp(value.type);
    this.emit({ op: 'rmw', type: value.type, dst, args: [addr, value], mem: { size, signed: false }, rmw: kind });
    return dst;
  }

  // Control flow: forward branches only.
  label(): Label {
    return new Label(this.labelCount++);
  }
  place(label: Label): void {
    this.placed.add(label.id);
    this.emit({ op: 'label', type: 'i32', args: [], imm: label.id });
  }
  br(label: Label): void {
    this.forwardOnly(label);
    this.emit({ op: 'br', type: 'i32', args: [], imm: label.id });
  }
  brcond(cond: Temp, label: Label): void {
    this.forwardOnly(label);
    this.check('brcond', 'i32', [cond], ['i32']);
    this.emit({ op: 'brcond', type: 'i32', args: [cond], imm: label.id });
  }
  private forwardOnly(label: Label): void {
    if (this.placed.has(label.id)) throw new Error('IR branches must be forward');
  }
  /**
   * Ends execution of the block, continuing at guest address `pc` (i64). With `status`
   * TrapKind.Yield the engine regains control first (after an FPCR write, ...).
   */
  exit(pc: Temp, status: TrapKind.None | TrapKind.Yield | TrapKind.FlushCode = TrapKind.None): void {
    this.check('exit', 'i32', [pc], ['i64']);
    this.emit({ op: 'exit', type: 'i32', args: [pc], imm: status });
  }
  /**
   * Ends the block at guest address `pc` (i64) after the engine has discarded the translations of
   * the `lineBytes`-byte aligned line holding `addr` (i64): an instruction-cache invalidation by
   * address (IC IVAU, icbi).
   */
  exitFlushingCode(pc: Temp, addr: Temp, lineBytes: number): void {
    this.set(STATE_FAULT_ADDR, addr);
    this.set(STATE_TRAP_ARG, this.i64(lineBytes));
    this.exit(pc, TrapKind.FlushCode);
  }
  trap(kind: TrapKind, arg?: Temp): void {
    this.emit({ op: 'trap', type: 'i32', args: arg ? [arg] : [], imm: kind });
  }

  call(helper: number, args: Temp[]): Temp | undefined {
    const def = helperById(helper);
    this.check('call', 'i32', args, def.params as ValType[]);
    const dst = def.result ? this.temp(def.result) : undefined;
    const insn: Insn = { op: 'call', type: def.result ?? 'i32', args, imm: helper };
    if (dst) insn.dst = dst;
    this.emit(insn);
    return dst;
  }

  /** Marks the start of the guest instruction at `pc`. */
  insnStart(pc: number): void {
    this.emit({ op: 'insn', type: 'i32', args: [], imm: pc });
  }

  finish(pc: number, end: number, insnCount: number, successors: number[], readsFlags: boolean): IRBlock {
    const { insns, temps, labelCount: labels } = this;
    return { pc, end, insnCount, insns, temps, labels, successors, readsFlags };
  }
}
