/**
 * The reference IR interpreter: executes one IR block exactly as the op table (ir/ops.ts) and the
 * vector op table (ir/simd.ts) define, with the same contract as the WebAssembly backend's
 * runBlockWasm, so the two can be compared instruction stream by instruction stream. It is also
 * the engine's cold tier, for code executed a few times. Guest memory is reached through a GuestPort
 * (window-access.ts): the window itself in user mode, the software MMU in system mode.
 *
 * It runs the compact form of a block (ir/compact.ts) directly: one loop over its records,
 * switching on what kind of operation each record's op is. Nothing is prepared per block: the value
 * functions are shared by every block, one per operation and type (valueFn), so a cold block costs
 * its compact form and nothing else, and interpreting a block the first time costs no more than
 * the next.
 *
 * Values: see int-ops.ts (i32, i64), float-values.ts (f32, f64) and simd-lanes.ts (v128). CPU state
 * is little-endian at stateBase + offset; only guest memory accesses use the guest's byte order.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { STATE_FAULT_ADDR, STATE_PC } from '../frontend';
import type { IRBlock, Insn } from '../ir/block';
import {
  IMM_INLINE,
  IMM_POOL,
  OPERATION_MASK,
  OP_LIST,
  OP_TYPE_MASK,
  RECORD_SIZE,
  R_A,
  R_AUX,
  R_B,
  R_C,
  R_DST,
  R_HEAD,
  R_IMM,
  SIMD_LIST,
  compactBlock,
  headFrom,
  headImm,
  headMem,
  headOp,
  headRmw,
  headSize,
  headType,
  type CompactBlock,
} from '../ir/compact';
import { helperById, type HelperValue } from '../ir/helpers';
import { OPS, TrapKind, type Endian, type Op, type ValType } from '../ir/ops';
import {
  FLOAT_BINARY,
  FLOAT_COMPARE,
  FLOAT_UNARY,
  convertInt,
  demote,
  promote,
  reinterpret,
  truncSat,
} from './float-ops';
import { arithmeticResult, readFloat, toNumber, writeFloat, type FloatType, type FloatValue } from './float-values';
import { GuestAccess, type CodeWriteHook } from './guest-access';
import type { GuestPort, GuestValue } from './window-access';
import { I32_BINARY, I32_COMPARE, I32_UNARY, I64_BINARY, I64_COMPARE, I64_UNARY, sext, wrap, zext } from './int-ops';
import { simdImpl, type SimdImpl } from './simd-lanes';

type Value = GuestValue;

const M64 = (1n << 64n) - 1n;
const u64 = (x: number | bigint): bigint => BigInt.asUintN(64, BigInt(x));

const isFloat = (t: ValType): t is FloatType => t === 'f32' || t === 'f64';

// --- What each op does, by kind --------------------------------------------------------------------

/** How the run loop treats an op: its shape, with the ops a shape handles apart given their own kind. */
const enum Kind {
  Const,
  Mov,
  Vop,
  Unary,
  Binary,
  Compare,
  Convert,
  Select,
  Get,
  Set,
  Load,
  Store,
  Atomic,
  Call,
  Marker,
  Label,
  Br,
  Brcond,
  Exit,
  Trap,
  /** An f32, f64 or v128 const, state access or memory access: run by outOfLine, as vops are. */
  NonInteger,
}

const SHAPE_KIND: Readonly<Record<string, Kind>> = {
  const: Kind.Const,
  unary: Kind.Unary,
  binary: Kind.Binary,
  compare: Kind.Compare,
  convert: Kind.Convert,
  select: Kind.Select,
  get: Kind.Get,
  set: Kind.Set,
  load: Kind.Load,
  store: Kind.Store,
  atomic: Kind.Atomic,
  call: Kind.Call,
  marker: Kind.Marker,
};
const OP_KIND: Readonly<Partial<Record<Op, Kind>>> = {
  mov: Kind.Mov,
  vop: Kind.Vop,
  label: Kind.Label,
  br: Kind.Br,
  brcond: Kind.Brcond,
  exit: Kind.Exit,
  trap: Kind.Trap,
};
/** Kind of each op, by its index in OP_LIST. */
const KIND = Uint8Array.from(OP_LIST, (op) => {
  const kind = OP_KIND[op] ?? SHAPE_KIND[OPS[op].shape];
  if (kind === undefined) throw new Error(`interpreter: no kind for op ${op}`);
  return kind;
});

