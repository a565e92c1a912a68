/**
 * The reference IR interpreter: executes one IRBlock exactly as the op table (ir/ops.ts) and the
 * vector op table (ir/simd.ts) define, with the same contract as the WebAssembly backend's
 * runBlockWasm, so the two can be compared instruction stream by instruction stream. It is also
 * the engine's cold tier, for code executed a few times. Guest memory is reached through a GuestPort
 * (window-access.ts): the window itself in user mode, the software MMU in system mode.
 *
 * A block is prepared once (cached per block object): every instruction becomes a small closure
 * over its resolved operation and temp ids, and label ids become instruction indices. Running it
 * is then a loop over those closures; each returns the index of the next one, or a negative number
 * encoding the block's exit status.
 *
 * Values: see int-ops.ts (i32, i64), float-values.ts (f32, f64) and simd-lanes.ts (v128). CPU state
 * is little-endian at stateBase + offset; only guest memory accesses use the guest's byte order.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { STATE_FAULT_ADDR, STATE_PC } from '../frontend';
import type { IRBlock, Insn } from '../ir/block';
import { helperById, type HelperContext, type HelperValue } from '../ir/helpers';
import { OPS, TrapKind, type Endian, type ValType } from '../ir/ops';
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
import { simdImpl } from './simd-lanes';

type Value = GuestValue;

/** The running block's registers: temps, state, memory, and the current guest instruction. */
interface Frame {
  readonly t: Value[];
  readonly state: DataView;
  readonly u8: Uint8Array;
  readonly base: number;
  readonly mem: GuestPort;
  readonly helper: HelperContext;
  /** Address of the guest instruction being executed (the last `insn` marker). */
  pc: number;
}

/** Runs one instruction; returns the next instruction's index, or leave(status) to end the block. */
type Step = (f: Frame) => number;

const leave = (status: number): number => -1 - status;

const u64 = (x: number | bigint): bigint => BigInt.asUintN(64, BigInt(x));

function setPc(f: Frame, pc: bigint): void {
  f.state.setBigUint64(f.base + STATE_PC, pc, true);
}

/** Trap exit: state pc = the current instruction, optional argument in STATE_FAULT_ADDR. */
function trapExit(f: Frame, kind: number, faultAddr?: bigint): number {
  if (faultAddr !== undefined) f.state.setBigUint64(f.base + STATE_FAULT_ADDR, faultAddr, true);
  setPc(f, u64(f.pc));
  return leave(kind);
}

const isFloat = (t: ValType): t is FloatType => t === 'f32' || t === 'f64';

// --- Per-shape preparation -----------------------------------------------------------------------

function constant(insn: Insn): Value {
  const imm = insn.imm;
  switch (insn.type) {
    case 'i32':
      return Number(imm) | 0;
    case 'i64':
      return u64(imm as number | bigint);
    case 'f32':
    case 'f64':
      return arithmeticResult(insn.type, imm as number);
    case 'v128':
      return (imm as Uint8Array).slice();
  }
}

type Fn1 = (a: Value) => Value;
type Fn2 = (a: Value, b: Value) => Value;

/** The value function of a unary op (mov and vop are handled by the caller). */
function unaryFn(insn: Insn): Fn1 {
  const { op, type } = insn;
  // The tables are typed per canonical form; the op table guarantees the operand's form.
  if (type === 'i32' && I32_UNARY[op]) return I32_UNARY[op] as Fn1;
  if (type === 'i64' && I64_UNARY[op]) return I64_UNARY[op] as Fn1;
  const float = FLOAT_UNARY[op];
  if (isFloat(type) && float) return (a) => float(type, a as FloatValue);
  throw new Error(`interpreter: no unary ${op} on ${type}`);
}

function binaryFn(insn: Insn): Fn2 {
  const { op, type } = insn;
  if (type === 'i32' && I32_BINARY[op]) return I32_BINARY[op] as Fn2;
  if (type === 'i64' && I64_BINARY[op]) return I64_BINARY[op] as Fn2;
  const float = FLOAT_BINARY[op];
  if (isFloat(type) && float) return (a, b) => float(type, a as FloatValue, b as FloatValue);
  throw new Error(`interpreter: no binary ${op} on ${type}`);
}

