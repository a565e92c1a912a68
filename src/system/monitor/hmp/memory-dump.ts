/**
 * HMP `x /FMT ADDR` (virtual) and `xp /FMT ADDR` (physical): QEMU's memory dump. FMT is
 * [count][format][size] with format x (hex), d, u, o or c and size b, h, w or g (parsed in
 * arguments.ts); each line starts with the address and holds 16 bytes' worth of items (8 for
 * bytes), as QEMU prints them; `c` shows count * size bytes one by one. The `i` format (QEMU's
 * disassembly) is refused: tsemu has no disassembler.
 */
import { QmpError } from '../qmp/errors';
import type { Machine } from '../../machine/machine';
import type { DumpFormat } from './arguments';

/** A byte as QEMU's monitor_printc shows it inside quotes. */
export function printable(c: number): string {
  const escapes: Record<number, string> = {
    0x27: "\\'",
    0x5c: '\\\\',
    0x0a: '\\n',
    0x0d: '\\r',
    0x09: '\\t',
  };
  if (escapes[c] !== undefined) return escapes[c];
  return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
}

function item(v: bigint, format: string, size: number): string {
  const bits = size * 8;
  switch (format) {
    case 'o':
      return (v === 0n ? '0' : `0${v.toString(8)}`).padStart(Math.ceil(bits / 3), ' ');
    case 'u':
    case 'd':
      return v.toString().padStart(Math.ceil((bits * 10) / 33), ' ');
    case 'c':
      return `'${printable(Number(v))}'`;
    default:
      return `0x${v.toString(16).padStart(bits / 4, '0')}`;
  }
}

/** The dump's text of `fmt` at `address` (virtual addresses as CPU `cpu` sees them). */
export function memoryDump(
  machine: Machine,
  fmt: DumpFormat,
  address: bigint,
  virtual: boolean,
  cpu = 0,
): string {
  if (fmt.format === 'i') throw QmpError.generic("the 'i' format (disassembly) is not supported");
  // As in QEMU: virtual addresses need a CPU; on a machine without memory every read fails.
  if (virtual && machine.cpus().length === 0) return 'Can not dump without CPU\n';
  const read = machine.readMemory?.bind(machine) ?? ((): undefined => undefined);
  let left = fmt.count * fmt.size;
  const lineSize = fmt.size === 1 ? 8 : 16;
  const size = fmt.format === 'c' ? 1 : fmt.size;
  address = BigInt.asUintN(64, address);
  let out = '';
  while (left > 0) {
    out += `${address.toString(16).padStart(16, '0')}:`;
    const bytes = Math.min(left, lineSize);
    for (let at = 0; at < bytes; at += size) {
      const v = read(address + BigInt(at), size, virtual, cpu);
      if (v === undefined) return `${out} Cannot access memory\n`;
      out += ` ${item(v, fmt.format, size)}`;
    }
    out += '\n';
    address += BigInt(bytes);
    left -= bytes;
  }
  return out;
}
