/**
 * Test support: runs short A64 snippets under qemu-aarch64 and through tsemu's frontend and
 * WebAssembly backend from identical register inputs, and returns both final states.
 *
 * The qemu side is one static program: per (snippet, input) it loads X0..X7 and NZCV from a data
 * table, runs the snippet, and stores X0..X7, NZCV and a "branch taken" word. A snippet's branch
 * target is its end + 8 (write `.+12` for a single instruction), where the program sets the word.
 */
import { CF, NF, VF, ZF } from '../../src/translate/aarch64/state';
import { TrapKind } from '../../src/translate/ir/ops';
import { CODE_BASE, STATE, codeSource, reg, resetState, runBlockAt, statePc, testMemory } from './run-block';
import { assembleWords, preassemble, stdoutUnderQemu } from './toolchain';

export interface RegInput {
  /** X0..X7. */
  x: bigint[];
  /** NZCV in bits 3:0. */
  nzcv: number;
}

/** X0..X7, NZCV (bits 31:28) and whether the snippet's branch was taken. */
export type RegOutput = bigint[];

const OUTPUT_WORDS = 10;

/** Interesting 64-bit values mixed with pseudo-random ones from a fixed seed. */
export function makeInputs(count: number, seed = 0x9e3779b9): RegInput[] {
  let s = BigInt(seed) | 1n;
  const next = (): bigint => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return s;
  };
  const special = [0n, 1n, 2n, 31n, 63n, 0xffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
    0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffffen, 0x123456789abcdef0n];
  const inputs: RegInput[] = [];
  for (let i = 0; i < count; i++) {
    const x = Array.from({ length: 8 }, () => {
      const r = next();
      return r % 3n === 0n ? special[Number(r % BigInt(special.length))]! : r;
    });
    inputs.push({ x, nzcv: Number(next() & 15n) });
  }
  return inputs;
}

const quad = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

/** Runs every snippet on every input under qemu-aarch64 (-cpu cortex-a57). */
export async function runQemu(snippets: readonly string[][], inputs: readonly RegInput[]): Promise<RegOutput[][]> {
  const body: string[] = [];
  const data: string[] = [];
  for (const snippet of snippets) {
    for (const input of inputs) {
      data.push(`.quad ${[...input.x, BigInt(input.nzcv) << 28n].map(quad).join(', ')}`);
      body.push(
        'ldp x0, x1, [x28], #16', 'ldp x2, x3, [x28], #16', 'ldp x4, x5, [x28], #16', 'ldp x6, x7, [x28], #16',
        'ldr x8, [x28], #8', 'msr nzcv, x8', 'mov x9, #0', 'msr fpcr, xzr', 'msr fpsr, xzr',
        ...snippet,
        'b 1f', 'nop', 'mov x9, #1', '1:', 'mrs x8, nzcv',
        'stp x0, x1, [x27], #16', 'stp x2, x3, [x27], #16', 'stp x4, x5, [x27], #16', 'stp x6, x7, [x27], #16',
        'stp x8, x9, [x27], #16',
      );
    }
  }
  const size = snippets.length * inputs.length * OUTPUT_WORDS * 8;
  const program = [
    '.text', '.global _start', '_start:', 'ldr x28, =inputs', 'ldr x27, =outputs',
    ...body,
    'mov x0, #1', 'ldr x1, =outputs', `ldr x2, =${size}`, 'mov x8, #64', 'svc #0',
    'mov x0, #0', 'mov x8, #93', 'svc #0', '.ltorg',
    '.data', '.balign 8', 'inputs:', ...data,
    '.bss', '.balign 16', 'outputs:', `.skip ${size}`,
  ].join('\n');
  const out = await stdoutUnderQemu(program, 'armv8.2-a+crc+lse', 'cortex-a57');
  const results: RegOutput[][] = [];
  let at = 0;
  for (let s = 0; s < snippets.length; s++) {
    const rows: RegOutput[] = [];
    for (let i = 0; i < inputs.length; i++) {
      const row: bigint[] = [];
      for (let w = 0; w < OUTPUT_WORDS; w++, at += 8) row.push(out.readBigUInt64LE(at));
      rows.push(row);
    }
    results.push(rows);
  }
  return results;
}

/** Assembles all of a file's snippets for runTsemu at once (one assembler run instead of one per call). */
export function preassembleInt(snippets: readonly string[][]): void {
  preassemble(snippets, CODE_BASE);
}

/** Runs a snippet on each input through the A64 frontend and the WebAssembly backend. */
export function runTsemu(snippet: readonly string[], inputs: readonly RegInput[]): RegOutput[] {
  return runTsemuWords(assembleWords(snippet, CODE_BASE), inputs);
}

/** runTsemu for an already assembled snippet (position-independent code, or assembled at CODE_BASE). */
export function runTsemuWords(words: readonly number[], inputs: readonly RegInput[]): RegOutput[] {
  const view = testMemory().view;
  const code = codeSource(words);
  const end = CODE_BASE + words.length * 4;
  return inputs.map((input) => {
    resetState(Object.fromEntries(input.x.map((v, i) => [i, v])));
    [NF, ZF, CF, VF].forEach((slot, i) => view.setInt32(STATE + slot, (input.nzcv >> (3 - i)) & 1, true));
    let pc = CODE_BASE;
    for (let steps = 0; pc >= CODE_BASE && pc < end; steps++) {
      if (steps > words.length) throw new Error('snippet did not finish');
      const status = runBlockAt(code, pc);
      // Yield and FlushCode ask the engine to act between blocks: there is none here, nor translations to discard.
      const goesOn = status === TrapKind.None || status === TrapKind.Yield || status === TrapKind.FlushCode;
      if (!goesOn) throw new Error(`trap ${TrapKind[status]} at ${pc}`);
      pc = statePc();
    }
    const flags = [NF, ZF, CF, VF].reduce((acc, slot, i) => acc | (BigInt(view.getInt32(STATE + slot, true)) << BigInt(31 - i)), 0n);
    return [...input.x.map((_, i) => reg(i)), flags, pc === end + 8 ? 1n : 0n];
  });
}
