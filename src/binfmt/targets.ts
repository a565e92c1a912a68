/**
 * Which ELF files binfmt_misc hands to tsemu: one row per user-mode target (its ELF class, byte
 * order and e_machine), and the 20-byte magic/mask pair derived from a row.
 *
 * The pair compares e_ident (magic, class, data, version; the OSABI byte is masked out because
 * Linux binaries carry either SYSV or GNU there), the padding, e_type (EXEC or DYN: the two values
 * differ only in bit 0, so that bit is masked out of the low byte), and e_machine. Class and byte
 * order are compared exactly, which is what keeps 32-bit ARM from catching AArch64 and ppc64 (big
 * endian) from catching ppc64le.
 */

/** ELF facts from the System V ABI and the per-architecture supplements. */
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
const EV_CURRENT = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
const EI_OSABI = 7;
const E_TYPE = 16;
const E_MACHINE = 18;
/** Bytes compared: e_ident (16), e_type (2), e_machine (2). */
export const MAGIC_LENGTH = 20;

export interface BinfmtTarget {
  /** tsemu's name: bin/tsemu-<arch>, binfmt entry tsemu-<arch>. */
  readonly arch: string;
  readonly elfClass: typeof ELFCLASS32 | typeof ELFCLASS64;
  readonly elfData: typeof ELFDATA2LSB | typeof ELFDATA2MSB;
  /** e_machine. */
  readonly machine: number;
}

export const BINFMT_TARGETS: readonly BinfmtTarget[] = [
  { arch: 'aarch64', elfClass: ELFCLASS64, elfData: ELFDATA2LSB, machine: 183 /* EM_AARCH64 */ },
  { arch: 'arm', elfClass: ELFCLASS32, elfData: ELFDATA2LSB, machine: 40 /* EM_ARM */ },
  { arch: 'ppc64', elfClass: ELFCLASS64, elfData: ELFDATA2MSB, machine: 21 /* EM_PPC64 */ },
  { arch: 'ppc64le', elfClass: ELFCLASS64, elfData: ELFDATA2LSB, machine: 21 /* EM_PPC64 */ },
];

/** Looks a target up by name; throws naming the known ones. */
export function binfmtTarget(arch: string): BinfmtTarget {
  const target = BINFMT_TARGETS.find((t) => t.arch === arch);
  if (!target) throw new Error(`unknown architecture ${arch} (known: ${BINFMT_TARGETS.map((t) => t.arch).join(', ')})`);
  return target;
}

function putHalf(bytes: Uint8Array, offset: number, value: number, data: BinfmtTarget['elfData']): void {
  const [first, second] = data === ELFDATA2LSB ? [value & 0xff, value >> 8] : [value >> 8, value & 0xff];
  bytes[offset] = first;
  bytes[offset + 1] = second;
}

/** The bytes an executable of `target` starts with (e_type EXEC; the mask admits DYN too). */
export function magicOf(target: BinfmtTarget): Uint8Array {
  const magic = new Uint8Array(MAGIC_LENGTH);
  magic.set([0x7f, 0x45, 0x4c, 0x46, target.elfClass, target.elfData, EV_CURRENT]);
  putHalf(magic, E_TYPE, ET_EXEC, target.elfData);
  putHalf(magic, E_MACHINE, target.machine, target.elfData);
  return magic;
}

/** Which bits of the magic are compared. */
export function maskOf(target: BinfmtTarget): Uint8Array {
  const mask = new Uint8Array(MAGIC_LENGTH).fill(0xff);
  mask[EI_OSABI] = 0x00;
  putHalf(mask, E_TYPE, 0xffff & ~(ET_EXEC ^ ET_DYN), target.elfData);
  return mask;
}

/** What the kernel does with a file's first bytes: (header & mask) == magic. */
export function matches(target: BinfmtTarget, header: Uint8Array): boolean {
  if (header.length < MAGIC_LENGTH) return false;
  const magic = magicOf(target);
  const mask = maskOf(target);
  return magic.every((m, i) => (header[i]! & mask[i]!) === m);
}
