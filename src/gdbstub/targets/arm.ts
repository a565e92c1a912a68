/**
 * 32-bit ARM for gdb: the org.gnu.gdb.arm.core feature (r0..r12, sp, lr, pc, and cpsr at gdb's
 * number 25, after the slots the FPA registers once had), and org.gnu.gdb.arm.vfp with d0..d31,
 * q0..q15 and fpscr, laid out as qemu-arm's arm-neon.xml does (gdb 13 makes s0..s31 from the d
 * registers itself, but offers no q registers from an empty org.gnu.gdb.arm.neon feature, so the
 * q registers are served as registers of their own, each the pair d2n, d2n+1).
 *
 * The frontend keeps the instruction set in bit 0 of the pc; gdb wants the address in pc and the
 * Thumb state in CPSR.T, so the two registers are views of one slot.
 */
import { GE, QF, FPSCR, dreg, readNzcv, reg, writeNzcv } from '../../translate/arm/state';
import { STATE_PC } from '../../translate/frontend';
import { numbered, slot, type RegisterRow, type TargetDescription } from '../register-table';

/** CPSR.T, and the User mode the process runs in (M[4:0] = 0b10000). */
const CPSR_T = 1 << 5;
const MODE_USR = 0x10;

const u32 = (value: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return out;
};
const fromLe32 = (value: Uint8Array): number =>
  new DataView(value.buffer, value.byteOffset, 4).getUint32(0, true);

const thumb = (state: DataView, base: number): number => state.getUint32(base + STATE_PC, true) & 1;
const setPc = (state: DataView, base: number, address: number, thumbBit: number): void =>
  state.setBigUint64(base + STATE_PC, BigInt(((address & ~1) | thumbBit) >>> 0), true);

const pc: RegisterRow = {
  name: 'pc',
  bitsize: 32,
  type: 'code_ptr',
  read: (state, base) => u32(state.getUint32(base + STATE_PC, true) & ~1),
  write: (state, base, value) => setPc(state, base, fromLe32(value), thumb(state, base)),
};

/** NZCV (31..28), Q (27) from its 0/1 slot, GE (19..16), T from the pc. */
const cpsr: RegisterRow = numbered(25, {
  name: 'cpsr',
  bitsize: 32,
  type: 'int',
  read(state, base) {
    const q = (state.getUint32(base + QF, true) & 1) << 27;
    const ge = (state.getUint32(base + GE, true) & 0xf) << 16;
    return u32(readNzcv(state, base) | q | ge | (thumb(state, base) ? CPSR_T : 0) | MODE_USR);
  },
  write(state, base, value) {
    const v = fromLe32(value);
    writeNzcv(state, base, v);
    state.setUint32(base + QF, (v >>> 27) & 1, true);
    state.setUint32(base + GE, (v >>> 16) & 0xf, true);
    setPc(state, base, state.getUint32(base + STATE_PC, true), v & CPSR_T ? 1 : 0);
  },
});

/** qemu-arm's arm-neon.xml views of D and Q registers. */
const VFP_TYPES = `
<vector id="neon_uint8x8" type="uint8" count="8"/>
<vector id="neon_uint16x4" type="uint16" count="4"/>
<vector id="neon_uint32x2" type="uint32" count="2"/>
<vector id="neon_float32x2" type="ieee_single" count="2"/>
<union id="neon_d"><field name="u8" type="neon_uint8x8"/><field name="u16" type="neon_uint16x4"/><field name="u32" type="neon_uint32x2"/><field name="u64" type="uint64"/><field name="f32" type="neon_float32x2"/><field name="f64" type="ieee_double"/></union>
<vector id="neon_uint8x16" type="uint8" count="16"/>
<vector id="neon_uint16x8" type="uint16" count="8"/>
<vector id="neon_uint32x4" type="uint32" count="4"/>
<vector id="neon_uint64x2" type="uint64" count="2"/>
<vector id="neon_float32x4" type="ieee_single" count="4"/>
<vector id="neon_float64x2" type="ieee_double" count="2"/>
<union id="neon_q"><field name="u8" type="neon_uint8x16"/><field name="u16" type="neon_uint16x8"/><field name="u32" type="neon_uint32x4"/><field name="u64" type="neon_uint64x2"/><field name="f32" type="neon_float32x4"/><field name="f64" type="neon_float64x2"/></union>
`;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** gdb's Thumb breakpoint kinds: 2 (16-bit) and 3 (32-bit Thumb-2); 4 is an ARM breakpoint. */
const THUMB_KINDS = new Set([2, 3]);

export const ARM_DESCRIPTION: TargetDescription = {
  frontend: 'arm',
  architecture: 'arm',
  littleEndian: true,
  features: [
    {
      name: 'org.gnu.gdb.arm.core',
      registers: [
        ...range(13).map((n) => slot(`r${n}`, reg(n), 32, 'int')),
        slot('sp', reg(13), 32, 'data_ptr'),
        slot('lr', reg(14), 32, 'int'),
        pc,
        cpsr,
      ],
    },
    {
      name: 'org.gnu.gdb.arm.vfp',
      types: VFP_TYPES,
      registers: [
        ...range(32).map((n) => slot(`d${n}`, dreg(n), 64, 'neon_d')),
        ...range(16).map((n) => slot(`q${n}`, dreg(2 * n), 128, 'neon_q')),
        slot('fpscr', FPSCR, 32, 'int', 'float'),
      ],
    },
  ],
  breakpointPc: (addr, kind) => (THUMB_KINDS.has(kind) ? (addr | 1) >>> 0 : addr),
};
