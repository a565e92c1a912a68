/**
 * Test support: runs short A64 FP/SIMD snippets under qemu-aarch64 and through tsemu's frontend and
 * WebAssembly backend from identical inputs (V0..V7, X0..X3, NZCV, FPCR) and returns both final
 * states as V0..V7, X0..X3, NZCV and FPSR.
 */
import { aarch64Frontend } from '../../src/translate/aarch64/frontend';
import { CF, FPCR, FPSR, NF, VF, ZF, vreg, xreg } from '../../src/translate/aarch64/state';
import { STATE_PC } from '../../src/translate/frontend';
import { TrapKind } from '../../src/translate/ir/ops';
import { interpretBlock } from '../../src/translate/interp/interpreter';
import { runBlockWasm } from '../../src/translate/wasm/run-once';
import { CODE_BASE, STATE, codeSource, testMemory } from '../aarch64-int/run-block';
import { assembleWords, preassemble, stdoutUnderQemu } from '../aarch64-int/toolchain';

export interface VecInput {
  /** V0..V7 as 128-bit values. */
  v: bigint[];
  /** X0..X3. */
  x: bigint[];
  nzcv: number;
  fpcr: number;
}

/** V0..V7, X0..X3, NZCV (bits 31:28), FPSR. */
export type VecOutput = bigint[];

const V_REGS = 8;
const X_REGS = 4;
const OUTPUT_QUADS = V_REGS * 2 + X_REGS + 2;

const M64 = (1n << 64n) - 1n;
const quad = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

/** Runs each snippet on each input under qemu-aarch64 -cpu max. */
export async function runQemuVec(snippets: readonly string[][], inputs: readonly VecInput[]): Promise<VecOutput[][]> {
  const body: string[] = [];
  const data: string[] = [];
  for (const snippet of snippets) {
    for (const input of inputs) {
      const vq = input.v.flatMap((v) => [v & M64, v >> 64n]);
      data.push(`.quad ${[...vq, ...input.x, BigInt(input.nzcv) << 28n, BigInt(input.fpcr)].map(quad).join(', ')}`);
      body.push(
        ...[0, 2, 4, 6].map((r) => `ldp q${r}, q${r + 1}, [x28], #32`),
        'ldp x0, x1, [x28], #16',
        'ldp x2, x3, [x28], #16',
        'ldp x8, x9, [x28], #16',
        'msr nzcv, x8',
        'msr fpcr, x9',
        'msr fpsr, xzr',
        ...snippet,
        'mrs x8, nzcv',
        'mrs x9, fpsr',
        ...[0, 2, 4, 6].map((r) => `stp q${r}, q${r + 1}, [x27], #32`),
        'stp x0, x1, [x27], #16',
        'stp x2, x3, [x27], #16',
        'stp x8, x9, [x27], #16',
      );
    }
  }
  const size = snippets.length * inputs.length * OUTPUT_QUADS * 8;
  const program = [
    '.text', '.global _start', '_start:',
    'adrp x28, inputs', 'add x28, x28, :lo12:inputs', 'adrp x27, outputs', 'add x27, x27, :lo12:outputs',
    ...body,
    'mov x0, #1', 'adrp x1, outputs', 'add x1, x1, :lo12:outputs',
    `movz x2, #${size & 0xffff}`, `movk x2, #${Math.floor(size / 65536)}, lsl #16`, 'mov x8, #64', 'svc #0',
    'mov x0, #0', 'mov x8, #93', 'svc #0',
    '.data', '.balign 16', 'inputs:', ...data,
    '.bss', '.balign 16', 'outputs:', `.skip ${size}`,
  ].join('\n');
  const out = await stdoutUnderQemu(program, 'armv8.2-a+fp16', 'max');
  let at = 0;
  return snippets.map(() =>
    inputs.map(() => {
      const q: bigint[] = [];
      for (let w = 0; w < OUTPUT_QUADS; w++, at += 8) q.push(out.readBigUInt64LE(at));
      return [
        ...Array.from({ length: V_REGS }, (_, r) => q[2 * r]! | (q[2 * r + 1]! << 64n)),
        ...q.slice(2 * V_REGS, 2 * V_REGS + X_REGS),
        q[2 * V_REGS + X_REGS]!,
        q[2 * V_REGS + X_REGS + 1]!,
      ];
    }),
  );
}

/** Runs one IR block on guest memory: the WebAssembly backend or the reference interpreter. */
export type BlockExecutor = typeof runBlockWasm;

/** The two executors every snippet must agree with qemu on. */
export const EXECUTORS: [string, BlockExecutor][] = [
  ['wasm', runBlockWasm],
  ['interpreter', interpretBlock],
];

/** Assembles all of a file's snippets for runTsemuVec at once (one assembler run instead of one per call). */
export function preassembleVec(snippets: readonly string[][]): void {
  preassemble(snippets, CODE_BASE);
}

