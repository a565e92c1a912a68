/**
 * 32-bit ARM instructions for -d in_asm, named by the frontend's A32, T32 and T16 decode tables.
 * The instruction set comes from bit 0 of the block's pc, as in the frontend; Thumb instructions
 * are 16 or 32 bits (the first halfword says which), A32 ones carry a condition, shown as its
 * mnemonic when it is not AL.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { ARMV8_TABLES } from '../../translate/arm/insns';
import type { ListedInsn } from './index';
import { describeByTable } from './table';

const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];
const UNDEFINED = '(undefined)';

function describeA32(word: number): string {
  const cond = word >>> 28;
  if (cond === 15) return describeByTable(ARMV8_TABLES.a32Unconditional, word) ?? UNDEFINED;
  const text = describeByTable(ARMV8_TABLES.a32, word) ?? UNDEFINED;
  return cond === 14 ? text : `(${CONDITIONS[cond]}) ${text}`;
}

export function listArm(memory: GuestMemory, pc: number, end: number): ListedInsn[] {
  const out: ListedInsn[] = [];
  if ((pc & 1) === 0) {
    for (let at = pc; at + 4 <= end; at += 4) {
      const word = memory.read32(at) >>> 0;
      out.push({ addr: at, encoding: word.toString(16).padStart(8, '0'), text: describeA32(word) });
    }
    return out;
  }
  for (let at = pc - 1; at + 2 <= end; ) {
    const first = memory.read16(at);
    // 0b11101, 0b11110 and 0b11111 in the top five bits start a 32-bit instruction.
    if (first >>> 11 >= 0b11101 && at + 4 <= end) {
      const second = memory.read16(at + 2);
      const insn = ((first << 16) | second) >>> 0;
      const encoding = `${first.toString(16).padStart(4, '0')} ${second.toString(16).padStart(4, '0')}`;
      out.push({ addr: at, encoding, text: describeByTable(ARMV8_TABLES.t32, insn) ?? UNDEFINED });
      at += 4;
    } else {
      const text = describeByTable(ARMV8_TABLES.t16, first) ?? UNDEFINED;
      out.push({ addr: at, encoding: first.toString(16).padStart(4, '0'), text });
      at += 2;
    }
  }
  return out;
}
