/**
 * Execution of A64 loads and stores, structure loads, exclusives, ordered accesses and LSE atomics
 * through the frontend and both executors (WebAssembly backend, IR interpreter), compared with qemu-aarch64 (-cpu max) on the
 * same registers and memory: X0..X7, the base register X9, the 256-byte buffer and V0..V31.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXECUTORS, makeMemInputs, preassembleMem, qemuSignal, runQemuMem, runTsemuMem, type Executor, type MemOutput } from './memory-differential';

const one = (lines: string[]): string[][] => lines.map((l) => [l]);

const SINGLE = [
  ...one([
    'ldr x0, [x9]', 'ldr x0, [x9, #8]', 'ldr w0, [x9, #4]', 'ldrb w0, [x9, #3]', 'ldrh w0, [x9, #6]',
    'ldrsb x0, [x9, #1]', 'ldrsb w0, [x9, #2]', 'ldrsh x0, [x9, #2]', 'ldrsh w0, [x9, #4]', 'ldrsw x0, [x9, #8]',
    'ldur x0, [x9, #-3]', 'ldursw x0, [x9, #-5]', 'ldursb w0, [x9, #-1]', 'stur w1, [x9, #-7]', 'str x1, [x9, #16]',
    'strb w1, [x9, #1]', 'sturh w1, [x9, #-2]', 'strh w1, [x9, #126]', 'str wzr, [x9, #4]',
    'ldr x0, [x9], #8', 'ldr x0, [x9, #-16]!', 'str x1, [x9], #-8', 'str w1, [x9, #4]!', 'ldrsb x0, [x9, #-128]!',
    'ldr x9, [x9], #8', 'ldr x9, [x9, #8]!',
    'ldtrsh x0, [x9, #3]', 'sttr x1, [x9, #-9]', 'ldtrb w0, [x9, #127]', 'sttrh w1, [x9]',
    'prfm pldl1keep, [x9, #64]', 'prfum pstl2strm, [x9, #-3]',
  ]),
  // A stored base register holds its value from before the write-back (what it held is made relative).
  ['str x9, [x9, #8]!', 'ldr x0, [x9]', 'sub x0, x0, x9', 'str xzr, [x9]'],
  ['str x9, [x9], #-8', 'ldr x0, [x9, #8]', 'sub x0, x0, x9', 'str xzr, [x9, #8]'],
  ['strb w9, [x9, #-1]!', 'ldrb w0, [x9]', 'sub w0, w0, w9', 'and w0, w0, #0xff', 'strb wzr, [x9]'],
  ['mov x2, #3', 'ldr x0, [x9, x2, lsl #3]'],
  ['mov x2, #-2', 'ldrsh x0, [x9, w2, sxtw #1]'],
  ['mov x2, #5', 'orr x2, x2, #0xffffffff00000000', 'ldrb w0, [x9, w2, uxtw]'],
  ['mov x2, #-2', 'str q0, [x9, x2, lsl #4]'],
  ['mov x2, #-17', 'ldr w0, [x9, x2, sxtx]'],
  ['mov x2, #5', 'ldrsw x0, [x9, w2, uxtw #2]'],
  ['mov x2, #1', 'prfm pldl3keep, [x9, x2]'],
  ['ldr x0, 1f', 'ldrsw x1, 2f', 'ldr w2, 2f', 'ldr q3, 1f', 'ldr s4, 2f', 'ldr d5, 1f', 'b 3f', '1: .quad 0x1122334455667788, 0x99aabbccddeeff00', '2: .word 0x80000001', '3:'],
  ['prfm plil1keep, .+64'],
];

const PAIRS = [
  ['stp x9, x1, [x9, #-16]!', 'ldr x0, [x9]', 'sub x0, x0, x9', 'str xzr, [x9]'],
  ...one([
  'ldp x0, x1, [x9, #-16]', 'ldp w0, w1, [x9, #8]', 'ldpsw x0, x1, [x9, #-8]', 'stp x1, x2, [x9, #-64]!',
  'ldp x0, x1, [x9], #32', 'stnp w1, w2, [x9, #4]', 'ldnp x0, x1, [x9, #-120]', 'ldnp q0, q1, [x9, #-32]',
  'stp q2, q3, [x9, #32]', 'ldp s0, s1, [x9, #4]', 'ldp d0, d1, [x9], #-16',
  'stp s30, s31, [x9, #-128]!', 'ldp q30, q31, [x9, #96]', 'stnp d2, d3, [x9, #-8]', 'ldp x0, x0, [x9]', 'stp wzr, w1, [x9]',
  ]),
];

const SIMD_SCALAR = [
  ...one([
    'ldr b0, [x9, #1]', 'ldr h1, [x9, #2]', 'ldr s2, [x9, #4]', 'ldr d3, [x9, #8]', 'ldr q4, [x9, #16]',
    'str b5, [x9, #3]', 'stur h5, [x9, #-2]', 'str s5, [x9]', 'stur d6, [x9, #-8]', 'str q7, [x9], #-16',
    'ldur q8, [x9, #-1]', 'ldr d9, [x9, #-8]!', 'ldr b10, [x9], #1',
  ]),
  ['mov sp, x9', 'ldr x0, [sp, #8]!', 'stp x1, x2, [sp, #-32]!', 'ldr q0, [sp], #16', 'mov x9, sp'],
];

const STRUCTURES = [
  ...one([
    'ld1 {v0.16b}, [x9]', 'ld1 {v0.8b, v1.8b}, [x9]', 'ld1 {v1.4s, v2.4s, v3.4s}, [x9]', 'ld1 {v4.2d-v7.2d}, [x9], #64',
    'ld2 {v0.8h, v1.8h}, [x9]', 'ld3 {v0.4s-v2.4s}, [x9]', 'ld3 {v0.8b-v2.8b}, [x9]', 'ld4 {v0.16b-v3.16b}, [x9]',
    'ld4 {v4.4h-v7.4h}, [x9], #32', 'ld4 {v30.2d, v31.2d, v0.2d, v1.2d}, [x9]', 'ld2 {v0.2s, v1.2s}, [x9]',
    'ld3 {v29.2d, v30.2d, v31.2d}, [x9]', 'ld1 {v0.1d-v3.1d}, [x9], #32',
    'st1 {v0.16b}, [x9]', 'st1 {v1.8b-v3.8b}, [x9]', 'st2 {v0.4s, v1.4s}, [x9]', 'st2 {v2.8b, v3.8b}, [x9], #16',
    'st3 {v0.8h-v2.8h}, [x9]', 'st3 {v0.2s-v2.2s}, [x9]', 'st4 {v0.16b-v3.16b}, [x9]', 'st4 {v4.4h-v7.4h}, [x9], #32',
    'st1 {v0.1d-v3.1d}, [x9]', 'st3 {v31.16b, v0.16b, v1.16b}, [x9], #48', 'st2 {v0.2d, v1.2d}, [x9]',
    'ld1 {v0.b}[13], [x9]', 'ld1 {v1.h}[5], [x9], #2', 'ld2 {v2.s, v3.s}[3], [x9]', 'ld3 {v4.d, v5.d, v6.d}[1], [x9]',
    'st1 {v0.s}[2], [x9]', 'st2 {v0.h, v1.h}[7], [x9], #4', 'st3 {v0.b-v2.b}[0], [x9]', 'st4 {v0.d-v3.d}[1], [x9]',
    'ld1r {v0.8b}, [x9]', 'ld1r {v0.4s}, [x9], #4', 'ld2r {v0.8h, v1.8h}, [x9]', 'ld3r {v0.1d-v2.1d}, [x9]',
    'ld4r {v0.2s-v3.2s}, [x9]', 'ld4r {v31.16b, v0.16b, v1.16b, v2.16b}, [x9], #4', 'ld1 {v8.d}[0], [x9]',
  ]),
  ['mov x2, #-40', 'ld2 {v0.8b, v1.8b}, [x9], x2'],
  ['mov x2, #-3', 'ld4 {v0.b-v3.b}[9], [x9], x2'],
  ['mov x2, #7', 'st1 {v0.16b, v1.16b}, [x9], x2'],
];

const EXCLUSIVES = [
  ['ldxr x0, [x9]', 'stxr w2, x1, [x9]'],
  ['ldaxrb w0, [x9]', 'stlxrb w2, w1, [x9]'],
  ['add x10, x9, #2', 'ldxrh w0, [x10]', 'stxrh w2, w1, [x10]'],
  ['ldxr w0, [x9]', 'stlxr w2, w1, [x9]'],
  ['add x10, x9, #8', 'ldxr x0, [x9]', 'stxr w2, x1, [x10]'],
  ['stxr w2, x1, [x9]'],
  ['ldxr x0, [x9]', 'str x1, [x9]', 'stxr w2, x4, [x9]'],
  ['ldxr x0, [x9]', 'stxr w2, x1, [x9]', 'stxr w3, x4, [x9]'],
  ['ldxr x0, [x9]', 'clrex', 'stxr w2, x1, [x9]'],
  ['ldxp x0, x1, [x9]', 'stxp w2, x3, x4, [x9]'],
  ['ldaxp w0, w1, [x9]', 'stlxp w2, w3, w4, [x9]'],
  ['ldxp x0, x1, [x9]', 'stp x5, x6, [x9]', 'stxp w2, x3, x4, [x9]'],
  ['mov x10, x9', 'ldxr x0, [x10]', 'stxr w10, x1, [x10]', 'mov x2, x10'],
  ...one([
    'ldar x0, [x9]', 'ldarb w0, [x9]', 'ldarh w0, [x9]', 'ldar w0, [x9]', 'stlr w1, [x9]', 'stlrh w1, [x9]',
    'stlr x1, [x9]', 'ldlar x0, [x9]', 'stllrb w1, [x9]', 'ldapr w0, [x9]', 'ldaprb w0, [x9]', 'ldapr x0, [x9]',
  ]),
];

const ATOMIC_OPS = ['add', 'clr', 'eor', 'set', 'smax', 'smin', 'umax', 'umin'];
const SIZES: [string, string][] = [
  ['b', 'w'],
  ['h', 'w'],
  ['', 'w'],
  ['', 'x'],
];
const ORDER = ['', 'a', 'l', 'al'];
const ATOMICS = [
  ...ATOMIC_OPS.flatMap((op, i) =>
    SIZES.map(([suffix, r], j) => [`ld${op}${ORDER[(i + j) % 4]}${suffix} ${r}1, ${r}0, [x9]`]),
  ),
  ...SIZES.map(([suffix, r], j) => [`swp${ORDER[j]}${suffix} ${r}1, ${r}0, [x9]`]),
  ['stadd x1, [x9]'], ['stsmaxh w1, [x9]'], ['stuminlb w1, [x9]'], ['steor w1, [x9]'],
  ['swp x0, x0, [x9]'],
  ['ldumax x0, x0, [x9]'],
  ...SIZES.map(([suffix, r], j) => [`cas${ORDER[j]}${suffix} ${r}0, ${r}1, [x9]`]),
  ...SIZES.map(([suffix, r], j) => [`ldr${suffix} ${r}0, [x9]`, `cas${ORDER[3 - j]}${suffix} ${r}0, ${r}1, [x9]`]),
  ['ldp x0, x1, [x9]', 'casp x0, x1, x2, x3, [x9]'],
  ['caspal x4, x5, x2, x3, [x9]'],
  ['ldr x0, [x9]', 'caspa x0, x1, x2, x3, [x9]'],
  ['ldp w4, w5, [x9]', 'caspl w4, w5, w0, w1, [x9]'],
  ['casp w4, w5, w0, w1, [x9]'],
];

const GROUPS: Record<string, string[][]> = {
  'single registers': SINGLE,
  pairs: PAIRS,
  'SIMD&FP registers': SIMD_SCALAR,
  'structures': STRUCTURES,
  'exclusive and ordered': EXCLUSIVES,
  'LSE atomics': ATOMICS,
};

const INPUTS = makeMemInputs(3);

describe('A64 loads and stores against qemu-aarch64', () => {
  const expected = new Map<string, MemOutput[]>();
  beforeAll(async () => {
    const all = Object.values(GROUPS).flat();
    preassembleMem(all);
    (await runQemuMem(all, INPUTS)).forEach((out, i) => expected.set(all[i]!.join('; '), out));
  });

  for (const [group, snippets] of Object.entries(GROUPS)) {
    it.each(Object.keys(EXECUTORS) as Executor[])(`${group} (%s)`, (executor) => {
      for (const snippet of snippets) {
        const name = snippet.join('; ');
        const got = runTsemuMem(snippet, INPUTS, executor);
        got.forEach((out, i) => expect({ name, input: i, ...out }).toEqual({ name, input: i, ...expected.get(name)![i] }));
      }
    });
  }
});

/** Misaligned exclusive, ordered and atomic accesses: SIGBUS under qemu, an Alignment trap in tsemu. */
const MISALIGNED = [
  ['add x10, x9, #4', 'ldxr x0, [x10]'],
  ['add x10, x9, #1', 'ldaxrh w0, [x10]'],
  ['add x10, x9, #8', 'ldxp x0, x1, [x10]'],
  ['add x10, x9, #2', 'ldar w0, [x10]'],
  ['add x10, x9, #1', 'stlrh w0, [x10]'],
  ['add x10, x9, #4', 'ldadd x0, x1, [x10]'],
  ['add x10, x9, #3', 'ldsmaxh w0, w1, [x10]'],
  ['add x10, x9, #2', 'cas w0, w1, [x10]'],
  ['add x10, x9, #8', 'casp x0, x1, x2, x3, [x10]'],
];

describe('A64 alignment faults against qemu-aarch64', () => {
  for (const snippet of MISALIGNED) {
    const name = snippet.join('; ');
    it(name, () => {
      expect(qemuSignal(snippet)).toBe('SIGBUS');
      for (const executor of Object.keys(EXECUTORS) as Executor[]) {
        expect(() => runTsemuMem(snippet, makeMemInputs(1), executor)).toThrow(/trap Alignment/);
      }
    });
  }
});
