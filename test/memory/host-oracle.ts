/**
 * The host kernel as the oracle for mmap-family error semantics: the same call sequence is run on
 * a scratch range of the host process (raw syscalls through the native addon) and on a guest
 * address space, and the results compared (addresses relative to each side's base).
 */
import { native } from '../../src/native';

/** Host syscall numbers of the mmap family. */
const HOST_NR: Record<string, { mmap: number; munmap: number; mprotect: number; mremap: number }> = {
  x64: { mmap: 9, mprotect: 10, munmap: 11, mremap: 25 },
  arm64: { mmap: 222, mprotect: 226, munmap: 215, mremap: 216 },
};

export interface MmapOps {
  mmap(addr: number, length: number, prot: number, flags: number, fd: number, offset: number): number;
  munmap(addr: number, length: number): number;
  mprotect(addr: number, length: number, prot: number): number;
  mremap(oldAddr: number, oldSize: number, newSize: number, flags: number, newAddr: number): number;
}

export const hostOps = (): MmapOps => {
  const nr = HOST_NR[process.arch];
  if (!nr) throw new Error(`no syscall numbers for host ${process.arch}`);
  const sys = native().syscall;
  return {
    mmap: (a, l, p, f, fd, o) => sys(nr.mmap, a, l, p, f, fd, o),
    munmap: (a, l) => sys(nr.munmap, a, l),
    mprotect: (a, l, p) => sys(nr.mprotect, a, l, p),
    mremap: (a, o, n, f, na) => sys(nr.mremap, a, o, n, f, na),
  };
};

/** A free, page-aligned host range of `length` bytes (reserved, then released). */
export function freeHostRange(length: number): number {
  const ops = hostOps();
  const base = ops.mmap(0, length, 0, 0x22, -1, 0);
  if (base < 0) throw new Error(`host mmap failed: ${base}`);
  ops.munmap(base, length);
  return base;
}

/** Results made comparable: -errno as is, addresses relative to the base. */
export function relative(result: number, base: number): number | string {
  return result <= 0 && result > -4096 ? result : `base+0x${(result - base).toString(16)}`;
}
