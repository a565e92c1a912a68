/**
 * The compact form of an IR block: the same instructions as an IRBlock, in one Int32Array of
 * fixed-size records plus a small pool for the immediates that are not int32s. The engine keeps
 * cold blocks (run by the interpreter, perhaps never compiled) in this form: an IRBlock costs an
 * object per instruction, an argument array and a Temp per result, about 150 bytes per IR
 * instruction, where a record is 28. The interpreter runs records directly; expandBlock gives back
 * the IRBlock, equal to the one compacted, when a block becomes hot and is compiled.
 *
 * A record is RECORD_SIZE int32 slots: [head, dst, a, b, c, imm, aux]. head packs the op (its
 * index in OP_LIST), the type and source type (indices in TYPE_LIST), how imm is held, the memory
 * access and the rmw kind (bit fields below); dst, a, b, c are temp ids or -1. imm is the immediate
 * itself when it is an int32 (IMM_INLINE) or its index in the pool (IMM_POOL). aux is the pool
 * index of a vop's lane immediate, or of the argument ids of a call with more than three arguments.
 * The simd op of a vop is held in imm (its index in SIMD_LIST), since a vop has no immediate.
 */
import { Temp, type IRBlock, type Imm, type Insn } from './block';
import { OPS, type MemAccess, type Op, type ValType } from './ops';
import { SIMD_OPS } from './simd';

export const RECORD_SIZE = 7;
export const R_HEAD = 0;
export const R_DST = 1;
export const R_A = 2;
export const R_B = 3;
export const R_C = 4;
export const R_IMM = 5;
export const R_AUX = 6;

/** Every op, numbered by its place here (the op table's order). */
export const OP_LIST = Object.keys(OPS) as Op[];
export const TYPE_LIST: readonly ValType[] = ['i32', 'i64', 'f32', 'f64', 'v128'];
/** Every vector op name, numbered by its place here. */
export const SIMD_LIST = Object.keys(SIMD_OPS);
const RMW_LIST: readonly NonNullable<Insn['rmw']>[] = ['add', 'and', 'or', 'xor', 'xchg'];
const SIZE_LIST: readonly MemAccess['size'][] = [1, 2, 4, 8, 16];

// head bit fields.
const OP_BITS = 0xff;
const TYPE_SHIFT = 8;
const FROM_SHIFT = 11;
/** op | type | from: what decides an operation's value function. */
export const OPERATION_MASK = (1 << 14) - 1;
/** A head's op and type bits (the interpreter's kind of record). */
export const OP_TYPE_MASK = (1 << (TYPE_SHIFT + 3)) - 1;
const IMM_SHIFT = 14;
// How imm is held: 0 when the instruction has none.
export const IMM_INLINE = 1;
export const IMM_POOL = 2;
const MEM_SHIFT = 16; // 0: no access, else 1 + index in SIZE_LIST (3 bits)
const SIGNED_BIT = 1 << 19;
const RMW_SHIFT = 20; // 0: none, else 1 + index in RMW_LIST (3 bits)
const NO_FROM = 7;

const OP_INDEX = new Map(OP_LIST.map((op, i) => [op, i]));
const TYPE_INDEX = new Map(TYPE_LIST.map((t, i) => [t, i]));
const SIMD_INDEX = new Map(SIMD_LIST.map((name, i) => [name, i]));

export const headOp = (head: number): number => head & OP_BITS;
export const headType = (head: number): ValType => TYPE_LIST[(head >> TYPE_SHIFT) & 7]!;
export const headImm = (head: number): number => (head >> IMM_SHIFT) & 3;
export const headSize = (head: number): MemAccess['size'] => SIZE_LIST[((head >> MEM_SHIFT) & 7) - 1]!;
export const headSigned = (head: number): boolean => (head & SIGNED_BIT) !== 0;
/** One shared, frozen MemAccess per size and signedness. */
const MEM_ACCESS: readonly MemAccess[] = SIZE_LIST.flatMap((size) =>
  [false, true].map((signed) => Object.freeze({ size, signed })),
);
/** The memory access of a load, store or atomic record (a shared object). */
export const headMem = (head: number): MemAccess =>
  MEM_ACCESS[(((head >> MEM_SHIFT) & 7) - 1) * 2 + ((head & SIGNED_BIT) !== 0 ? 1 : 0)]!;
export const headRmw = (head: number): NonNullable<Insn['rmw']> => RMW_LIST[((head >> RMW_SHIFT) & 7) - 1]!;
export function headFrom(head: number): ValType | undefined {
  const from = (head >> FROM_SHIFT) & 7;
  return from === NO_FROM ? undefined : TYPE_LIST[from];
}

/** An IR block in compact form (see the module comment). */
export interface CompactBlock {
  pc: number;
  end: number;
  insnCount: number;
  /** RECORD_SIZE slots per instruction. */
  code: Int32Array;
  /** Immediates that are not int32s, lane immediates and long argument lists. */
  pool: readonly (Imm | Int32Array)[];
  /** Type of each temp (index in TYPE_LIST). */
  temps: Uint8Array;
  labels: number;
  /** Instruction index of each label. */
  labelAt: Int32Array;
  successors: number[];
  readsFlags: boolean;
}

const isInt32 = (v: Imm): v is number => typeof v === 'number' && (v | 0) === v && !Object.is(v, -0);

