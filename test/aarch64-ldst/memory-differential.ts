/**
 * Test support: runs short A64 snippets that access memory under qemu-aarch64 and through tsemu's
 * frontend and WebAssembly backend from identical inputs, and returns both final states.
 *
 * A snippet starts with X0..X7 from the input, X9 pointing at the middle of a 256-byte buffer
 * filled with the input's bytes, V0..V31 loaded from those bytes (V16..V31 repeat V0..V15) and the
 * exclusive monitor clear. It may use X0..X25, V0..V31 and SP (restored afterwards), and must keep
 * addresses out of X0..X7 and the buffer. The result is X0..X7, X9 relative to the buffer, the
 * buffer and V0..V31. The code is in guest memory too, for PC-relative literal loads.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXCL_ADDR, vreg, xreg } from '../../src/translate/aarch64/state';
import { aarch64Frontend } from '../../src/translate/aarch64/frontend';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import { TrapKind } from '../../src/translate/ir/ops';
import { runBlockWasm } from '../../src/translate/wasm/run-once';
import { CODE_BASE, STATE, codeSource, reg, resetState, statePc, testMemory } from '../aarch64-int/run-block';
import { assembleWords, preassemble, stdoutUnderQemu, withTempDir } from '../aarch64-int/toolchain';

export const BUFFER_SIZE = 256;
/** Where tsemu places the buffer (any mapped page would do). */
const BUFFER = 0x300000;
/** Assembler features beyond the default ARMv8.2 + CRC + LSE: LDAPR. */
const EXTENSIONS = '.arch_extension rcpc';

export interface MemInput {
  /** X0..X7. */
  x: bigint[];
  /** The buffer's initial contents. */
  bytes: Uint8Array;
}

export interface MemOutput {
  x: string[];
  /** X9 minus the buffer's start. */
  base: bigint;
  buffer: string;
  v: string[];
}

/** Pseudo-random inputs from a fixed seed, with pointer-free register values. */
export function makeMemInputs(count: number, seed = 0x51ed270b): MemInput[] {
  let s = BigInt(seed) | 1n;
  const next = (): bigint => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return s;
  };
  return Array.from({ length: count }, () => ({
    x: Array.from({ length: 8 }, next),
    bytes: Uint8Array.from({ length: BUFFER_SIZE }, () => Number(next() & 0xffn)),
  }));
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const OUTPUT_SIZE = 80 + BUFFER_SIZE + 32 * 16;

function parseOutput(out: Buffer): MemOutput {
  const x = Array.from({ length: 8 }, (_, i) => out.readBigUInt64LE(i * 8).toString(16));
  const v = Array.from({ length: 32 }, (_, i) => hex(out.subarray(80 + BUFFER_SIZE + i * 16, 96 + BUFFER_SIZE + i * 16)));
  return { x, base: out.readBigInt64LE(64), buffer: hex(out.subarray(80, 80 + BUFFER_SIZE)), v };
}

/** Runs every snippet on every input under qemu-aarch64 -cpu max (LSE and RCpc included). */
export async function runQemuMem(snippets: readonly string[][], inputs: readonly MemInput[]): Promise<MemOutput[][]> {
  const body: string[] = [];
  const data: string[] = [];
  const loadV = (first: number): string => `ld1 {v${first}.16b-v${first + 3}.16b}, [x11], #64`;
  const storeV = (first: number): string => `st1 {v${first}.16b-v${first + 3}.16b}, [x27], #64`;
  for (const snippet of snippets) {
    for (const input of inputs) {
      data.push(`.quad ${input.x.map((v) => `0x${v.toString(16)}`).join(', ')}`, `.byte ${[...input.bytes].join(', ')}`);
      body.push(
        'ldr x10, =buffer', 'add x11, x28, #64', 'mov x12, #256',
        '8:', 'ldp x13, x14, [x11], #16', 'stp x13, x14, [x10], #16', 'subs x12, x12, #16', 'b.ne 8b',
        'sub x11, x11, #256', loadV(0), loadV(4), loadV(8), loadV(12),
        'sub x11, x11, #256', loadV(16), loadV(20), loadV(24), loadV(28),
        'ldp x0, x1, [x28]', 'ldp x2, x3, [x28, #16]', 'ldp x4, x5, [x28, #32]', 'ldp x6, x7, [x28, #48]',
        'add x28, x28, #320', 'ldr x9, =buffer + 128', 'clrex',
        ...snippet,
        'mov sp, x26',
        'stp x0, x1, [x27], #16', 'stp x2, x3, [x27], #16', 'stp x4, x5, [x27], #16', 'stp x6, x7, [x27], #16',
        'ldr x10, =buffer', 'sub x9, x9, x10', 'stp x9, xzr, [x27], #16', 'mov x12, #256',
        '9:', 'ldp x13, x14, [x10], #16', 'stp x13, x14, [x27], #16', 'subs x12, x12, #16', 'b.ne 9b',
        ...[0, 4, 8, 12, 16, 20, 24, 28].map(storeV),
        'b 7f', '.ltorg', '7:',
      );
    }
  }
  const size = snippets.length * inputs.length * OUTPUT_SIZE;
  const program = [
    EXTENSIONS, '.text', '.global _start', '_start:', 'ldr x28, =inputs', 'ldr x27, =outputs', 'mov x26, sp',
    ...body,
    'mov x0, #1', 'ldr x1, =outputs', `ldr x2, =${size}`, 'mov x8, #64', 'svc #0',
    'mov x0, #0', 'mov x8, #93', 'svc #0', '.ltorg',
    '.data', '.balign 16', 'inputs:', ...data,
    '.bss', '.balign 16', 'buffer:', `.skip ${BUFFER_SIZE}`, 'outputs:', `.skip ${size}`,
  ].join('\n');
  const out = await stdoutUnderQemu(program, 'armv8.2-a+crc+lse', 'max');
  let at = 0;
  return snippets.map(() =>
    inputs.map(() => {
      const result = parseOutput(out.subarray(at, at + OUTPUT_SIZE));
      at += OUTPUT_SIZE;
      return result;
    }),
  );
}