function compareFn(insn: Insn): (a: Value, b: Value) => boolean {
  const { op, type } = insn;
  if (type === 'i32' && I32_COMPARE[op]) return I32_COMPARE[op] as (a: Value, b: Value) => boolean;
  if (type === 'i64' && I64_COMPARE[op]) return I64_COMPARE[op] as (a: Value, b: Value) => boolean;
  const float = FLOAT_COMPARE[op];
  if (isFloat(type) && float) return (a, b) => float(toNumber(a as FloatValue), toNumber(b as FloatValue));
  throw new Error(`interpreter: no compare ${op} on ${type}`);
}

function convertFn(insn: Insn): Fn1 {
  const to = insn.type;
  switch (insn.op) {
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
      if (to === 'i32' || to === 'i64') return (a) => truncSat(to, insn.op === 'ftrunc_s', a as FloatValue);
      break;
    case 'fconv_s':
    case 'fconv_u':
      if (isFloat(to)) return (a) => convertInt(to, insn.op === 'fconv_s', a as number | bigint);
      break;
  }
  throw new Error(`interpreter: no conversion ${insn.op} ${insn.from}>${to}`);
}

function stateRead(type: ValType, at: number): (f: Frame) => Value {
  switch (type) {
    case 'i32':
      return (f) => f.state.getInt32(f.base + at, true);
    case 'i64':
      return (f) => f.state.getBigUint64(f.base + at, true);
    case 'f32':
    case 'f64':
      return (f) => readFloat(f.state, f.base + at, type, true);
    case 'v128':
      return (f) => f.u8.slice(f.base + at, f.base + at + 16);
  }
}

function stateWrite(type: ValType, at: number): (f: Frame, v: Value) => void {
  switch (type) {
    case 'i32':
      return (f, v) => f.state.setInt32(f.base + at, v as number, true);
    case 'i64':
      return (f, v) => f.state.setBigUint64(f.base + at, v as bigint, true);
    case 'f32':
    case 'f64':
      return (f, v) => writeFloat(f.state, f.base + at, type, v as FloatValue, true);
    case 'v128':
      return (f, v) => f.u8.set(v as Uint8Array, f.base + at);
  }
}

const RMW: Readonly<Record<NonNullable<Insn['rmw']>, (old: bigint, v: bigint) => bigint>> = {
  add: (old, v) => old + v,
  and: (old, v) => old & v,
  or: (old, v) => old | v,
  xor: (old, v) => old ^ v,
  xchg: (_old, v) => v,
};

/** cmpxchg and rmw: a read and a write of mem.size bytes, naturally aligned (else Alignment). */
function atomicStep(insn: Insn, next: number): Step {
  const { size } = insn.mem!;
  const [addr, x, y] = insn.args.map((a) => a.id) as [number, number, number | undefined];
  const dst = insn.dst!.id;
  const mask = (1n << BigInt(8 * size)) - 1n;
  const wide = (v: Value): bigint => u64(v as number | bigint) & mask;
  const update =
    insn.op === 'cmpxchg'
      ? (old: bigint, f: Frame): bigint | undefined => (old === wide(f.t[x]!) ? wide(f.t[y!]!) : undefined)
      : (old: bigint, f: Frame): bigint => RMW[insn.rmw!](old, wide(f.t[x]!));
  const result = insn.type === 'i32' ? (old: bigint): Value => Number(old) | 0 : (old: bigint): Value => old;
  return (f) => {
    const address = f.t[addr] as bigint;
    const a = f.mem.atomicAddress(address, size);
    if (a === undefined) return trapExit(f, TrapKind.MemoryFault, address);
    if (a % size !== 0) return trapExit(f, TrapKind.Alignment, address);
    const old = f.mem.loadUnsigned(a, size);
    const value = update(old, f);
    if (value !== undefined) f.mem.storeInt(a, size, value);
    f.t[dst] = result(old);
    return next;
  };
}

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

function callStep(insn: Insn, next: number): Step {
  const def = helperById(insn.imm as number);
  const args = insn.args.map((a) => a.id);
  const dst = insn.dst?.id;
  const result = def.result;
  return (f) => {
    const r = def.impl(f.helper, ...args.map((id, i) => toHelper(def.params[i]!, f.t[id]!)));
    if (dst !== undefined && result) f.t[dst] = fromHelper(result, r);
    return next;
  };
}

// --- Block preparation -----------------------------------------------------------------------------