/** The kinds whose f32, f64 and v128 records run apart (Kind.NonInteger). */
const RUN_APART: ReadonlySet<Kind> = new Set([Kind.Const, Kind.Get, Kind.Set, Kind.Load, Kind.Store]);

/** The run loop's kind of each record, by its head's op and type (head & OP_TYPE_MASK). */
const RUN_KIND = Uint8Array.from({ length: OP_TYPE_MASK + 1 }, (_, head) => {
  const kind = KIND[headOp(head)]! as Kind;
  const integer = headType(head) === 'i32' || headType(head) === 'i64';
  return !integer && RUN_APART.has(kind) ? Kind.NonInteger : kind;
});

type Fn1 = (a: Value) => Value;
type Fn2 = (a: Value, b: Value) => Value;
type Cmp = (a: Value, b: Value) => boolean;

/** The value function of a unary op (mov and vop are handled by the run loop). */
function unaryFn(op: Op, type: ValType): Fn1 {
  // The tables are typed per canonical form; the op table guarantees the operand's form.
  if (type === 'i32' && I32_UNARY[op]) return I32_UNARY[op] as Fn1;
  if (type === 'i64' && I64_UNARY[op]) return I64_UNARY[op] as Fn1;
  const float = FLOAT_UNARY[op];
  if (isFloat(type) && float) return (a) => float(type, a as FloatValue);
  throw new Error(`interpreter: no unary ${op} on ${type}`);
}

function binaryFn(op: Op, type: ValType): Fn2 {
  if (type === 'i32' && I32_BINARY[op]) return I32_BINARY[op] as Fn2;
  if (type === 'i64' && I64_BINARY[op]) return I64_BINARY[op] as Fn2;
  const float = FLOAT_BINARY[op];
  if (isFloat(type) && float) return (a, b) => float(type, a as FloatValue, b as FloatValue);
  throw new Error(`interpreter: no binary ${op} on ${type}`);
}

function compareFn(op: Op, type: ValType): Cmp {
  if (type === 'i32' && I32_COMPARE[op]) return I32_COMPARE[op] as Cmp;
  if (type === 'i64' && I64_COMPARE[op]) return I64_COMPARE[op] as Cmp;
  const float = FLOAT_COMPARE[op];
  if (isFloat(type) && float) return (a, b) => float(toNumber(a as FloatValue), toNumber(b as FloatValue));
  throw new Error(`interpreter: no compare ${op} on ${type}`);
}

function convertFn(op: Op, to: ValType, from: ValType | undefined): Fn1 {
  switch (op) {
    case 'zext':
      return (a) => zext(a as number);
    case 'sext':
      return (a) => sext(a as number);
    case 'wrap':
      return (a) => wrap(a as bigint);
    case 'reinterpret':
      if (to !== 'v128') return (a) => reinterpret(to, a as number | bigint);
      break;
    case 'fpromote':
      return (a) => promote(a as FloatValue);
    case 'fdemote':
      return (a) => demote(a as FloatValue);
    case 'ftrunc_s':
    case 'ftrunc_u':
      if (to === 'i32' || to === 'i64') return (a) => truncSat(to, op === 'ftrunc_s', a as FloatValue);
      break;
    case 'fconv_s':
    case 'fconv_u':
      if (isFloat(to)) return (a) => convertInt(to, op === 'fconv_s', a as number | bigint);
      break;
  }
  throw new Error(`interpreter: no conversion ${op} ${from}>${to}`);
}

/** Value functions by operation (head & OPERATION_MASK: op, type and source type), made at first use. */
const valueFns: (Fn1 | Fn2 | Cmp | undefined)[] = [];

function valueFn(head: number): Fn1 | Fn2 | Cmp {
  const key = head & OPERATION_MASK;
  let fn = valueFns[key];
  if (!fn) {
    const op = OP_LIST[headOp(head)]!;
    const type = headType(head);
    const kind = KIND[headOp(head)];
    if (kind === Kind.Unary) fn = unaryFn(op, type);
    else if (kind === Kind.Binary) fn = binaryFn(op, type);
    else if (kind === Kind.Compare) fn = compareFn(op, type);
    else fn = convertFn(op, type, headFrom(head));
    valueFns[key] = fn;
  }
  return fn;
}

const simdImpls: (SimdImpl | undefined)[] = [];
function simdAt(index: number): SimdImpl {
  return (simdImpls[index] ??= simdImpl(SIMD_LIST[index]!));
}

