/**
 * The shared IR, as one table: every op with its operand shape and its exact semantics.
 *
 * An IR block is a straight list of instructions over typed temporaries. Frontends build it through
 * `IRBuilder`; the WebAssembly generator and the reference interpreter both consume it, so the
 * sentence given for each op is the contract both must keep.
 *
 * Value types follow WebAssembly: i32, i64, f32, f64, v128. Integer ops are defined on the bit
 * pattern (two's complement, wrapping), never trapping.
 */

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

/** How an op's arguments and result are shaped, for the verifier and both executors. */
export type OpShape =
  | 'const' //   dst = imm
  | 'unary' //   dst:T = f(a:T)
  | 'binary' //  dst:T = f(a:T, b:T)
  | 'compare' // dst:i32 = f(a:T, b:T)  (T = insn.type)
  | 'convert' // dst:insn.type = f(a:insn.from)
  | 'select' //  dst:T = c:i32 ? a:T : b:T
  | 'get' //     dst:T = guest state at offset imm
  | 'set' //     guest state at offset imm = a:T
  | 'load' //    dst:T = memory[a:i64] (size, signed from insn.mem)
  | 'store' //   memory[a:i64] = b:T (size from insn.mem)
  | 'atomic' //  memory read-modify-write, see op sentences
  | 'control' // labels, branches, block exits
  | 'call' //    helper call, see helpers.ts
  | 'marker'; // no effect on values

export interface OpInfo {
  shape: OpShape;
  /** Which value types `insn.type` may be. */
  types: readonly ValType[];
  /** Has an effect beyond its dst (memory, state, control): never removed as dead. */
  effect: boolean;
  /** The exact semantics both executors implement. */
  doc: string;
}

const INT: readonly ValType[] = ['i32', 'i64'];
const FLT: readonly ValType[] = ['f32', 'f64'];
const ALL: readonly ValType[] = ['i32', 'i64', 'f32', 'f64', 'v128'];

function op(shape: OpShape, types: readonly ValType[], effect: boolean, doc: string): OpInfo {
  return { shape, types, effect, doc };
}

