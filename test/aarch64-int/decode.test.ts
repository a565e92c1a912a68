/**
 * Each A64 integer, branch and system instruction, assembled by GNU as, decodes to the table row
 * of its ARM ARM encoding class; unallocated and EL1-only encodings decline (SIGILL).
 */
import { describe, expect, it } from 'vitest';
import { assembleWords, decodeWord } from './toolchain';

const CASES: readonly (readonly [string, string])[] = [
  ['adr x0, .+0x1234', 'ADR'],
  ['adrp x3, .+0x12345000', 'ADRP'],
  ['add x0, sp, #4095', 'ADD/SUB (immediate)'],
  ['subs w1, w2, #1, lsl #12', 'ADD/SUB (immediate)'],
  ['cmp x3, #7', 'ADD/SUB (immediate)'],
  ['mov sp, x9', 'ADD/SUB (immediate)'],
  ['and x0, x1, #0xff00ff00ff00ff00', 'logical (immediate)'],
  ['orr w0, wzr, #0x1', 'logical (immediate)'],
  ['tst x2, #0x8000000000000000', 'logical (immediate)'],
  ['movz x0, #0x1234, lsl #48', 'move wide'],
  ['movn w0, #5', 'move wide'],
  ['movk x7, #0xbeef, lsl #16', 'move wide'],
  ['sbfx x0, x1, #3, #10', 'bitfield'],
  ['ubfiz w0, w1, #4, #8', 'bitfield'],
  ['bfi x5, x6, #60, #4', 'bitfield'],
  ['bfxil w5, w6, #0, #31', 'bitfield'],
  ['lsl x0, x1, #13', 'bitfield'],
  ['asr w0, w1, #31', 'bitfield'],
  ['sxtw x0, w1', 'bitfield'],
  ['uxth w0, w1', 'bitfield'],
  ['extr x0, x1, x2, #17', 'EXTR'],
  ['ror w0, w1, #3', 'EXTR'],
  ['bic x0, x1, x2, lsl #3', 'logical (shifted register)'],
  ['orn w0, w1, w2, ror #31', 'logical (shifted register)'],
  ['eon x0, x1, x2, asr #63', 'logical (shifted register)'],
  ['bics xzr, x1, x2', 'logical (shifted register)'],
  ['mov x0, x1', 'logical (shifted register)'],
  ['mvn w0, w1', 'logical (shifted register)'],
  ['adds x0, x1, x2, asr #5', 'ADD/SUB (shifted register)'],
  ['neg w0, w1, lsl #2', 'ADD/SUB (shifted register)'],
  ['cmp x0, x1', 'ADD/SUB (shifted register)'],
  ['add sp, sp, x1', 'ADD/SUB (extended register)'],
  ['sub x0, x1, w2, sxtw #2', 'ADD/SUB (extended register)'],
  ['cmp w3, w4, uxtb', 'ADD/SUB (extended register)'],
  ['adc x0, x1, x2', 'ADC/SBC'],
  ['sbcs w0, w1, w2', 'ADC/SBC'],
  ['ngc x0, x1', 'ADC/SBC'],
  ['ccmp x0, x1, #4, ne', 'CCMN/CCMP (register)'],
  ['ccmn w0, #31, #15, lt', 'CCMN/CCMP (immediate)'],
  ['csel x0, x1, x2, eq', 'conditional select'],
  ['csinc w0, w1, w2, hi', 'conditional select'],
  ['cset x0, ge', 'conditional select'],
  ['cneg x0, x1, mi', 'conditional select'],
  ['csinv x0, x1, x2, vs', 'conditional select'],
  ['rbit x0, x1', 'RBIT'],
  ['rev16 w0, w1', 'REV16'],
  ['rev w0, w1', 'REV (32-bit)'],
  ['rev32 x0, x1', 'REV32'],
  ['rev x0, x1', 'REV (64-bit)'],
  ['clz w0, w1', 'CLZ'],
  ['cls x0, x1', 'CLS'],
  ['udiv x0, x1, x2', 'UDIV/SDIV'],
  ['sdiv w0, w1, w2', 'UDIV/SDIV'],
  ['lsl x0, x1, x2', 'LSLV/LSRV/ASRV/RORV'],
  ['rorv w0, w1, w2', 'LSLV/LSRV/ASRV/RORV'],
  ['crc32b w0, w1, w2', 'CRC32/CRC32C'],
  ['crc32cx w0, w1, x2', 'CRC32/CRC32C'],
  ['madd x0, x1, x2, x3', 'MADD/MSUB'],
  ['mneg w0, w1, w2', 'MADD/MSUB'],
  ['smull x0, w1, w2', 'SMADDL/SMSUBL/UMADDL/UMSUBL'],
  ['umsubl x0, w1, w2, x3', 'SMADDL/SMSUBL/UMADDL/UMSUBL'],
  ['smulh x0, x1, x2', 'SMULH/UMULH'],
  ['umulh x0, x1, x2', 'SMULH/UMULH'],
  ['b .+8', 'B'],
  ['bl .-4', 'BL'],
  ['b.ne .+64', 'B.cond'],
  ['cbnz w3, .+16', 'CBZ/CBNZ'],
  ['tbz x3, #40, .+16', 'TBZ/TBNZ'],
  ['br x16', 'BR'],
  ['blr x1', 'BLR'],
  ['ret', 'RET'],
  ['svc #0', 'SVC'],
  ['brk #0x3e8', 'BRK'],
  ['nop', 'hint'],
  ['yield', 'hint'],
  ['wfe', 'hint'],
  ['wfi', 'hint'],
  ['hint #34', 'hint'], // BTI c
  ['hint #25', 'hint'], // PACIASP
  ['hint #29', 'hint'], // AUTIASP
  ['hint #7', 'hint'], // XPACLRI
  ['csdb', 'hint'],
  ['clrex', 'CLREX'],
  ['dmb ish', 'barrier'],
  ['dsb sy', 'barrier'],
  ['isb', 'barrier'],
  ['ssbb', 'barrier'],
  ['dc zva, x0', 'SYS'],
  ['dc cvau, x1', 'SYS'],
  ['dc civac, x1', 'SYS'],
  ['dc cvac, x1', 'SYS'],
  ['ic ivau, x2', 'SYS'],
  ['mrs x0, tpidr_el0', 'MRS'],
  ['msr tpidr_el0, x0', 'MSR (register)'],
  ['mrs x1, tpidrro_el0', 'MRS'],
  ['mrs x0, nzcv', 'MRS'],
  ['msr nzcv, x0', 'MSR (register)'],
  ['mrs x0, fpcr', 'MRS'],
  ['msr fpcr, x0', 'MSR (register)'],
  ['mrs x0, fpsr', 'MRS'],
  ['msr fpsr, x0', 'MSR (register)'],
  ['mrs x0, ctr_el0', 'MRS'],
  ['mrs x0, dczid_el0', 'MRS'],
  ['mrs x0, cntvct_el0', 'MRS'],
  ['mrs x0, cntfrq_el0', 'MRS'],
  ['mrs x0, midr_el1', 'MRS'],
  ['mrs x0, mpidr_el1', 'MRS'],
  ['mrs x0, revidr_el1', 'MRS'],
  ['mrs x0, id_aa64isar0_el1', 'MRS'],
  ['mrs x0, id_aa64pfr0_el1', 'MRS'],
  ['mrs x0, s3_0_c0_c7_7', 'MRS'],
];

