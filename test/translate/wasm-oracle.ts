/**
 * Test support: V8's own WebAssembly as an oracle for the interpreter. Each op becomes a one-function
 * module, hand-assembled here, that loads its arguments from memory, applies the one instruction and
 * stores the result (memory rather than parameters, because v128 values cannot cross into JavaScript
 * and float NaN bits would not survive it).
 */
import type { ValType } from '../../src/translate/ir/ops';
import type { SimdOp } from '../../src/translate/ir/simd';

const LOAD: Record<ValType, number[]> = {
  i32: [0x28],
  i64: [0x29],
  f32: [0x2a],
  f64: [0x2b],
  v128: [0xfd, 0x00],
};
const STORE: Record<ValType, number[]> = {
  i32: [0x36],
  i64: [0x37],
  f32: [0x38],
  f64: [0x39],
  v128: [0xfd, 0x0b],
};
export const SIZE: Record<ValType, number> = { i32: 4, i64: 8, f32: 4, f64: 8, v128: 16 };

/** Argument i lives at ARG_STRIDE * i; the result at RESULT_AT. */
export const ARG_STRIDE = 16;
export const RESULT_AT = 64;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** i32.const of a small non-negative value (signed LEB128). */
function i32const(n: number): number[] {
  const out: number[] = [0x41];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const MEMARG = [0x00, 0x00];

export interface OracleRun {
  memory: Uint8Array;
  run(): void;
}

/** Instantiates a module applying the instruction `opcode` (with immediates) to arguments in its memory. */
export function wasmOracle(args: readonly ValType[], result: ValType, opcode: readonly number[]): OracleRun {
  const code: number[] = [...i32const(RESULT_AT)];
  args.forEach((type, i) => code.push(...i32const(ARG_STRIDE * i), ...LOAD[type], ...MEMARG));
  code.push(...opcode, ...STORE[result], ...MEMARG, 0x0b);
  const body = [0x00, ...code];
  const bytes = Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x02, 0x01, 0x66, 0x00, 0x00, 0x01, 0x6d, 0x02, 0x00]),
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const exports = instance.exports as { f: () => void; m: WebAssembly.Memory };
  return { memory: new Uint8Array(exports.m.buffer), run: exports.f };
}

/** The module computing vector op `op` (with lane immediate `lane`). */
export function simdOracle(op: SimdOp, lane?: number | Uint8Array): OracleRun {
  const imm = op.imm === 'lane' ? [lane as number] : op.imm === 'shuffle' ? [...(lane as Uint8Array)] : [];
  return wasmOracle(op.args, op.result, [0xfd, ...uleb(op.code), ...imm]);
}