/** The two executors of IR blocks, which must agree with each other and with qemu. */
export const EXECUTORS = { wasm: runBlockWasm, interpreter: interpretBlock } as const;
export type Executor = keyof typeof EXECUTORS;

/** Assembles all of a file's snippets for runTsemuMem at once (one assembler run instead of one per call). */
export function preassembleMem(snippets: readonly string[][]): void {
  preassemble(snippets.map((snippet) => [EXTENSIONS, ...snippet]), CODE_BASE);
}

/** Runs a snippet on each input through the A64 frontend and `executor`. */
export function runTsemuMem(snippet: readonly string[], inputs: readonly MemInput[], executor: Executor = 'wasm'): MemOutput[] {
  const words = assembleWords([EXTENSIONS, ...snippet], CODE_BASE);
  const mem = testMemory();
  mem.setFlags(BUFFER, 0x1000, 0);
  mem.setFlags(CODE_BASE, words.length * 4, 0);
  words.forEach((w, i) => mem.view.setUint32(CODE_BASE + i * 4, w, true));
  const code = codeSource(words);
  const end = CODE_BASE + words.length * 4;
  return inputs.map((input) => {
    resetState(Object.fromEntries([...input.x.map((v, i) => [i, v] as const), [9, BigInt(BUFFER + 128)]]));
    mem.view.setBigInt64(STATE + EXCL_ADDR, -1n, true);
    mem.u8.set(input.bytes, BUFFER);
    for (let n = 0; n < 32; n++) mem.u8.set(input.bytes.subarray((n % 16) * 16, (n % 16) * 16 + 16), STATE + vreg(n));
    let pc = CODE_BASE;
    for (let steps = 0; pc >= CODE_BASE && pc < end; steps++) {
      if (steps > words.length * 4) throw new Error('snippet did not finish');
      const block = aarch64Frontend.translate(code, pc, { maxInsns: 64, flags: 0 });
      const status = EXECUTORS[executor](block, mem, STATE, 'little');
      if (status !== TrapKind.None && status !== TrapKind.Yield) throw new Error(`${snippet.join('; ')}: trap ${TrapKind[status]} at ${statePc().toString(16)}`);
      pc = statePc();
    }
    const out = Buffer.alloc(OUTPUT_SIZE);
    for (let i = 0; i < 8; i++) out.writeBigUInt64LE(reg(i), i * 8);
    out.writeBigInt64LE(mem.view.getBigInt64(STATE + xreg(9), true) - BigInt(BUFFER), 64);
    out.set(mem.u8.subarray(BUFFER, BUFFER + BUFFER_SIZE), 80);
    out.set(mem.u8.subarray(STATE + vreg(0), STATE + vreg(32)), 80 + BUFFER_SIZE);
    return parseOutput(out);
  });
}

/** The signal qemu-aarch64 -cpu max kills a program running `snippet` (X9 = a 16-byte aligned buffer) with, if any. */
export function qemuSignal(snippet: readonly string[]): string | undefined {
  const program = [
    EXTENSIONS, '.text', '.global _start', '_start:', 'ldr x9, =buffer', ...snippet,
    'mov x0, #0', 'mov x8, #93', 'svc #0', '.ltorg', '.bss', '.balign 16', 'buffer:', `.skip ${BUFFER_SIZE}`,
  ].join('\n');
  return withTempDir((dir) => {
    const src = path.join(dir, 'p.s');
    const exe = path.join(dir, 'p');
    writeFileSync(src, `${program}\n`);
    execFileSync('aarch64-linux-gnu-gcc', ['-march=armv8.2-a+crc+lse', '-nostdlib', '-static', '-o', exe, src], { stdio: 'pipe' });
    try {
      execFileSync('qemu-aarch64', ['-cpu', 'max', exe], { stdio: 'pipe' });
      return undefined;
    } catch (e) {
      return (e as { signal?: string }).signal ?? 'exit status';
    }
  });
}
