/**
 * AArch64 for gdb: the org.gnu.gdb.aarch64.core and .fpu features (the register names, sizes and
 * order gdb's aarch64 architecture requires), mapped onto the frontend's state layout.
 */
import { CF, FPCR, FPSR, NF, SP, VF, ZF, vreg, xreg } from '../../translate/aarch64/state';
import { STATE_PC } from '../../translate/frontend';
import { slot, type RegisterRow, type TargetDescription } from '../register-table';

/** CPSR as gdb shows it: NZCV in bits 31..28 (the frontend keeps each flag in its own 0/1 slot). */
const cpsr: RegisterRow = {
  name: 'cpsr',
  bitsize: 32,
  type: 'int',
  read(state, base) {
    const flags = [NF, ZF, CF, VF].reduce((acc, off, i) => acc | ((state.getUint32(base + off, true) & 1) << (31 - i)), 0);
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, flags >>> 0, true);
    return out;
  },
  write(state, base, value) {
    const flags = new DataView(value.buffer, value.byteOffset, 4).getUint32(0, true);
    [NF, ZF, CF, VF].forEach((off, i) => state.setUint32(base + off, (flags >>> (31 - i)) & 1, true));
  },
};

/** The vector views gdb gives V registers (its features/aarch64-fpu.xml types). */
const FPU_TYPES = `
<vector id="v2d" type="ieee_double" count="2"/>
<vector id="v2u" type="uint64" count="2"/>
<vector id="v2i" type="int64" count="2"/>
<vector id="v4f" type="ieee_single" count="4"/>
<vector id="v4u" type="uint32" count="4"/>
<vector id="v4i" type="int32" count="4"/>
<vector id="v8f" type="ieee_half" count="8"/>
<vector id="v8u" type="uint16" count="8"/>
<vector id="v8i" type="int16" count="8"/>
<vector id="v16u" type="uint8" count="16"/>
<vector id="v16i" type="int8" count="16"/>
<vector id="v1u" type="uint128" count="1"/>
<vector id="v1i" type="int128" count="1"/>
<union id="vnd"><field name="f" type="v2d"/><field name="u" type="v2u"/><field name="s" type="v2i"/></union>
<union id="vns"><field name="f" type="v4f"/><field name="u" type="v4u"/><field name="s" type="v4i"/></union>
<union id="vnh"><field name="f" type="v8f"/><field name="u" type="v8u"/><field name="s" type="v8i"/></union>
<union id="vnb"><field name="u" type="v16u"/><field name="s" type="v16i"/></union>
<union id="vnq"><field name="u" type="v1u"/><field name="s" type="v1i"/></union>
<union id="aarch64v"><field name="d" type="vnd"/><field name="s" type="vns"/><field name="h" type="vnh"/><field name="b" type="vnb"/><field name="q" type="vnq"/></union>
`;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const AARCH64_DESCRIPTION: TargetDescription = {
  frontend: 'aarch64',
  architecture: 'aarch64',
  littleEndian: true,
  features: [
    {
      name: 'org.gnu.gdb.aarch64.core',
      registers: [
        ...range(31).map((n) => slot(`x${n}`, xreg(n), 64, 'int')),
        slot('sp', SP, 64, 'data_ptr'),
        slot('pc', STATE_PC, 64, 'code_ptr'),
        cpsr,
      ],
    },
    {
      name: 'org.gnu.gdb.aarch64.fpu',
      types: FPU_TYPES,
      registers: [
        ...range(32).map((n) => slot(`v${n}`, vreg(n), 128, 'aarch64v', 'vector')),
        slot('fpsr', FPSR, 32, 'int', 'float'),
        slot('fpcr', FPCR, 32, 'int', 'float'),
      ],
    },
  ],
};