export const OPS = {
  const: op('const', ALL, false, 'dst = imm (bigint for i64, number for i32/f32/f64, Uint8Array(16) for v128).'),
  mov: op('unary', ALL, false, 'dst = a.'),

  add: op('binary', INT, false, 'a + b, wrapping.'),
  sub: op('binary', INT, false, 'a - b, wrapping.'),
  mul: op('binary', INT, false, 'a * b, low bits.'),
  mulh_s: op('binary', ['i64'], false, 'High 64 bits of the signed 128-bit product a * b.'),
  mulh_u: op('binary', ['i64'], false, 'High 64 bits of the unsigned 128-bit product a * b.'),
  div_s: op('binary', INT, false, 'Signed a / b rounded toward zero; b = 0 gives 0; MIN / -1 gives MIN.'),
  div_u: op('binary', INT, false, 'Unsigned a / b; b = 0 gives 0.'),
  rem_s: op('binary', INT, false, 'Signed remainder with the sign of a; b = 0 gives a; MIN % -1 gives 0.'),
  rem_u: op('binary', INT, false, 'Unsigned remainder; b = 0 gives a.'),
  and: op('binary', INT, false, 'Bitwise and.'),
  or: op('binary', INT, false, 'Bitwise or.'),
  xor: op('binary', INT, false, 'Bitwise exclusive or.'),
  shl: op('binary', INT, false, 'a << (b mod width).'),
  shr_u: op('binary', INT, false, 'Logical a >> (b mod width).'),
  shr_s: op('binary', INT, false, 'Arithmetic a >> (b mod width).'),
  rotl: op('binary', INT, false, 'Rotate a left by (b mod width).'),
  rotr: op('binary', INT, false, 'Rotate a right by (b mod width).'),

  not: op('unary', INT, false, 'Bitwise complement.'),
  neg: op('unary', INT, false, '0 - a, wrapping.'),
  clz: op('unary', INT, false, 'Count of leading zero bits (width for 0).'),
  ctz: op('unary', INT, false, 'Count of trailing zero bits (width for 0).'),
  popcnt: op('unary', INT, false, 'Count of set bits.'),
  bswap: op('unary', INT, false, 'Reverse the byte order of a.'),
  rbit: op('unary', INT, false, 'Reverse the bit order of a.'),
  sext8: op('unary', INT, false, 'Sign-extend the low 8 bits of a to the full width.'),
  sext16: op('unary', INT, false, 'Sign-extend the low 16 bits of a to the full width.'),
  sext32: op('unary', ['i64'], false, 'Sign-extend the low 32 bits of a to 64 bits.'),

  eq: op('compare', ALL.slice(0, 4), false, '1 if a == b else 0 (floats: IEEE, NaN compares unequal).'),
  ne: op('compare', ALL.slice(0, 4), false, '1 if a != b else 0 (floats: true when either is NaN).'),
  lt_s: op('compare', INT, false, 'Signed a < b.'),
  lt_u: op('compare', INT, false, 'Unsigned a < b.'),
  le_s: op('compare', INT, false, 'Signed a <= b.'),
  le_u: op('compare', INT, false, 'Unsigned a <= b.'),
  gt_s: op('compare', INT, false, 'Signed a > b.'),
  gt_u: op('compare', INT, false, 'Unsigned a > b.'),
  ge_s: op('compare', INT, false, 'Signed a >= b.'),
  ge_u: op('compare', INT, false, 'Unsigned a >= b.'),
  flt: op('compare', FLT, false, 'Ordered a < b (false if either is NaN).'),
  fle: op('compare', FLT, false, 'Ordered a <= b.'),
  fgt: op('compare', FLT, false, 'Ordered a > b.'),
  fge: op('compare', FLT, false, 'Ordered a >= b.'),

  select: op('select', ALL, false, 'c != 0 ? a : b.'),

  // Conversions: dst type is insn.type, source type is insn.from.
  zext: op('convert', ['i64'], false, 'i32 -> i64, zero-extending.'),
  sext: op('convert', ['i64'], false, 'i32 -> i64, sign-extending.'),
  wrap: op('convert', ['i32'], false, 'i64 -> i32, keeping the low 32 bits.'),
  reinterpret: op('convert', ['i32', 'i64', 'f32', 'f64'], false, 'Same bits, other type of the same width.'),
  fpromote: op('convert', ['f64'], false, 'f32 -> f64, exact.'),
  fdemote: op('convert', ['f32'], false, 'f64 -> f32, round to nearest even.'),
  ftrunc_s: op('convert', INT, false, 'Float -> signed int toward zero, saturating; NaN gives 0.'),
  ftrunc_u: op('convert', INT, false, 'Float -> unsigned int toward zero, saturating; NaN and negatives give 0.'),
  fconv_s: op('convert', FLT, false, 'Signed int -> float, round to nearest even.'),
  fconv_u: op('convert', FLT, false, 'Unsigned int -> float, round to nearest even.'),

  fadd: op('binary', FLT, false, 'IEEE addition, round to nearest even.'),
  fsub: op('binary', FLT, false, 'IEEE subtraction.'),
  fmul: op('binary', FLT, false, 'IEEE multiplication.'),
  fdiv: op('binary', FLT, false, 'IEEE division.'),
  fmin: op('binary', FLT, false, 'Minimum; NaN if either is NaN; -0 < +0.'),
  fmax: op('binary', FLT, false, 'Maximum; NaN if either is NaN; -0 < +0.'),
  fcopysign: op('binary', FLT, false, 'Magnitude of a with the sign of b.'),
  fsqrt: op('unary', FLT, false, 'IEEE square root.'),
  fabs: op('unary', FLT, false, 'Clear the sign bit.'),
  fneg: op('unary', FLT, false, 'Flip the sign bit.'),
  fceil: op('unary', FLT, false, 'Round toward +infinity to an integral value.'),
  ffloor: op('unary', FLT, false, 'Round toward -infinity to an integral value.'),
  ftruncf: op('unary', FLT, false, 'Round toward zero to an integral value.'),
  fnearest: op('unary', FLT, false, 'Round to nearest integral value, ties to even.'),

  // Vectors: the lane operation is named by insn.simd (see simd.ts), which fixes the shapes.
  vop: op('unary', ['v128', 'i32', 'i64', 'f32', 'f64'], false, 'The SIMD operation insn.simd on a, b, c.'),

  get: op('get', ALL, false, 'Read guest CPU state at byte offset imm.'),
  set: op('set', ALL, true, 'Write a to guest CPU state at byte offset imm.'),

  load: op(
    'load',
    ALL,
    true,
    'Read mem.size bytes at guest address a (sign- or zero-extended to type), in the guest byte order; a big-endian v128 access is the 16 bytes reversed. Faults (MemoryFault) unless every page touched is readable.',
  ),
  store: op(
    'store',
    ALL,
    true,
    'Write the low mem.size bytes of b at guest address a, in the guest byte order (big-endian v128: reversed). Faults unless every page touched is writable.',
  ),
  cmpxchg: op(
    'atomic',
    INT,
    true,
    'Atomically: old = mem[a]; if old == b then mem[a] = c; dst = old (mem.size bytes, zero-extended). a must be aligned to mem.size (else an Alignment trap) and its page readable and writable.',
  ),
  rmw: op(
    'atomic',
    INT,
    true,
    'Atomically: old = mem[a]; mem[a] = insn.rmw(old, b); dst = old. rmw is add, and, or, xor, xchg.',
  ),

  label: op('control', [], true, 'Defines label imm. Labels may only be reached by forward branches.'),
  br: op('control', [], true, 'Jump forward to label imm.'),
  brcond: op('control', [], true, 'Jump forward to label imm if a (i32) != 0.'),
  exit: op('control', [], true, 'Leave the block with status imm (None or Yield); the next guest pc is a (i64).'),
  trap: op(
    'control',
    [],
    true,
    'Leave the block raising trap imm (see TrapKind); state.pc = address of the current instruction. a (optional, i64) is the faulting data address of a MemoryFault or Alignment trap, written to STATE_FAULT_ADDR.',
  ),
  call: op('call', [], true, 'dst = helper imm (args a...). Helpers may read and write guest state.'),

  insn: op('marker', [], true, 'Start of the guest instruction at address imm (used for faults and logs).'),
} as const satisfies Record<string, OpInfo>;

