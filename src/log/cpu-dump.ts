/**
 * -d cpu: the guest registers before each block, from the same per-target register table the
 * gdbstub serves (the first feature: general registers, pc and flags), four to a line.
 */
import { registerHex, type TargetDescription } from '../gdbstub/register-table';

export function dumpRegisters(desc: TargetDescription, state: DataView, base: number): string {
  const rows = desc.features[0]!.registers;
  const cells = rows.map((r) => {
    // Asking for big-endian bytes gives the digits most significant first, whatever the target.
    const hex = registerHex({ ...desc, littleEndian: false }, r, state, base);
    return `${r.name.toUpperCase().padStart(4)}=${hex}`;
  });
  const lines: string[] = [];
  for (let i = 0; i < cells.length; i += 4) lines.push(cells.slice(i, i + 4).join(' '));
  return lines.join('\n');
}