/** The compact form of `block`. */
export function compactBlock(block: IRBlock): CompactBlock {
  // The block's three arrays share one buffer: a buffer of its own costs each about 250 bytes of
  // V8's and malloc's bookkeeping besides its contents (sqlite3 keeps 7700 cold blocks).
  const slots = block.insns.length * RECORD_SIZE;
  const buffer = new ArrayBuffer((slots + block.labels) * 4 + block.temps.length);
  const code = new Int32Array(buffer, 0, slots);
  const pool: (Imm | Int32Array)[] = [];
  const labelAt = new Int32Array(buffer, slots * 4, block.labels).fill(-1);
  const temps = new Uint8Array(buffer, (slots + block.labels) * 4, block.temps.length);
  block.temps.forEach((t, i) => (temps[i] = TYPE_INDEX.get(t.type)!));
  const toPool = (v: Imm | Int32Array): number => pool.push(v) - 1;
  block.insns.forEach((insn, i) => {
    const at = i * RECORD_SIZE;
    const op = OP_INDEX.get(insn.op);
    if (op === undefined) throw new Error(`IR: unknown op ${insn.op}`);
    let head = op | (TYPE_INDEX.get(insn.type)! << TYPE_SHIFT);
    head |= (insn.from === undefined ? NO_FROM : TYPE_INDEX.get(insn.from)!) << FROM_SHIFT;
    if (insn.mem) {
      head |= (1 + SIZE_LIST.indexOf(insn.mem.size)) << MEM_SHIFT;
      if (insn.mem.signed) head |= SIGNED_BIT;
    }
    if (insn.rmw) head |= (1 + RMW_LIST.indexOf(insn.rmw)) << RMW_SHIFT;
    code[at + R_IMM] = 0;
    if (insn.simd !== undefined) {
      code[at + R_IMM] = SIMD_INDEX.get(insn.simd)!;
    } else if (insn.imm !== undefined) {
      const inline = isInt32(insn.imm);
      head |= (inline ? IMM_INLINE : IMM_POOL) << IMM_SHIFT;
      code[at + R_IMM] = inline ? (insn.imm as number) : toPool(insn.imm);
    }
    code[at + R_HEAD] = head;
    code[at + R_DST] = insn.dst ? insn.dst.id : -1;
    const args = insn.args;
    code[at + R_A] = args.length > 0 ? args[0]!.id : -1;
    code[at + R_B] = args.length > 1 ? args[1]!.id : -1;
    code[at + R_C] = args.length > 2 ? args[2]!.id : -1;
    code[at + R_AUX] = -1;
    if (insn.lane !== undefined) code[at + R_AUX] = toPool(insn.lane);
    else if (args.length > 3) code[at + R_AUX] = toPool(Int32Array.from(args, (t) => t.id));
    if (insn.op === 'label') labelAt[insn.imm as number] = i;
  });
  return {
    pc: block.pc,
    end: block.end,
    insnCount: block.insnCount,
    code,
    pool,
    temps,
    labels: block.labels,
    labelAt,
    successors: block.successors,
    readsFlags: block.readsFlags,
  };
}

/** The argument ids of the record at `at`. */
const ARG_SLOTS = [R_A, R_B, R_C] as const;

/** The operands of the record at `at`, as `temps`: a call's list from the pool, else up to three slots. */
function recordArgs(block: CompactBlock, at: number, temps: readonly Temp[]): Temp[] {
  const code = block.code;
  const aux = code[at + R_AUX]!;
  const args: Temp[] = [];
  if (aux >= 0 && OP_LIST[headOp(code[at + R_HEAD]!)] === 'call') {
    for (const id of block.pool[aux] as Int32Array) args.push(temps[id]!);
    return args;
  }
  for (const slot of ARG_SLOTS) {
    const id = code[at + slot]!;
    if (id >= 0) args.push(temps[id]!);
  }
  return args;
}

/** The IRBlock that `block` was compacted from. */
export function expandBlock(block: CompactBlock): IRBlock {
  const temps = Array.from(block.temps, (type, id) => new Temp(id, TYPE_LIST[type]!));
  const insns: Insn[] = [];
  const { code, pool } = block;
  for (let at = 0; at < code.length; at += RECORD_SIZE) {
    const head = code[at + R_HEAD]!;
    const op = OP_LIST[headOp(head)]!;
    const args = recordArgs(block, at, temps);
    const dst = code[at + R_DST]!;
    const immKind = headImm(head);
    const aux = op === 'vop' ? code[at + R_AUX]! : -1;
    // Every field present, in one order (absent ones undefined): the lowering then reads
    // instructions of one hidden class, where optional fields gave each combination its own and
    // made every field access of the code generator megamorphic.
    const insn: Insn = {
      op,
      type: headType(head),
      from: headFrom(head),
      dst: dst >= 0 ? temps[dst]! : undefined,
      args,
      imm: immKind === IMM_INLINE ? code[at + R_IMM]! : immKind === IMM_POOL ? (pool[code[at + R_IMM]!] as Imm) : undefined,
      mem: (head >> MEM_SHIFT) & 7 ? { size: headSize(head), signed: headSigned(head) } : undefined,
      simd: op === 'vop' ? SIMD_LIST[code[at + R_IMM]!]! : undefined,
      lane: aux >= 0 ? (pool[aux] as number | Uint8Array) : undefined,
      rmw: (head >> RMW_SHIFT) & 7 ? headRmw(head) : undefined,
    };
    insns.push(insn);
  }
  return {
    pc: block.pc,
    end: block.end,
    insnCount: block.insnCount,
    insns,
    temps,
    labels: block.labels,
    successors: block.successors,
    readsFlags: block.readsFlags,
  };
}
