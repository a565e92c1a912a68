/**
 * The two PowerPC64 guest targets for the shared test harness (test/lib): Debian's cross compilers
 * build the guest programs, qemu-ppc64 and qemu-ppc64le are the oracles.
 */
import type { GuestTarget } from '../lib/targets';

export const PPC64LE: GuestTarget = {
  name: 'ppc64le',
  cc: 'powerpc64le-linux-gnu-gcc',
  ccPackage: 'gcc-powerpc64le-linux-gnu',
  cflags: ['-static', '-O2'],
  qemu: 'qemu-ppc64le',
  debArch: 'ppc64el',
};

export const PPC64: GuestTarget = {
  name: 'ppc64',
  cc: 'powerpc64-linux-gnu-gcc',
  ccPackage: 'gcc-powerpc64-linux-gnu',
  cflags: ['-static', '-O2'],
  qemu: 'qemu-ppc64',
  debArch: 'ppc64',
};

export const PPC64_TARGETS = [PPC64LE, PPC64] as const;
