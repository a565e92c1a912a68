/**
 * A64 instructions for -d in_asm, named by the frontend's own decode table: the row that decodes
 * a word gives its family name and field values. No npm package of this project's dependencies
 * disassembles A64 (capstone-wasm would; see docs/debugging.md).
 */
import { extractFields } from '../../translate/decode/pattern';
import { A64_TABLE } from '../../translate/aarch64/insns';

export function describeA64(word: number): string {
  for (const entry of A64_TABLE.matches(word)) {
    const fields = Object.entries(extractFields(entry.pattern, word))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return fields ? `${entry.name}  ${fields}` : entry.name;
  }
  return '(unallocated)';
}
