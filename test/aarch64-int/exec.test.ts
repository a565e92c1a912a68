/**
 * Execution of A64 integer, branch and system instructions through the frontend and the
 * WebAssembly backend, compared register for register (X0..X7, NZCV, branch taken) with
 * qemu-aarch64 on the same inputs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeInputs, preassembleInt, runQemu, runTsemu, runTsemuWords, type RegOutput } from './differential';
import { assembleWords } from './toolchain';

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

const one = (lines: string[]): string[][] => lines.map((l) => [l]);

const SNIPPETS: string[][] = [
  // PC-relative: made position-independent by subtracting the instruction's own address.
  ['adr x0, .+0x1235', 'adr x1, .-4', 'sub x0, x0, x1', 'mov x1, #0'],
  ['adr x0, .-0x100000', 'adr x1, .-4', 'sub x0, x0, x1', 'mov x1, #0'],
  ['adrp x0, .+0x12345000', 'adr x1, .-4', 'and x1, x1, #~0xfff', 'sub x0, x0, x1', 'mov x1, #0'],
  ['adrp x0, .-0x7ff000', 'adr x1, .-4', 'and x1, x1, #~0xfff', 'sub x0, x0, x1', 'mov x1, #0'],
  ...one([
    // Add/subtract immediate, flags.
    'add x0, x1, #4095', 'add w0, w1, #1, lsl #12', 'adds x0, x1, #1', 'adds w0, w1, #1', 'subs x0, x1, #1',
    'subs w0, w1, #4095', 'cmn x1, #7', 'cmp w1, #0', 'cmp x1, #0x800', 'sub w2, w3, #3',
    // Logical immediate.
    'and x0, x1, #0xff00ff00ff00ff00', 'orr w0, w1, #0x7fffffff', 'eor x0, x1, #0x5555555555555555',
    'ands x0, x1, #0x8000000000000001', 'ands w0, w1, #0xf0', 'tst w1, #0x80000000', 'mov w0, #0xffff0000',
    // Move wide.
    'movz x0, #0x1234, lsl #48', 'movn x0, #0x5, lsl #16', 'movn w0, #0x5, lsl #16', 'movk x0, #0xbeef, lsl #32',
    'movk w1, #0xbeef, lsl #16', 'mov x2, #-1', 'mov w3, #-2',
    // Bitfield and its aliases.
    'sbfx x0, x1, #3, #10', 'sbfx w0, w1, #31, #1', 'ubfx x0, x1, #60, #4', 'ubfx w0, w1, #0, #32',
    'sbfiz x0, x1, #4, #20', 'ubfiz w0, w1, #4, #8', 'ubfiz x0, x1, #63, #1', 'bfi x5, x6, #60, #4',
    'bfi w5, w6, #1, #31', 'bfxil x5, x6, #7, #57', 'bfxil w5, w6, #0, #31', 'bfc x5, #8, #8',
    'lsl x0, x1, #13', 'lsl w0, w1, #31', 'lsr x0, x1, #63', 'lsr w0, w1, #1', 'asr x0, x1, #7', 'asr w0, w1, #31',
    'sxtb x0, w1', 'sxth w0, w1', 'sxtw x0, w1', 'uxtb w0, w1', 'uxth w0, w1', 'sbfm x0, x1, #0, #63',
    'sbfm w0, w1, #5, #2', 'ubfm x0, x1, #62, #61', 'bfm x0, x1, #0, #63', 'bfm w0, w1, #31, #30',
    // Extract.
    'extr x0, x1, x2, #17', 'extr w0, w1, w2, #31', 'extr x0, x1, x2, #0', 'ror x0, x1, #5', 'ror w0, w1, #31',
    // Logical shifted register.
    'and x0, x1, x2, lsl #3', 'bic x0, x1, x2, lsr #60', 'orr w0, w1, w2, asr #7', 'orn w0, w1, w2, ror #31',
    'eor x0, x1, x2, ror #1', 'eon x0, x1, x2, asr #63', 'ands x0, x1, x2', 'ands w0, w1, w2, lsl #31',
    'bics w0, w1, w2', 'bics x0, x1, x2, lsr #1', 'mvn w0, w1', 'mov x0, x1', 'tst x1, x2',
    // Add/subtract shifted register.
    'add x0, x1, x2, lsl #63', 'adds x0, x1, x2', 'adds w0, w1, w2', 'subs x0, x1, x2, asr #5', 'subs w0, w1, w2, lsr #1',
    'sub w0, w1, w2, lsl #31', 'neg x0, x1', 'negs w0, w1', 'cmp x1, x2', 'cmn w1, w2',
    // Add/subtract extended register.
    'add x0, x1, w2, uxtb #4', 'add x0, x1, w2, sxth #1', 'sub x0, x1, w2, sxtw #2', 'adds x0, x1, w2, uxtw',
    'subs x0, x1, x2, sxtx #3', 'add w0, w1, w2, sxtb', 'cmp w3, w4, uxth #2', 'cmn x1, w2, sxtb',
    // Add/subtract with carry.
    'adc x0, x1, x2', 'adc w0, w1, w2', 'adcs x0, x1, x2', 'adcs w0, w1, w2', 'sbc x0, x1, x2', 'sbcs x0, x1, x2',
    'sbcs w0, w1, w2', 'ngcs x0, x1',
    // 1 source.
    'rbit x0, x1', 'rbit w0, w1', 'rev16 x0, x1', 'rev16 w0, w1', 'rev32 x0, x1', 'rev w0, w1', 'rev x0, x1',
    'clz x0, x1', 'clz w0, w1', 'cls x0, x1', 'cls w0, w1',
    // 2 source.
    'udiv x0, x1, x2', 'udiv w0, w1, w2', 'sdiv x0, x1, x2', 'sdiv w0, w1, w2', 'udiv x0, x1, xzr', 'sdiv w0, w1, wzr',
    'lslv x0, x1, x2', 'lslv w0, w1, w2', 'lsrv x0, x1, x2', 'lsrv w0, w1, w2', 'asrv x0, x1, x2', 'asrv w0, w1, w2',
    'rorv x0, x1, x2', 'rorv w0, w1, w2',
    'crc32b w0, w1, w2', 'crc32h w0, w1, w2', 'crc32w w0, w1, w2', 'crc32x w0, w1, x2',
    'crc32cb w0, w1, w2', 'crc32ch w0, w1, w2', 'crc32cw w0, w1, w2', 'crc32cx w0, w1, x2',
    // 3 source.
    'madd x0, x1, x2, x3', 'madd w0, w1, w2, w3', 'msub x0, x1, x2, x3', 'mneg w0, w1, w2', 'mul x0, x1, x2',
    'smaddl x0, w1, w2, x3', 'smsubl x0, w1, w2, x3', 'umaddl x0, w1, w2, x3', 'umsubl x0, w1, w2, x3',
    'smull x0, w1, w2', 'umull x0, w1, w2', 'smulh x0, x1, x2', 'umulh x0, x1, x2',
    // Conditional compare and select, every condition.
    ...CONDS.flatMap((c) => [
      `ccmp x1, x2, #0b1010, ${c}`, `ccmn w1, w2, #0b0101, ${c}`, `ccmp w1, #17, #0b1111, ${c}`,
      `ccmn x1, #3, #0, ${c}`, `csel x0, x1, x2, ${c}`, `csinc w0, w1, w2, ${c}`, `csinv x0, x1, x2, ${c}`,
      `csneg w0, w1, w2, ${c}`, `b.${c} .+12`,
    ]),
    'cset x0, hi', 'csetm w0, lt', 'cinc x0, x1, ge',
    // Branches: taken when the target (.+12) is reached.
    'cbz x1, .+12', 'cbz w1, .+12', 'cbnz x1, .+12', 'cbnz w1, .+12', 'tbz x1, #0, .+12', 'tbnz x1, #63, .+12',
    'tbz w1, #31, .+12', 'tbnz x1, #32, .+12', 'b .+12',
    // Hints and barriers change nothing.
    'nop', 'yield', 'hint #34', 'hint #25', 'hint #29', 'dmb ish', 'dsb sy', 'isb', 'clrex',
  ]),
  // Conditions on the flags a compare or logical op of the same block set (one compare of its
  // operands), and after a CCMP or MSR that changed them again.
  ...CONDS.flatMap((c) => [
    ['cmp x1, x2', `csel x0, x3, x4, ${c}`],
    ['cmp w1, w2', `csel w0, w3, w4, ${c}`],
    ['cmp x1, x1', `csinc x0, x3, x4, ${c}`],
    ['subs w0, w1, #17', `csel x5, x3, x4, ${c}`],
    ['cmp x1, #0', `b.${c} .+12`],
    ['tst x1, x2', `csel x0, x3, x4, ${c}`],
    ['ands w0, w1, #0xff00ff00', `csinv w5, w3, w4, ${c}`],
    ['cmp x1, x2', `ccmp x3, x4, #0b0110, ${c}`, `csel x0, x5, x6, ${c}`],
    ['cmp x1, x2', 'msr nzcv, x3', `csel x0, x5, x6, ${c}`],
  ]),
  // System registers.
  ['msr nzcv, x1', 'mrs x0, nzcv'],
  ['mrs x0, nzcv'],
  ['msr tpidr_el0, x1', 'mrs x0, tpidr_el0'],
  ['msr fpcr, x1', 'mrs x0, fpcr', 'msr fpcr, xzr'],
  ['msr fpsr, x1', 'mrs x0, fpsr'],
  ['mrs x0, tpidrro_el0'],
  ['mrs x0, ctr_el0', 'mrs x1, dczid_el0', 'mrs x2, cntfrq_el0'],
  ['mrs x0, midr_el1', 'mrs x1, mpidr_el1', 'mrs x2, revidr_el1', 'mrs x3, id_aa64pfr0_el1', 'mrs x4, id_aa64dfr0_el1'],
  ['mrs x0, id_aa64mmfr0_el1', 'mrs x1, id_aa64isar1_el1', 'mrs x2, id_aa64pfr1_el1', 'mrs x3, s3_0_c0_c7_7'],
  ['dc cvau, x1', 'dc civac, x1', 'dc cvac, x1', 'ic ivau, x1', 'add x0, x1, #1'],
];

describe('A64 integer execution against qemu-aarch64', () => {
  const inputs = makeInputs(24);
  let expected: RegOutput[][] = [];
  beforeAll(async () => {
    preassembleInt(SNIPPETS);
    expected = await runQemu(SNIPPETS, inputs);
  });
  SNIPPETS.forEach((snippet, s) => {
    it(snippet.join('; '), () => {
      const got = runTsemu(snippet, inputs);
      const hex = (rows: bigint[][]): string[][] => rows.map((r) => r.map((v) => v.toString(16)));
      expect(hex(got)).toEqual(hex(expected[s]!));
    });
  });
});

/** Field positions for the bitfield sweep: the edges and a stride through the middle. */
const positions = (size: number): number[] => [...new Set([0, 1, 7, 15, 16, 17, size / 2 - 1, size / 2 + 3, size - 2, size - 1])];