/** Runs a snippet on each input through the A64 frontend and `execute` (the WebAssembly backend by default). */
export function runTsemuVec(snippet: readonly string[], inputs: readonly VecInput[], execute: BlockExecutor = runBlockWasm): VecOutput[] {
  const mem = testMemory();
  const view = mem.view;
  const words = assembleWords(snippet, CODE_BASE);
  const code = codeSource(words);
  const end = CODE_BASE + words.length * 4;
  return inputs.map((input) => {
    mem.u8.fill(0, STATE, STATE + 0x1000);
    input.v.forEach((v, r) => {
      view.setBigUint64(STATE + vreg(r), v & M64, true);
      view.setBigUint64(STATE + vreg(r) + 8, (v >> 64n) & M64, true);
    });
    input.x.forEach((v, r) => view.setBigUint64(STATE + xreg(r), BigInt.asUintN(64, v), true));
    [NF, ZF, CF, VF].forEach((slot, i) => view.setInt32(STATE + slot, (input.nzcv >> (3 - i)) & 1, true));
    view.setUint32(STATE + FPCR, input.fpcr, true);
    const flags = aarch64Frontend.translationFlags(view, STATE);
    let pc = CODE_BASE;
    for (let steps = 0; pc >= CODE_BASE && pc < end; steps++) {
      if (steps > words.length) throw new Error('snippet did not finish');
      const block = aarch64Frontend.translate(code, pc, { maxInsns: 64, flags });
      const status = execute(block, mem, STATE, 'little');
      if (status !== TrapKind.None && status !== TrapKind.Yield) throw new Error(`trap ${TrapKind[status]} at ${pc}`);
      pc = Number(view.getBigUint64(STATE + STATE_PC, true));
    }
    const nzcv = [NF, ZF, CF, VF].reduce((acc, slot, i) => acc | (BigInt(view.getInt32(STATE + slot, true)) << BigInt(31 - i)), 0n);
    return [
      ...Array.from(
        { length: V_REGS },
        (_, r) => view.getBigUint64(STATE + vreg(r), true) | (view.getBigUint64(STATE + vreg(r) + 8, true) << 64n),
      ),
      ...Array.from({ length: X_REGS }, (_, r) => view.getBigUint64(STATE + xreg(r), true)),
      nzcv,
      BigInt(view.getUint32(STATE + FPSR, true)),
    ];
  });
}

/** Float bit patterns worth testing: zeros, ones, NaNs (quiet, signalling, negative), infinities, tiny, huge. */
const F64_SPECIAL = [
  0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x4000000000000000n, 0x3fe0000000000000n,
  0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000123n, 0x7ff4000000000000n,
  0x0000000000000001n, 0x000fffffffffffffn, 0x7fefffffffffffffn, 0x3ff8000000000000n, 0x4330000000000001n,
  0xc3e0000000000000n, 0x43f0000000000000n, 0x3fd5555555555555n, 0x41dfffffffc00000n,
];
const F32_SPECIAL = [
  0n, 0x80000000n, 0x3f800000n, 0xbf800000n, 0x40000000n, 0x3f000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n,
  0xffc00123n, 0x7fa00000n, 0x00000001n, 0x007fffffn, 0x7f7fffffn, 0x3fc00000n, 0x4b000001n, 0xdf000000n,
  0x5f800000n, 0x3eaaaaabn, 0x4effffffn, 0x3fc00000n, 0xbfc00000n, 0x40200000n, 0x3ec00000n,
];

/** Deterministic inputs: lanes drawn from special float patterns, small integers and random bits. */
export function makeVecInputs(count: number, fpcr = 0, seed = 0x2545f491): VecInput[] {
  let s = BigInt(seed) | 1n;
  const next = (): bigint => {
    s ^= (s << 13n) & M64;
    s ^= s >> 7n;
    s ^= (s << 17n) & M64;
    return s;
  };
  const pick = <T>(list: readonly T[]): T => list[Number(next() % BigInt(list.length))]!;
  const half64 = (): bigint => {
    const kind = next() % 4n;
    if (kind === 0n) return pick(F64_SPECIAL);
    if (kind === 1n) return pick(F32_SPECIAL) | (pick(F32_SPECIAL) << 32n);
    if (kind === 2n) return next() & 0x00ff00ff7f7f0101n;
    return next();
  };
  return Array.from({ length: count }, () => ({
    v: Array.from({ length: V_REGS }, () => half64() | (half64() << 64n)),
    x: Array.from({ length: X_REGS }, () => (next() % 3n === 0n ? pick(F64_SPECIAL) : next() % 5n === 0n ? next() % 1000n : next())),
    nzcv: Number(next() & 15n),
    fpcr,
  }));
}

/** Differences between qemu and tsemu outputs for one snippet, as readable lines. */
export function describeMismatches(snippet: readonly string[], inputs: readonly VecInput[], want: VecOutput[], got: VecOutput[]): string[] {
  const names = [...Array.from({ length: V_REGS }, (_, r) => `v${r}`), 'x0', 'x1', 'x2', 'x3', 'nzcv', 'fpsr'];
  const out: string[] = [];
  want.forEach((w, i) => {
    w.forEach((value, k) => {
      if (value !== got[i]![k]) {
        const inV = inputs[i]!.v.map((v) => v.toString(16)).join(' ');
        out.push(`${snippet.join('; ')}: ${names[k]} qemu ${value.toString(16)} tsemu ${got[i]![k]!.toString(16)} (v: ${inV}; x: ${inputs[i]!.x.map((v) => v.toString(16)).join(' ')})`);
      }
    });
  });
  return out;
}