/** The value of a const record (the immediate in the interpreter's canonical form). */
function constant(type: ValType, imm: unknown): Value {
  switch (type) {
    case 'i32':
      return Number(imm) | 0;
    case 'i64':
      return typeof imm === 'bigint' && imm >= 0n && imm <= M64 ? imm : u64(imm as number | bigint);
    case 'f32':
    case 'f64':
      return arithmeticResult(type, imm as number);
    case 'v128':
      return (imm as Uint8Array).slice();
  }
}

function stateRead(state: DataView, u8: Uint8Array, type: ValType, at: number): Value {
  switch (type) {
    case 'i32':
      return state.getInt32(at, true);
    case 'i64':
      return state.getBigUint64(at, true);
    case 'f32':
    case 'f64':
      return readFloat(state, at, type, true);
    case 'v128':
      return u8.slice(at, at + 16);
  }
}

function stateWrite(state: DataView, u8: Uint8Array, type: ValType, at: number, v: Value): void {
  switch (type) {
    case 'i32':
      return state.setInt32(at, v as number, true);
    case 'i64':
      return state.setBigUint64(at, v as bigint, true);
    case 'f32':
    case 'f64':
      return writeFloat(state, at, type, v as FloatValue, true);
    case 'v128':
      return u8.set(v as Uint8Array, at);
  }
}

const RMW: Readonly<Record<NonNullable<Insn['rmw']>, (old: bigint, v: bigint) => bigint>> = {
  add: (old, v) => old + v,
  and: (old, v) => old & v,
  or: (old, v) => old | v,
  xor: (old, v) => old ^ v,
  xchg: (_old, v) => v,
};

const SIZE_MASK: Readonly<Record<number, bigint>> = { 1: 0xffn, 2: 0xffffn, 4: 0xffffffffn, 8: M64 };

/** Argument and result conversions at the helper boundary, as WebAssembly's JS API performs them. */
function toHelper(type: ValType, v: Value): HelperValue {
  if (type === 'i64') return BigInt.asIntN(64, v as bigint);
  if (isFloat(type)) return toNumber(v as FloatValue);
  return v as number;
}
function fromHelper(type: ValType, r: HelperValue | void): Value {
  switch (type) {
    case 'i32':
      return Number(r) | 0;
    case 'i64':
      return u64(r as number | bigint);
    case 'f32':
    case 'f64':
      return arithmeticResult(type, Number(r));
    case 'v128':
      throw new Error('interpreter: helpers cannot return v128');
  }
}

/** The immediate of the record at `at`, wherever it is held. */
function immediate(block: CompactBlock, at: number): unknown {
  const kind = headImm(block.code[at + R_HEAD]!);
  if (kind === IMM_INLINE) return block.code[at + R_IMM];
  return kind === IMM_POOL ? block.pool[block.code[at + R_IMM]!] : undefined;
}

/** Trap exit: state pc = the current instruction `pc`, optional argument in STATE_FAULT_ADDR. */
function trap(state: DataView, stateBase: number, pc: number, kind: TrapKind, faultAddr?: bigint): TrapKind {
  if (faultAddr !== undefined) state.setBigUint64(stateBase + STATE_FAULT_ADDR, faultAddr, true);
  state.setBigUint64(stateBase + STATE_PC, u64(pc), true);
  return kind;
}

// Records run outside runCompact, through one call that every block's exit makes. A forked child
// starts with its parent's optimised runCompact, and V8 throws that code away at the first
// operation the parent had not run when it was optimised (it has no type feedback for it) and
// compiles runCompact again once it is hot (20 to 45 ms of CPU each time under load). Helper calls
// and atomics are such operations: a child of dash met both, each cost one compile in each fork
// and exec of /bin/true. Behind a call that always runs they cost at most the compile of
// outOfLine itself. So are floating-point and vector records in any process: V8 optimises
// runCompact early in a start (a static hello world, Debian's lua5.4 -v), before the C library's
// floating-point or vector code has run, and then threw it away at the first f64 or v128 constant
// ("insufficient type feedback") or at a second vop ("wrong call target"): a second compile of 14
// to 20 ms in each such start.

/** outOfLine's status for a record that does not end the block. */
const CONTINUE = -1;

