/**
 * The auxiliary vector: the AT_* entries Linux's create_elf_tables gives a new process, in its
 * order (architecture entries first, then the generic ones).
 */
import { PAGE_SIZE } from '../memory/layout';
import type { LoaderTarget } from './targets';

/** include/uapi/linux/auxvec.h, include/uapi/linux/elf.h */
export enum AuxType {
  AT_NULL = 0,
  AT_PHDR = 3,
  AT_PHENT = 4,
  AT_PHNUM = 5,
  AT_PAGESZ = 6,
  AT_BASE = 7,
  AT_FLAGS = 8,
  AT_ENTRY = 9,
  AT_UID = 11,
  AT_EUID = 12,
  AT_GID = 13,
  AT_EGID = 14,
  AT_PLATFORM = 15,
  AT_HWCAP = 16,
  AT_CLKTCK = 17,
  /** PowerPC (arch/powerpc/include/uapi/asm/auxvec.h): cache block sizes and the glibc padding entry. */
  AT_DCACHEBSIZE = 19,
  AT_ICACHEBSIZE = 20,
  AT_UCACHEBSIZE = 21,
  AT_IGNOREPPC = 22,
  AT_SECURE = 23,
  AT_RANDOM = 25,
  AT_HWCAP2 = 26,
  AT_EXECFN = 31,
  AT_SYSINFO_EHDR = 33,
  AT_MINSIGSTKSZ = 51,
}

/** One auxv pair: type and value. */
export type AuxEntry = readonly [type: AuxType, value: number];

/** USER_HZ, the unit of times(2) and /proc tick counts. */
const CLOCK_TICKS = 100;

/** What the auxv describes, gathered by the loader. */
export interface AuxvInputs {
  readonly phdr: number;
  readonly phentsize: number;
  readonly phnum: number;
  /** Load address of the interpreter, 0 without one. */
  readonly interpreterBase: number;
  /** The program's entry point (not the interpreter's). */
  readonly entry: number;
  /** Addresses on the new stack. */
  readonly random: number;
  readonly platform: number;
  readonly execfn: number;
  /** Address of the vDSO, where the target's kernel provides one. */
  readonly vdso?: number;
}

/** The auxv entries (without the closing AT_NULL), in Linux's order. */
export function buildAuxv(target: LoaderTarget, inputs: AuxvInputs): AuxEntry[] {
  const entries: AuxEntry[] = [...(target.archAuxv ?? [])];
  if (inputs.vdso !== undefined) entries.push([AuxType.AT_SYSINFO_EHDR, inputs.vdso]);
  if (target.minSigStkSz !== undefined) entries.push([AuxType.AT_MINSIGSTKSZ, target.minSigStkSz]);
  entries.push(
    // Feature words made with JavaScript's bitwise operators are signed: bit 31 must not sign-extend.
    [AuxType.AT_HWCAP, target.hwcap >>> 0],
    [AuxType.AT_PAGESZ, PAGE_SIZE],
    [AuxType.AT_CLKTCK, CLOCK_TICKS],
    [AuxType.AT_PHDR, inputs.phdr],
    [AuxType.AT_PHENT, inputs.phentsize],
    [AuxType.AT_PHNUM, inputs.phnum],
    [AuxType.AT_BASE, inputs.interpreterBase],
    [AuxType.AT_FLAGS, 0],
    [AuxType.AT_ENTRY, inputs.entry],
    [AuxType.AT_UID, process.getuid?.() ?? 0],
    [AuxType.AT_EUID, process.geteuid?.() ?? 0],
    [AuxType.AT_GID, process.getgid?.() ?? 0],
    [AuxType.AT_EGID, process.getegid?.() ?? 0],
    [AuxType.AT_SECURE, 0],
    [AuxType.AT_RANDOM, inputs.random],
    [AuxType.AT_HWCAP2, target.hwcap2 >>> 0],
    [AuxType.AT_EXECFN, inputs.execfn],
    [AuxType.AT_PLATFORM, inputs.platform],
  );
  return entries;
}
