/** HMP `print|p /FMT EXPR`: the value as QEMU's hmp_print prints a hwaddr (`%#x`, `%#o`, `%u`, `%d`, a character). */
import { printable } from './memory-dump';

export function printValue(format: string, value: bigint): string {
  const unsigned = BigInt.asUintN(64, value);
  switch (format) {
    case 'o':
      return `${unsigned === 0n ? '0' : `0${unsigned.toString(8)}`}\n`;
    case 'x':
      return `${unsigned === 0n ? '0' : `0x${unsigned.toString(16)}`}\n`;
    case 'u':
      return `${unsigned}\n`;
    case 'c':
      return `'${printable(Number(BigInt.asIntN(32, value)))}'\n`;
    default:
      return `${BigInt.asIntN(64, value)}\n`;
  }
}
