/**
 * A64 instruction classes for the differential test, as encoding templates from the ARM ARM's A64
 * encoding index (C4.1): fixed opcode bits and named fields, written like the decode patterns
 * (src/translate/decode/pattern.ts). Random words fill the fields; `pick` restricts a field to a few
 * values where the test needs it (base and index registers of loads and stores, which the test sets
 * to point into a mapped scratch area, and data registers that must not overwrite them).
 */

export interface Template {
  /** The ARM ARM encoding group, for reports. */
  name: string;
  pattern: string;
  /** Allowed values of some fields (the rest are uniformly random). */
  pick?: Readonly<Record<string, readonly number[]>>;
}

export interface InsnClass {
  name: string;
  templates: readonly Template[];
}

/** Base register of memory accesses (X28, or SP) and the small index register (X27). */
export const BASE_REG = 28;
export const INDEX_REG = 27;
/** Registers a load may write without disturbing the addressing registers (31 is XZR/WZR). */
const DATA_REGS = [...Array.from({ length: 27 }, (_, i) => i), 29, 30, 31];
const BASE = { rn: [BASE_REG, 31] };
const LOAD_STORE = { ...BASE, rt: DATA_REGS, rt2: DATA_REGS, rs: DATA_REGS };
/** FP scalar type: single, double, half (2 is unallocated). */
const FTYPE = { ftype: [0, 1, 3] };