/** A load (into its destination temp) or a store record: CONTINUE, or the fault's status. */
function memoryAccess(
  kind: Kind,
  code: Int32Array,
  at: number,
  t: Value[],
  port: GuestPort,
  state: DataView,
  stateBase: number,
  pc: number,
): TrapKind | typeof CONTINUE {
  const head = code[at + R_HEAD]!;
  const address = t[code[at + R_A]!] as bigint;
  if (kind === Kind.Load) {
    const value = port.load(headType(head), address, headMem(head));
    if (value !== undefined) {
      t[code[at + R_DST]!] = value;
      return CONTINUE;
    }
  } else if (port.store(headType(head), address, headSize(head), t[code[at + R_B]!]!)) {
    return CONTINUE;
  }
  return trap(state, stateBase, pc, TrapKind.MemoryFault, address);
}

/**
 * Runs a block exit, an atomic, a helper call, a vop or a floating-point or vector record: the
 * status the block ends with, or CONTINUE. One function, not one per kind: V8 inlines a callee of
 * under 460 bytes of bytecode into runCompact when the call is hot, and the code inlined for a kind
 * not run before it was optimised would then have no feedback again.
 */
function outOfLine(
  kind: Kind,
  block: CompactBlock,
  at: number,
  t: Value[],
  port: GuestPort,
  memory: GuestMemory,
  stateBase: number,
  pc: number,
): TrapKind | typeof CONTINUE {
  const { code, pool } = block;
  const state = memory.view;
  const head = code[at + R_HEAD]!;
  const dst = code[at + R_DST]!;
  const a = code[at + R_A]!;
  switch (kind) {
    case Kind.Vop: {
      const args = [a, code[at + R_B]!, code[at + R_C]!].filter((id) => id >= 0).map((id) => t[id]!);
      const aux = code[at + R_AUX]!;
      t[dst] = simdAt(code[at + R_IMM]!)(args, aux >= 0 ? (pool[aux] as number | Uint8Array) : undefined);
      return CONTINUE;
    }
    case Kind.NonInteger: {
      const recordKind = KIND[headOp(head)] as Kind;
      switch (recordKind) {
        case Kind.Const:
          t[dst] = constant(headType(head), immediate(block, at));
          return CONTINUE;
        case Kind.Get:
          t[dst] = stateRead(state, memory.u8, headType(head), stateBase + code[at + R_IMM]!);
          return CONTINUE;
        case Kind.Set:
          stateWrite(state, memory.u8, headType(head), stateBase + code[at + R_IMM]!, t[a]!);
          return CONTINUE;
        default:
          return memoryAccess(recordKind, code, at, t, port, state, stateBase, pc);
      }
    }
    case Kind.Exit:
      state.setBigUint64(stateBase + STATE_PC, t[a] as bigint, true);
      return (immediate(block, at) ?? TrapKind.None) as TrapKind;
    case Kind.Atomic: {
      // cmpxchg and rmw: a read and a write of mem.size bytes, naturally aligned (else Alignment).
      const size = headSize(head);
      const address = t[a] as bigint;
      const at2 = port.atomicAddress(address, size);
      if (at2 === undefined) return trap(state, stateBase, pc, TrapKind.MemoryFault, address);
      if (at2 % size !== 0) return trap(state, stateBase, pc, TrapKind.Alignment, address);
      const mask = SIZE_MASK[size]!;
      const x = u64(t[code[at + R_B]!] as number | bigint) & mask;
      // One host compare-and-swap, or a loop of them, on the shared memory: right while other
      // threads store there too, as generated code's wasm atomics are.
      const bytes = size as 1 | 2 | 4 | 8;
      let old: bigint;
      if (OP_LIST[headOp(head)] === 'cmpxchg') {
        old = port.compareExchange(at2, bytes, x, u64(t[code[at + R_C]!] as number | bigint) & mask);
      } else {
        const rmw = RMW[headRmw(head)];
        old = port.loadUnsigned(at2, size);
        for (;;) {
          const seen = port.compareExchange(at2, bytes, old, rmw(old, x) & mask);
          if (seen === old) break;
          old = seen;
        }
      }
      t[dst] = headType(head) === 'i32' ? Number(old) | 0 : old;
      return CONTINUE;
    }
    default: {
      // A helper call: arguments and result converted as WebAssembly's JS API does.
      const def = helperById(code[at + R_IMM]!);
      const aux = code[at + R_AUX]!;
      const ids = aux >= 0 ? (pool[aux] as Int32Array) : undefined;
      const args = def.params.map((type, i) => toHelper(type, t[ids ? ids[i]! : code[at + R_A + i]!]!));
      const r = def.impl({ view: state, stateBase }, ...args);
      if (dst >= 0 && def.result) t[dst] = fromHelper(def.result, r);
      return CONTINUE;
    }
  }
}