function prepareInsn(insn: Insn, i: number, labelAt: readonly number[]): Step {
  const next = i + 1;
  const dst = insn.dst?.id ?? -1;
  const [a, b, c] = insn.args.map((t) => t.id) as [number, number, number];
  switch (OPS[insn.op].shape) {
    case 'const': {
      const v = constant(insn);
      return (f) => ((f.t[dst] = v), next);
    }
    case 'unary': {
      if (insn.op === 'mov') return (f) => ((f.t[dst] = f.t[a]!), next);
      if (insn.op === 'vop') {
        const impl = simdImpl(insn.simd!);
        const ids = insn.args.map((t) => t.id);
        const lane = insn.lane;
        return (f) => ((f.t[dst] = impl(ids.map((id) => f.t[id]!), lane)), next);
      }
      const fn = unaryFn(insn);
      return (f) => ((f.t[dst] = fn(f.t[a]!)), next);
    }
    case 'binary': {
      const fn = binaryFn(insn);
      return (f) => ((f.t[dst] = fn(f.t[a]!, f.t[b]!)), next);
    }
    case 'compare': {
      const fn = compareFn(insn);
      return (f) => ((f.t[dst] = fn(f.t[a]!, f.t[b]!) ? 1 : 0), next);
    }
    case 'convert': {
      const fn = convertFn(insn);
      return (f) => ((f.t[dst] = fn(f.t[a]!)), next);
    }
    case 'select':
      return (f) => ((f.t[dst] = f.t[a] !== 0 ? f.t[b]! : f.t[c]!), next);
    case 'get': {
      const read = stateRead(insn.type, insn.imm as number);
      return (f) => ((f.t[dst] = read(f)), next);
    }
    case 'set': {
      const write = stateWrite(insn.type, insn.imm as number);
      return (f) => (write(f, f.t[a]!), next);
    }
    case 'load': {
      const type = insn.type;
      const mem = insn.mem!;
      return (f) => {
        const address = f.t[a] as bigint;
        const value = f.mem.load(type, address, mem);
        if (value === undefined) return trapExit(f, TrapKind.MemoryFault, address);
        f.t[dst] = value;
        return next;
      };
    }
    case 'store': {
      const type = insn.type;
      const { size } = insn.mem!;
      return (f) => {
        const address = f.t[a] as bigint;
        if (!f.mem.store(type, address, size, f.t[b]!)) return trapExit(f, TrapKind.MemoryFault, address);
        return next;
      };
    }
    case 'atomic':
      return atomicStep(insn, next);
    case 'call':
      return callStep(insn, next);
    case 'marker': {
      const pc = insn.imm as number;
      return (f) => ((f.pc = pc), next);
    }
    case 'control':
      return controlStep(insn, next, labelAt);
  }
}

function controlStep(insn: Insn, next: number, labelAt: readonly number[]): Step {
  const [a] = insn.args.map((t) => t.id);
  const imm = insn.imm as number;
  switch (insn.op) {
    case 'label':
      return () => next;
    case 'br': {
      const target = labelAt[imm]!;
      return () => target;
    }
    case 'brcond': {
      const target = labelAt[imm]!;
      return (f) => (f.t[a!] !== 0 ? target : next);
    }
    case 'exit': {
      const status = imm ?? TrapKind.None;
      return (f) => (setPc(f, f.t[a!] as bigint), leave(status));
    }
    case 'trap':
      return a === undefined ? (f) => trapExit(f, imm) : (f) => trapExit(f, imm, f.t[a] as bigint);
  }
  throw new Error(`interpreter: unknown control op ${insn.op}`);
}

function prepare(block: IRBlock): Step[] {
  const labelAt: number[] = [];
  block.insns.forEach((insn, i) => {
    if (insn.op === 'label') labelAt[insn.imm as number] = i;
  });
  const steps = block.insns.map((insn, i) => prepareInsn(insn, i, labelAt));
  steps.push(() => {
    throw new Error(`interpreter: block at 0x${block.pc.toString(16)} ends without exit or trap`);
  });
  return steps;
}

const prepared = new WeakMap<IRBlock, Step[]>();

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
  let steps = prepared.get(block);
  if (!steps) {
    steps = prepare(block);
    prepared.set(block, steps);
  }
  const frame: Frame = {
    t: new Array<Value>(block.temps.length),
    state: memory.view,
    u8: memory.u8,
    base: stateBase,
    mem: port,
    helper: { view: memory.view, stateBase },
    pc: block.pc,
  };
  let i = 0;
  while (i >= 0) i = steps[i]!(frame);
  return (-1 - i) as TrapKind; // undoes leave()
}