describe('A64 bitfield and extract sweep against qemu-aarch64', () => {
  const inputs = makeInputs(3, 0x1234567);
  const families: [string, string[]][] = [];
  for (const [r, size] of [['w', 32], ['x', 64]] as const) {
    for (const op of ['sbfm', 'bfm', 'ubfm']) {
      const snippets = positions(size).flatMap((immr) => positions(size).map((imms) => `${op} ${r}0, ${r}1, #${immr}, #${imms}`));
      families.push([`${op} ${r}`, snippets]);
    }
    families.push([`extr ${r}`, positions(size).map((lsb) => `extr ${r}0, ${r}1, ${r}2, #${lsb}`)]);
  }
  const all = families.flatMap(([, s]) => s);
  let expected: RegOutput[][] = [];
  beforeAll(async () => {
    expected = await runQemu(all.map((l) => [l]), inputs);
  });
  const words = assembleWords(all);
  let at = 0;
  for (const [name, snippets] of families) {
    const first = at;
    at += snippets.length;
    it(name, () => {
      const mismatches = snippets.filter((_src, i) => {
        const got = runTsemuWords([words[first + i]!], inputs);
        return JSON.stringify(got.map(String)) !== JSON.stringify(expected[first + i]!.map(String));
      });
      expect(mismatches).toEqual([]);
    });
  }
});