export const A64_CLASSES: readonly InsnClass[] = [
  {
    name: 'data-processing immediate',
    templates: [
      { name: 'add/sub immediate', pattern: 'sf:1 op:1 s:1 100010 sh:1 imm12:12 rn:5 rd:5' },
      { name: 'logical immediate', pattern: 'sf:1 opc:2 100100 n:1 immr:6 imms:6 rn:5 rd:5' },
      { name: 'move wide', pattern: 'sf:1 opc:2 100101 hw:2 imm16:16 rd:5' },
      { name: 'pc-relative', pattern: 'op:1 immlo:2 10000 immhi:19 rd:5' },
    ],
  },
  {
    name: 'data-processing register',
    templates: [
      { name: 'add/sub shifted', pattern: 'sf:1 op:1 s:1 01011 shift:2 0 rm:5 imm6:6 rn:5 rd:5' },
      { name: 'add/sub extended', pattern: 'sf:1 op:1 s:1 01011 00 1 rm:5 option:3 imm3:3 rn:5 rd:5' },
      { name: 'logical shifted', pattern: 'sf:1 opc:2 01010 shift:2 n:1 rm:5 imm6:6 rn:5 rd:5' },
      { name: 'add/sub with carry', pattern: 'sf:1 op:1 s:1 11010000 rm:5 000000 rn:5 rd:5' },
      { name: 'data-processing 1 source', pattern: 'sf:1 1 0 11010110 00000 000 opcode:3 rn:5 rd:5' },
      { name: 'crc32', pattern: 'sf:1 0 0 11010110 rm:5 010 c:1 sz:2 rn:5 rd:5' },
    ],
  },
  {
    name: 'bitfield/extract',
    templates: [
      { name: 'bitfield', pattern: 'sf:1 opc:2 100110 n:1 immr:6 imms:6 rn:5 rd:5' },
      { name: 'extract', pattern: 'sf:1 00 100111 n:1 0 rm:5 imms:6 rn:5 rd:5' },
    ],
  },
  {
    name: 'conditional select/compare',
    templates: [
      { name: 'conditional select', pattern: 'sf:1 op:1 0 11010100 rm:5 cond:4 0 o2:1 rn:5 rd:5' },
      { name: 'conditional compare register', pattern: 'sf:1 op:1 1 11010010 rm:5 cond:4 0 0 rn:5 0 nzcv:4' },
      { name: 'conditional compare immediate', pattern: 'sf:1 op:1 1 11010010 imm5:5 cond:4 1 0 rn:5 0 nzcv:4' },
    ],
  },
  {
    name: 'multiply/divide',
    templates: [
      { name: 'data-processing 3 source', pattern: 'sf:1 00 11011 op31:3 rm:5 o0:1 ra:5 rn:5 rd:5' },
      { name: 'divide', pattern: 'sf:1 0 0 11010110 rm:5 00001 o1:1 rn:5 rd:5' },
    ],
  },
  {
    name: 'shifts',
    templates: [
      { name: 'shift by register', pattern: 'sf:1 0 0 11010110 rm:5 0010 op2:2 rn:5 rd:5' },
      // LSL/LSR/ASR immediate are UBFM/SBFM aliases: immr = shift, imms = 63 or 31 (or 63 - shift for LSL).
      { name: 'shift immediate (bitfield alias)', pattern: '1 opc:2 100110 1 immr:6 111111 rn:5 rd:5', pick: { opc: [0, 2] } },
    ],
  },
  {
    name: 'loads/stores',
    templates: [
      { name: 'unsigned offset', pattern: 'size:2 111 v:1 01 opc:2 imm12:12 rn:5 rt:5', pick: LOAD_STORE },
      { name: 'unscaled, pre/post-index', pattern: 'size:2 111 v:1 00 opc:2 0 imm9:9 idx:2 rn:5 rt:5', pick: LOAD_STORE },
      {
        name: 'register offset',
        pattern: 'size:2 111 v:1 00 opc:2 1 rm:5 option:3 s:1 10 rn:5 rt:5',
        pick: { ...LOAD_STORE, rm: [INDEX_REG] },
      },
      { name: 'pair', pattern: 'opc:2 101 v:1 idx:3 l:1 imm7:7 rt2:5 rn:5 rt:5', pick: LOAD_STORE },
    ],
  },
  {
    name: 'atomics/exclusives',
    templates: [
      {
        name: 'exclusive and ordered',
        pattern: 'size:2 001000 o2:1 l:1 o1:1 rs:5 o0:1 rt2:5 rn:5 rt:5',
        pick: { ...LOAD_STORE, rn: [BASE_REG] },
      },
      {
        name: 'atomic memory operations',
        pattern: 'size:2 111 0 00 a:1 r:1 1 rs:5 o3:1 opc:3 00 rn:5 rt:5',
        pick: { ...LOAD_STORE, rn: [BASE_REG] },
      },
    ],
  },
  {
    name: 'FP scalar arithmetic/conversions',
    templates: [
      { name: 'FP 2 source', pattern: '000 11110 ftype:2 1 rm:5 opcode:4 10 rn:5 rd:5', pick: FTYPE },
      { name: 'FP 1 source', pattern: '000 11110 ftype:2 1 opcode:6 10000 rn:5 rd:5', pick: FTYPE },
      { name: 'FP 3 source', pattern: '000 11111 ftype:2 o1:1 rm:5 o0:1 ra:5 rn:5 rd:5', pick: FTYPE },
      { name: 'FP compare', pattern: '000 11110 ftype:2 1 rm:5 00 1000 rn:5 opc:2 000', pick: FTYPE },
      { name: 'FP conditional compare', pattern: '000 11110 ftype:2 1 rm:5 cond:4 01 rn:5 op:1 nzcv:4', pick: FTYPE },
      { name: 'FP conditional select', pattern: '000 11110 ftype:2 1 rm:5 cond:4 11 rn:5 rd:5', pick: FTYPE },
      { name: 'FP immediate', pattern: '000 11110 ftype:2 1 imm8:8 100 00000 rd:5', pick: FTYPE },
      { name: 'FP <-> integer', pattern: 'sf:1 00 11110 ftype:2 1 rmode:2 opcode:3 000000 rn:5 rd:5', pick: FTYPE },
      { name: 'FP <-> fixed point', pattern: 'sf:1 00 11110 ftype:2 0 rmode:2 opcode:3 scale:6 rn:5 rd:5', pick: FTYPE },
    ],
  },
  {
    name: 'SIMD integer',
    templates: [
      { name: 'three same', pattern: '0 q:1 u:1 01110 size:2 1 rm:5 opcode:5 1 rn:5 rd:5' },
      { name: 'three different', pattern: '0 q:1 u:1 01110 size:2 1 rm:5 opcode:4 00 rn:5 rd:5' },
      { name: 'two-register misc', pattern: '0 q:1 u:1 01110 size:2 10000 opcode:5 10 rn:5 rd:5' },
      { name: 'across lanes', pattern: '0 q:1 u:1 01110 size:2 11000 opcode:5 10 rn:5 rd:5' },
      { name: 'shift by immediate', pattern: '0 q:1 u:1 011110 immh:4 immb:3 opcode:5 1 rn:5 rd:5' },
      {
        name: 'modified immediate',
        pattern: '0 q:1 op:1 0111100000 abc:3 cmode:4 o2:1 1 defgh:5 rd:5',
      },
      { name: 'copy', pattern: '0 q:1 op:1 01110000 imm5:5 0 imm4:4 1 rn:5 rd:5' },
      { name: 'scalar three same', pattern: '01 u:1 11110 size:2 1 rm:5 opcode:5 1 rn:5 rd:5' },
    ],
  },
  {
    name: 'SIMD FP',
    templates: [
      { name: 'three same FP', pattern: '0 q:1 u:1 01110 a:1 sz:1 1 rm:5 11 opcode:3 1 rn:5 rd:5' },
      { name: 'two-register misc FP', pattern: '0 q:1 u:1 01110 a:1 sz:1 10000 11 opcode:3 10 rn:5 rd:5' },
      { name: 'by element', pattern: '0 q:1 u:1 01111 size:2 l:1 m:1 rm:4 opcode:4 h:1 0 rn:5 rd:5' },
      { name: 'scalar three same FP', pattern: '01 u:1 11110 a:1 sz:1 1 rm:5 11 opcode:3 1 rn:5 rd:5' },
      { name: 'pairwise FP', pattern: '01 u:1 11110 a:1 sz:1 11000 opcode:5 10 rn:5 rd:5' },
    ],
  },
  {
    name: 'permutes',
    templates: [
      { name: 'zip/uzp/trn', pattern: '0 q:1 001110 size:2 0 rm:5 0 opcode:3 10 rn:5 rd:5' },
      { name: 'ext', pattern: '0 q:1 101110 000 rm:5 0 imm4:4 0 rn:5 rd:5' },
      { name: 'tbl/tbx', pattern: '0 q:1 001110 000 rm:5 0 len:2 op:1 00 rn:5 rd:5' },
      { name: 'dup element', pattern: '0 q:1 0 01110000 imm5:5 0 0000 1 rn:5 rd:5' },
    ],
  },
  {
    name: 'cryptographic',
    templates: [
      { name: 'AES', pattern: '01001110 00 10100 opcode:5 10 rn:5 rd:5' },
      { name: 'SHA three-register', pattern: '01011110 00 0 rm:5 0 opcode:3 00 rn:5 rd:5' },
      { name: 'SHA two-register', pattern: '01011110 00 10100 opcode:5 10 rn:5 rd:5' },
      { name: 'PMULL 64-bit', pattern: '0 q:1 0 01110 11 1 rm:5 1110 00 rn:5 rd:5' },
      { name: 'SHA512 three-register, RAX1', pattern: '11001110 011 rm:5 1 0 00 opcode:2 rn:5 rd:5' },
      { name: 'SHA512SU0', pattern: '11001110 110 00000 1000 00 rn:5 rd:5' },
      { name: 'EOR3/BCAX', pattern: '11001110 0 0 op:1 rm:5 0 ra:5 rn:5 rd:5' },
      { name: 'XAR', pattern: '11001110 100 rm:5 imm6:6 rn:5 rd:5' },
    ],
  },
];
