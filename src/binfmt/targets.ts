/**
 * Which ELF files binfmt_misc hands to tsemu: one row per user-mode target (its ELF class, byte
 * order and e_machine), and the 20-byte magic/mask pair derived from a row.
 *
 * The pair compares e_ident (magic, class, data, version, OSABI), the padding, e_type (EXEC or
 * DYN: the two values differ only in bit 0, so that bit is masked out of the low byte), and
 * e_machine. Class and byte order are compared exactly, which is what keeps 32-bit ARM from
 * catching AArch64 and ppc64 (big endian) from catching ppc64le. Linux binaries carry SYSV (0) or
 * GNU (3) in EI_OSABI; a mask of 0xfc admits both (and the unused 1 and 2) and keeps FreeBSD (9),
 * whose aarch64 executables have their own row, out of the Linux entries.
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
const ELFOSABI_FREEBSD = 9;
const E_TYPE = 16;
const E_MACHINE = 18;
/** Bytes compared: e_ident (16), e_type (2), e_machine (2). */
export const MAGIC_LENGTH = 20;

/** Which EI_OSABI values an entry takes: (byte & mask) == value. */
export interface OsabiMatch {
  readonly value: number;
  readonly mask: number;
}

/** SYSV (0) and GNU (3), the two a Linux toolchain writes. */
const LINUX_OSABI: OsabiMatch = { value: 0, mask: 0xfc };
const FREEBSD_OSABI: OsabiMatch = { value: ELFOSABI_FREEBSD, mask: 0xff };

export interface BinfmtTarget {
  /** The entry's name: binfmt entry tsemu-<arch>, `--arch <arch>`. */
  readonly arch: string;
  /** The tsemu that runs it: bin/tsemu-<emulator>, launcher tsemu-<emulator>-binfmt. */
  readonly emulator: string;
  readonly osabi: OsabiMatch;
  readonly elfClass: typeof ELFCLASS32 | typeof ELFCLASS64;
  readonly elfData: typeof ELFDATA2LSB | typeof ELFDATA2MSB;
  /** e_machine. */
  readonly machine: number;
}

export const BINFMT_TARGETS: readonly BinfmtTarget[] = [
  { arch: 'aarch64', emulator: 'aarch64', osabi: LINUX_OSABI, elfClass: ELFCLASS64, elfData: ELFDATA2LSB, machine: 183 /* EM_AARCH64 */ },
  { arch: 'arm', emulator: 'arm', osabi: LINUX_OSABI, elfClass: ELFCLASS32, elfData: ELFDATA2LSB, machine: 40 /* EM_ARM */ },
  { arch: 'ppc64', emulator: 'ppc64', osabi: LINUX_OSABI, elfClass: ELFCLASS64, elfData: ELFDATA2MSB, machine: 21 /* EM_PPC64 */ },
  { arch: 'ppc64le', emulator: 'ppc64le', osabi: LINUX_OSABI, elfClass: ELFCLASS64, elfData: ELFDATA2LSB, machine: 21 /* EM_PPC64 */ },
  // FreeBSD/arm64 (bsd-user): tsemu-aarch64 picks the FreeBSD ABI by the same brand.
  { arch: 'aarch64-freebsd', emulator: 'aarch64', osabi: FREEBSD_OSABI, elfClass: ELFCLASS64, elfData: ELFDATA2LSB, machine: 183 /* EM_AARCH64 */ },
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
  magic.set([0x7f, 0x45, 0x4c, 0x46, target.elfClass, target.elfData, EV_CURRENT, target.osabi.value]);
  putHalf(magic, E_TYPE, ET_EXEC, target.elfData);
  putHalf(magic, E_MACHINE, target.machine, target.elfData);
  return magic;
}

/** Which bits of the magic are compared. */
export function maskOf(target: BinfmtTarget): Uint8Array {
  const mask = new Uint8Array(MAGIC_LENGTH).fill(0xff);
  mask[EI_OSABI] = target.osabi.mask;
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