/** Encodings that must raise SIGILL at EL0 on this CPU. */
const UNDEFINED: readonly string[] = [
  'hvc #0',
  'smc #0',
  'hlt #0',
  'eret',
  'msr daifset, #2',
  'mrs x0, sctlr_el1',
  'msr tpidrro_el0, x0',
  'mrs x0, s3_0_c0_c0_1',
  'dc ivac, x0',
  'ic iallu',
  'tlbi vmalle1',
  'sysl x0, #0, c1, c2, #3',
  '.inst 0xd50330ff', // SB (FEAT_SB, not implemented)
  // Unallocated, each shown by objdump as "undefined":
  '.inst 0x00000000', // UDF #0
  '.inst 0x12c00000', // MOVN, 32-bit with hw = 2
  '.inst 0x32800000', // move wide, opc = 01
  '.inst 0x8bc20020', // ADD (shifted register), shift = 11
  '.inst 0x12400020', // AND (immediate), 32-bit with N = 1
  '.inst 0x8b225420', // ADD (extended register), imm3 = 5
  '.inst 0x5ac00c20', // data processing 1 source, 32-bit opcode 000011
  '.inst 0x1ac24c20', // CRC32X with sf = 0
  '.inst 0x13c00000', // EXTR, 32-bit with N = 1
  '.inst 0x13408000', // SBFM, 32-bit with imms = 32
];

describe('A64 integer/branch/system decode', () => {
  const words = assembleWords(CASES.map(([src]) => src));
  CASES.forEach(([src, row], i) => {
    it(`${src} -> ${row}`, () => {
      const d = decodeWord(words[i]!);
      expect(d.name).toBe(row);
      expect(d.undefinedTrap).toBe(false);
    });
  });
});

describe('A64 unallocated and privileged encodings', () => {
  const words = assembleWords(UNDEFINED);
  UNDEFINED.forEach((src, i) => {
    it(`${src} declines`, () => {
      expect(decodeWord(words[i]!).undefinedTrap).toBe(true);
    });
  });
});
