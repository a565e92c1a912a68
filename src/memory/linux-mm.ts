/**
 * Linux's generic memory-management constants (asm-generic/mman-common.h, linux/mman.h), as the
 * AddressSpace takes them, and the translation of a protection into the page flag table's bits.
 * Targets whose ABI numbers these differently translate before calling the AddressSpace.
 */
import { PageFlags } from './layout';

export const PROT_NONE = 0x0;
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const PROT_EXEC = 0x4;
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;
/** Every bit mprotect accepts. */
export const PROT_VALID = PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP;

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_GROWSDOWN = 0x0100;
export const MAP_DENYWRITE = 0x0800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_NONBLOCK = 0x10000;
export const MAP_STACK = 0x20000;
export const MAP_HUGETLB = 0x40000;
export const MAP_SYNC = 0x80000;
export const MAP_FIXED_NOREPLACE = 0x100000;
/** Flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK plus MAP_SYNC); others are -EOPNOTSUPP. */
export const MAP_VALIDATE_MASK =
  MAP_SHARED |
  MAP_PRIVATE |
  MAP_FIXED |
  MAP_ANONYMOUS |
  MAP_DENYWRITE |
  MAP_EXECUTABLE |
  MAP_GROWSDOWN |
  MAP_LOCKED |
  MAP_NORESERVE |
  MAP_POPULATE |
  MAP_NONBLOCK |
  MAP_STACK |
  MAP_HUGETLB |
  MAP_SYNC |
  MAP_FIXED_NOREPLACE;

export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;

/** The page flags a mapped page with protection `prot` carries. */
export function protToPageFlags(prot: number): number {
  return (
    (prot & PROT_READ ? 0 : PageFlags.NoRead) |
    (prot & PROT_WRITE ? 0 : PageFlags.NoWrite) |
    (prot & PROT_EXEC ? 0 : PageFlags.NoExec)
  );
}
