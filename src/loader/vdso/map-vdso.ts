/**
 * Maps a vDSO image into a new process (read and execute, named [vdso] in /proc/self/maps, as
 * Linux's arch_setup_additional_pages does) and finds it again: the kernel remembers where the
 * vDSO is (mm->context.vdso) to return from signal handlers into it; tsemu asks the address space.
 */
import type { AddressSpace } from '../../memory/address-space';
import { PAGE_SIZE } from '../../memory/layout';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../memory/linux-mm';
import { LoaderError } from '../loader-error';
import type { VdsoImage } from './shared-object';

const VDSO_NAME = '[vdso]';

/** Maps `image` at a free address; returns that address (AT_SYSINFO_EHDR). */
export function mapVdso(space: AddressSpace, image: VdsoImage, programPath: string): number {
  const size = Math.ceil(image.bytes.length / PAGE_SIZE) * PAGE_SIZE;
  const at = space.mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (at < 0) throw new LoaderError(programPath, `cannot map the vDSO (errno ${-at})`);
  space.memory.writeBytes(at, image.bytes);
  space.mprotect(at, size, PROT_READ | PROT_EXEC);
  space.nameRegion(at, size, VDSO_NAME);
  return at;
}

/** Where the process's vDSO is, if it has one (the guest may have unmapped it). */
export function vdsoBase(space: AddressSpace): number | undefined {
  return space.regions().find((r) => r.path === VDSO_NAME)?.start;
}
