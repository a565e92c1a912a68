/**
 * Which of tsemu's targets runs an ELF file, from its first bytes (identification and e_machine),
 * the way binfmt_misc's magic/mask matches it: used where a guest executes another program.
 */
import { ARM_LOADER_TARGET, LOADER_TARGETS, type LoaderTarget } from './targets';

const ALL_TARGETS: readonly LoaderTarget[] = [...Object.values(LOADER_TARGETS), ARM_LOADER_TARGET];
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** Bytes needed: e_ident (16) + e_type (2) + e_machine (2). */
const ELF_TARGET_HEADER_SIZE = 20;

/** The target whose binaries look like `header`, or undefined (not ELF, or another machine). */
export function targetOfElfHeader(header: Uint8Array): LoaderTarget | undefined {
  if (header.length < ELF_TARGET_HEADER_SIZE || ELF_MAGIC.some((b, i) => header[i] !== b)) return undefined;
  const elfClass = header[4] === 1 ? 32 : header[4] === 2 ? 64 : undefined;
  const byteOrder = header[5] === 1 ? 'little' : header[5] === 2 ? 'big' : undefined;
  if (elfClass === undefined || byteOrder === undefined) return undefined;
  const machine = byteOrder === 'little' ? header[18]! | (header[19]! << 8) : (header[18]! << 8) | header[19]!;
  return ALL_TARGETS.find((t) => t.machine === machine && t.elfClass === elfClass && t.byteOrders.includes(byteOrder));
}
