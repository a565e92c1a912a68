/**
 * System instructions whose results no qemu comparison pins down: the feature fields of
 * ID_AA64ISAR0_EL1 (ours differ from Cortex-A57's on purpose), the virtual counter, DC ZVA's
 * effect on memory, and the block endings FPCR writes and IC IVAU need (IC IVAU's also names the
 * code to discard, which test/processes' dual_map_jit checks against the native kernel).
 */
import { describe, expect, it } from 'vitest';
import { TrapKind } from '../../src/translate/ir/ops';
import { CODE_BASE, codeSource, reg, resetState, runBlockAt, testMemory } from './run-block';
import { assembleWords, decodeWord } from './toolchain';

const memory = testMemory();

/** Runs `lines` as one block at CODE_BASE with X registers from `x`. */
function run(lines: string[], x: Record<number, bigint> = {}): { status: TrapKind; reg: (n: number) => bigint } {
  resetState(x);
  return { status: runBlockAt(codeSource(assembleWords(lines, CODE_BASE)), CODE_BASE), reg };
}

const field = (v: bigint, lsb: number): number => Number((v >> BigInt(lsb)) & 15n);

describe('A64 system instructions', () => {
  it('ID_AA64ISAR0_EL1 reports AES with PMULL, SHA1, SHA512, CRC32, LSE atomics and SHA3, not SM3/SM4 (ARM ARM field encodings)', () => {
    const isar0 = run(['mrs x0, id_aa64isar0_el1']).reg(0);
    expect(field(isar0, 4)).toBe(2); // AES with PMULL
    expect(field(isar0, 8)).toBe(1); // SHA1
    expect(field(isar0, 12)).toBe(2); // SHA2: SHA256 and SHA512
    expect(field(isar0, 16)).toBe(1); // CRC32
    expect(field(isar0, 20)).toBe(2); // Atomic: LSE
    expect(field(isar0, 32)).toBe(1); // SHA3
    for (const lsb of [36, 40]) expect(field(isar0, lsb)).toBe(0); // SM3, SM4
  });

  it('CNTVCT_EL0 counts at CNTFRQ_EL0 ticks per second', async () => {
    const first = run(['mrs x0, cntvct_el0', 'mrs x1, cntfrq_el0']);
    const [t0, hz] = [first.reg(0), first.reg(1)];
    const start = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const t1 = run(['mrs x0, cntvct_el0']).reg(0);
    const elapsedNs = process.hrtime.bigint() - start;
    const ticks = Number(t1 - t0);
    const expected = (Number(elapsedNs) * Number(hz)) / 1e9;
    expect(ticks).toBeGreaterThan(0);
    expect(Math.abs(ticks - expected) / expected).toBeLessThan(0.5);
  });

  it('DC ZVA zeroes the aligned 64-byte block (DCZID_EL0.BS = 4) and nothing else', () => {
    const page = 0x200000;
    memory.setFlags(page, 0x1000, 0);
    memory.u8.fill(0xaa, page, page + 0x1000);
    const { status, reg } = run(['dc zva, x1', 'mrs x0, dczid_el0'], { 1: BigInt(page + 0x125) });
    expect(status).toBe(TrapKind.None);
    expect(4 << Number(reg(0) & 15n)).toBe(64);
    const bytes = memory.u8.subarray(page, page + 0x1000);
    expect(bytes.slice(0x100, 0x140).every((b) => b === 0)).toBe(true);
    expect(bytes[0xff]).toBe(0xaa);
    expect(bytes[0x140]).toBe(0xaa);
  });

  it.each([
    ['msr fpcr, x0', TrapKind.Yield],
    ['ic ivau, x0', TrapKind.FlushCode],
  ])('%s ends the block with a %s exit to the next instruction', (src, kind) => {
    const [word] = assembleWords([src]);
    const { ctx } = decodeWord(word!, 0x1000);
    expect(ctx.ended).toBe(true);
    const exit = ctx.b.insns.at(-1)!;
    expect(exit.op).toBe('exit');
    expect(exit.imm).toBe(kind);
    const target = ctx.b.insns.find((i) => i.dst === exit.args[0]);
    expect(target?.imm).toBe(0x1004n);
  });
});