// --- Running a block -------------------------------------------------------------------------------

const compacted = new WeakMap<IRBlock, CompactBlock>();

/**
 * Executes `block` once on the CPU state at `stateBase` and guest `memory` (accessed in `endian`
 * byte order); returns the exit status. `onCodeWrite(addr, size)` runs before any store to a page
 * flagged as holding translated code.
 */
export function interpretBlock(
  block: IRBlock,
  memory: GuestMemory,
  stateBase: number,
  endian: Endian,
  onCodeWrite: CodeWriteHook = () => {},
): TrapKind {
  return runBlock(block, memory, stateBase, new GuestAccess(memory, endian, onCodeWrite));
}

/** Executes `block` once, reaching guest memory through `port` (the CPU state is in `memory`). */
export function runBlock(block: IRBlock, memory: GuestMemory, stateBase: number, port: GuestPort): TrapKind {
  let compact = compacted.get(block);
  if (!compact) {
    compact = compactBlock(block);
    compacted.set(block, compact);
  }
  return runCompact(compact, memory, stateBase, port);
}

/** Executes the compact `block` once, reaching guest memory through `port` (the CPU state is in `memory`). */
export function runCompact(
  block: CompactBlock,
  memory: GuestMemory,
  stateBase: number,
  port: GuestPort,
): TrapKind {
  const { code, labelAt } = block;
  const state = memory.view;
  const u8 = memory.u8;
  const t = new Array<Value>(block.temps.length);
  /** Address of the guest instruction being executed (the last `insn` marker). */
  let pc = block.pc;
  for (let at = 0; at < code.length; at += RECORD_SIZE) {
    const head = code[at + R_HEAD]!;
    const dst = code[at + R_DST]!;
    const a = code[at + R_A]!;
    const kind = RUN_KIND[head & OP_TYPE_MASK] as Kind;
    switch (kind) {
      case Kind.Const:
        t[dst] = constant(headType(head), immediate(block, at));
        break;
      case Kind.Mov:
        t[dst] = t[a]!;
        break;
      case Kind.Unary:
      case Kind.Convert:
        t[dst] = (valueFn(head) as Fn1)(t[a]!);
        break;
      case Kind.Binary:
        t[dst] = (valueFn(head) as Fn2)(t[a]!, t[code[at + R_B]!]!);
        break;
      case Kind.Compare:
        t[dst] = (valueFn(head) as Cmp)(t[a]!, t[code[at + R_B]!]!) ? 1 : 0;
        break;
      case Kind.Select:
        t[dst] = t[a] !== 0 ? t[code[at + R_B]!]! : t[code[at + R_C]!]!;
        break;
      case Kind.Get:
        t[dst] = stateRead(state, u8, headType(head), stateBase + code[at + R_IMM]!);
        break;
      case Kind.Set:
        stateWrite(state, u8, headType(head), stateBase + code[at + R_IMM]!, t[a]!);
        break;
      case Kind.Load:
      case Kind.Store: {
        const status = memoryAccess(kind, code, at, t, port, state, stateBase, pc);
        if (status !== CONTINUE) return status;
        break;
      }
      case Kind.Exit:
      case Kind.Atomic:
      case Kind.Call:
      case Kind.Vop:
      case Kind.NonInteger: {
        const status = outOfLine(kind, block, at, t, port, memory, stateBase, pc);
        if (status !== CONTINUE) return status;
        break;
      }
      case Kind.Marker:
        pc = immediate(block, at) as number;
        break;
      case Kind.Label:
        break;
      case Kind.Br:
        at = labelAt[code[at + R_IMM]!]! * RECORD_SIZE;
        break;
      case Kind.Brcond:
        if (t[a] !== 0) at = labelAt[code[at + R_IMM]!]! * RECORD_SIZE;
        break;
      case Kind.Trap:
        return trap(state, stateBase, pc, code[at + R_IMM]!, a < 0 ? undefined : (t[a] as bigint));
    }
  }
  throw new Error(`interpreter: block at 0x${block.pc.toString(16)} ends without exit or trap`);
}
