/**
 * PowerPC64 (big- and little-endian) for gdb: the org.gnu.gdb.power.core, .fpu, .altivec and .vsx
 * features with the register numbers qemu-ppc64 gives them (gdb's power64-core.xml numbering: r0..r31,
 * then pc at 64; the FPU from 71), mapped onto the frontend's state layout. CR and XER are packed
 * from the frontend's per-field and per-bit slots; FPR n and VSR n's second doubleword are the two
 * halves of one 128-bit VSR slot.
 */
import { STATE_PC } from '../../translate/frontend';
import {
  CTR,
  FPSCR,
  LR,
  VRSAVE,
  VSCR,
  XER_BC,
  XER_CA,
  XER_CA32,
  XER_OV,
  XER_OV32,
  XER_SO,
  crField,
  gpr,
  vsr,
} from '../../translate/ppc64/state';
import { numbered, slot, type RegisterRow, type TargetDescription } from '../register-table';

/** A 32-bit register computed from (and stored back into) several state slots. */
function packed32(
  name: string,
  type: string,
  read: (state: DataView, base: number) => number,
  write: (state: DataView, base: number, value: number) => void,
): RegisterRow {
  return {
    name,
    bitsize: 32,
    type,
    read(state, base) {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, read(state, base) >>> 0, true);
      return out;
    },
    write(state, base, value) {
      write(state, base, new DataView(value.buffer, value.byteOffset, 4).getUint32(0, true));
    },
  };
}

/** CR: field f (4 bits, LT GT EQ SO) at bits 31-4f..28-4f. */
const cr = packed32(
  'cr',
  'uint32',
  (state, base) =>
    Array.from({ length: 8 }, (_, f) => (state.getUint32(base + crField(f), true) & 0xf) << (28 - 4 * f)).reduce(
      (a, b) => a | b,
      0,
    ),
  (state, base, value) => {
    for (let f = 0; f < 8; f++) state.setUint32(base + crField(f), (value >>> (28 - 4 * f)) & 0xf, true);
  },
);

/** XER's bits in their architected places (SO 31, OV 30, CA 29, OV32 19, CA32 18); the byte count in 6..0. */
const XER_BITS: readonly (readonly [number, number])[] = [
  [XER_SO, 31],
  [XER_OV, 30],
  [XER_CA, 29],
  [XER_OV32, 19],
  [XER_CA32, 18],
];
const xer = packed32(
  'xer',
  'uint32',
  (state, base) =>
    XER_BITS.reduce(
      (acc, [off, bit]) => acc | ((state.getUint32(base + off, true) & 1) << bit),
      state.getUint32(base + XER_BC, true) & 0x7f,
    ),
  (state, base, value) => {
    for (const [off, bit] of XER_BITS) state.setUint32(base + off, (value >>> bit) & 1, true);
    state.setUint32(base + XER_BC, value & 0x7f, true);
  },
);

/**
 * The MSR of a user process as qemu-ppc64 reports it (64-bit mode, problem state, FP/VMX/VSX
 * available, translation on; LE set for ppc64le). User mode cannot change it, so writes are ignored.
 */
function msr(littleEndian: boolean): RegisterRow {
  const value = 0x9000000102806900n | (littleEndian ? 1n : 0n);
  return {
    name: 'msr',
    bitsize: 64,
    type: 'uint64',
    read() {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, value, true);
      return out;
    },
    write() {},
  };
}

/** gdb's power-altivec.xml vector view. */
const ALTIVEC_TYPES = `
<vector id="v4f" type="ieee_single" count="4"/>
<vector id="v4i32" type="int32" count="4"/>
<vector id="v8i16" type="int16" count="8"/>
<vector id="v16i8" type="int8" count="16"/>
<union id="vec128"><field name="uint128" type="uint128"/><field name="v4_float" type="v4f"/><field name="v4_int32" type="v4i32"/><field name="v8_int16" type="v8i16"/><field name="v16_int8" type="v16i8"/></union>
`;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Bytes 8..15 of a VSR slot hold doubleword element 0 (the FPR), bytes 0..7 element 1. */
const DW0 = 8;
const DW1 = 0;

function ppc64Description(littleEndian: boolean): TargetDescription {
  return {
    frontend: 'ppc64',
    architecture: 'powerpc:common64',
    littleEndian,
    features: [
      {
        name: 'org.gnu.gdb.power.core',
        registers: [
          ...range(32).map((n) => slot(`r${n}`, gpr(n), 64, 'uint64')),
          numbered(64, slot('pc', STATE_PC, 64, 'code_ptr')),
          msr(littleEndian),
          cr,
          slot('lr', LR, 64, 'code_ptr'),
          slot('ctr', CTR, 64, 'uint64'),
          xer,
        ],
      },
      {
        name: 'org.gnu.gdb.power.fpu',
        registers: [
          ...range(32).map((n) => {
            const row = slot(`f${n}`, vsr(n) + DW0, 64, 'ieee_double');
            return n === 0 ? numbered(71, row) : row;
          }),
          slot('fpscr', FPSCR, 32, 'int', 'float'),
        ],
      },
      {
        name: 'org.gnu.gdb.power.altivec',
        types: ALTIVEC_TYPES,
        registers: [
          ...range(32).map((n) => slot(`vr${n}`, vsr(32 + n), 128, 'vec128')),
          slot('vscr', VSCR, 32, 'int', 'vector'),
          slot('vrsave', VRSAVE, 32, 'int', 'vector'),
        ],
      },
      {
        name: 'org.gnu.gdb.power.vsx',
        registers: range(32).map((n) => slot(`vs${n}h`, vsr(n) + DW1, 64, 'uint64')),
      },
    ],
  };
}

export const PPC64_DESCRIPTION = ppc64Description(false);
export const PPC64LE_DESCRIPTION = ppc64Description(true);
