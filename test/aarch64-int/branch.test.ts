/**
 * Branches that leave the snippet (so qemu comparisons cannot observe them): targets and link
 * register values as the ARM ARM defines them (BL/BLR write the address of the next instruction).
 */
import { describe, expect, it } from 'vitest';
import { TrapKind } from '../../src/translate/ir/ops';
import { CODE_BASE, codeSource, reg, resetState, runBlockAt, statePc } from './run-block';
import { assembleWords } from './toolchain';

const TARGET = 0x123450n;

const CASES: [string, number, bigint | undefined][] = [
  ['b .+0x1000', CODE_BASE + 0x1000, undefined],
  ['b .-0x8000', CODE_BASE - 0x8000, undefined],
  ['bl .+0x40', CODE_BASE + 0x40, BigInt(CODE_BASE + 4)],
  ['br x1', Number(TARGET), undefined],
  ['blr x1', Number(TARGET), BigInt(CODE_BASE + 4)],
  ['ret x1', Number(TARGET), undefined],
  ['ret', 0x777770, undefined],
];

describe('A64 branches leaving the block', () => {
  it.each(CASES)('%s', (src, pc, link) => {
    resetState({ 1: TARGET, 30: 0x777770n });
    expect(runBlockAt(codeSource(assembleWords([src], CODE_BASE)), CODE_BASE)).toBe(TrapKind.None);
    expect(statePc()).toBe(pc);
    expect(reg(30)).toBe(link ?? 0x777770n);
  });

  it('blr x30 jumps to the old X30 and then links', () => {
    resetState({ 30: TARGET });
    runBlockAt(codeSource(assembleWords(['blr x30'], CODE_BASE)), CODE_BASE);
    expect(statePc()).toBe(Number(TARGET));
    expect(reg(30)).toBe(BigInt(CODE_BASE + 4));
  });
});
