/**
 * The auxiliary vector FreeBSD's imgact_elf gives a new process (__elfN(freebsd_copyout_auxargs)),
 * in its order and with its AT_* numbering (sys/sys/elf_common.h), which shares only the first
 * ten types with Linux. AT_CANARY points at the 16 random bytes the loader put on the stack;
 * AT_EXECPATH at the program name. Not given: AT_PAGESIZES (libc asks sysctl hw.pagesizes
 * instead), AT_TIMEKEEP (no shared timehands page: libc and Go fall back to clock_gettime), and
 * AT_ARGV/AT_ENVV/AT_PS_STRINGS (the argument block is found from the entry's x0 instead).
 */
import os from 'node:os';
import { PAGE_SIZE } from '../memory/layout';
import { PROT_READ, PROT_WRITE } from '../memory/linux-mm';
import type { AuxEntry, AuxType, AuxvInputs, LoaderTarget } from '../loader';
import { FREEBSD_OSRELDATE } from '../syscalls/freebsd/sysctl';

const AT_PHDR = 3;
const AT_PHENT = 4;
const AT_PHNUM = 5;
const AT_PAGESZ = 6;
const AT_BASE = 7;
const AT_FLAGS = 8;
const AT_ENTRY = 9;
const AT_EXECPATH = 15;
const AT_CANARY = 16;
const AT_CANARYLEN = 17;
const AT_OSRELDATE = 18;
const AT_NCPUS = 19;
const AT_STACKPROT = 23;
const AT_EHDRFLAGS = 24;
const AT_HWCAP = 25;
const AT_HWCAP2 = 26;
const AT_BSDFLAGS = 27;
/** The AT_RANDOM bytes the loader writes serve as the canary. */
const CANARY_LENGTH = 16;

/** An entry under FreeBSD's numbering (the loader's AuxType enum names Linux's). */
const entry = (type: number, value: number): AuxEntry => [type as AuxType, value];

export function freebsdAuxv(target: LoaderTarget, inputs: AuxvInputs): AuxEntry[] {
  return [
    entry(AT_PHDR, inputs.phdr),
    entry(AT_PHENT, inputs.phentsize),
    entry(AT_PHNUM, inputs.phnum),
    entry(AT_PAGESZ, PAGE_SIZE),
    entry(AT_FLAGS, 0),
    entry(AT_ENTRY, inputs.entry),
    entry(AT_BASE, inputs.interpreterBase),
    entry(AT_EHDRFLAGS, 0),
    entry(AT_EXECPATH, inputs.execfn),
    entry(AT_OSRELDATE, FREEBSD_OSRELDATE),
    entry(AT_CANARY, inputs.random),
    entry(AT_CANARYLEN, CANARY_LENGTH),
    entry(AT_NCPUS, os.availableParallelism()),
    entry(AT_STACKPROT, PROT_READ | PROT_WRITE),
    entry(AT_HWCAP, target.hwcap),
    entry(AT_HWCAP2, target.hwcap2),
    entry(AT_BSDFLAGS, 0),
  ];
}
