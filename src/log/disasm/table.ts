/**
 * One instruction described by a frontend's decode table: the first row that matches names the
 * instruction (or its family) and its fields give the operands, `name  field=value ...`.
 */
import { extractFields, type DecodeTable } from '../../translate/decode/pattern';

export function describeByTable<H>(table: DecodeTable<H>, insn: number): string | undefined {
  for (const entry of table.matches(insn)) {
    const fields = Object.entries(extractFields(entry.pattern, insn))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return fields ? `${entry.name}  ${fields}` : entry.name;
  }
  return undefined;
}
