/**
 * HMP `x /FMT ADDR` (virtual) and `xp /FMT ADDR` (physical): QEMU's memory dump. FMT is
 * [count][format][size] with format x (hex), d, u, o or c and size b, h, w or g; each line starts
 * with the address and holds 16 bytes' worth of items (8 for bytes), as QEMU prints them. Defaults:
 * one item, hex, words (QEMU also remembers the last format given; this does not yet).
 */
import { QmpError } from '../qmp/errors';
import type { Machine } from '../../machine/machine';

const SIZES: Record<string, number> = { b: 1, h: 2, w: 4, g: 8 };

interface DumpFormat {
  count: number;
  format: string;
  size: number;
}

function parseFormat(text: string | undefined): DumpFormat {
  const m = /^\/(\d*)([xduoc]?)([bhwg]?)$/.exec(text ?? '/');
  if (!m) throw QmpError.generic(`invalid format '${text}' (supported: /[count][x|d|u|o|c][b|h|w|g])`);
  const format = m[2] || 'x';
  return { count: m[1] ? Number(m[1]) : 1, format, size: format === 'c' ? 1 : SIZES[m[3] || 'w']! };
}

function parseAddress(text: string | undefined): bigint {
  if (text === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(text))
    throw QmpError.generic(`invalid address '${text ?? ''}'`);
  return BigInt(text);
}

/** A byte as QEMU's monitor_printc shows it inside quotes. */
function printable(c: number): string {
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

/** The dump's text for the argument string "/FMT ADDR" or "ADDR" (virtual addresses as CPU `cpu` sees them). */
export function memoryDump(machine: Machine, arg: string, virtual: boolean, cpu = 0): string {
  const words = arg.split(/\s+/).filter((w) => w !== '');
  const fmt = parseFormat(words.length > 1 ? words[0] : undefined);
  let address = parseAddress(words[words.length - 1]);
  // As in QEMU: virtual addresses need a CPU; on a machine without memory every read fails.
  if (virtual && machine.cpus().length === 0) return 'Can not dump without CPU\n';
  const read = machine.readMemory?.bind(machine) ?? ((): undefined => undefined);
  let left = fmt.count * fmt.size;
  const lineSize = fmt.size === 1 ? 8 : 16;
  let out = '';
  while (left > 0) {
    out += `${address.toString(16).padStart(16, '0')}:`;
    const bytes = Math.min(left, lineSize);
    for (let at = 0; at < bytes; at += fmt.size) {
      const v = read(address + BigInt(at), fmt.size, virtual, cpu);
      if (v === undefined) return `${out} Cannot access memory\n`;
      out += ` ${item(v, fmt.format, fmt.size)}`;
    }
    out += '\n';
    address += BigInt(bytes);
    left -= bytes;
  }
  return out;
}