export type Op = keyof typeof OPS;

/** Why a translated block returned to the engine instead of continuing. */
export enum TrapKind {
  /** Fell through to the next block normally (pc written). */
  None = 0,
  /** System call instruction; pc is the instruction after it. */
  Syscall = 1,
  /** Unallocated or unsupported encoding: SIGILL at the instruction. */
  Undefined = 2,
  /** Breakpoint instruction (brk, bkpt, tw): SIGTRAP. */
  Breakpoint = 3,
  /** Memory access denied or outside the window: SIGSEGV, fault address in state. */
  MemoryFault = 4,
  /** Misaligned access the guest requires to fault: SIGBUS. */
  Alignment = 5,
  /** Block exit (pc = next pc) after which the engine re-reads translation flags and pending work. */
  Yield = 6,
  /**
   * Block exit (pc = next pc) after an instruction-cache invalidation (AArch64 IC IVAU, Power
   * icbi): the engine discards translations of the code at the address in STATE_FAULT_ADDR.
   */
  FlushCode = 7,
}

/** Byte order of a memory access, applied once by the executors from the guest's context. */
export type Endian = 'little' | 'big';

export interface MemAccess {
  /** Bytes accessed: 1, 2, 4, 8 or 16. */
  size: 1 | 2 | 4 | 8 | 16;
  /** Sign-extend a narrow integer load to insn.type. */
  signed: boolean;
}
