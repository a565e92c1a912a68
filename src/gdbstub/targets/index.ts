/**
 * gdb target descriptions by frontend name. Targets without one cannot be debugged yet (-g refuses).
 */
import type { TargetDescription } from '../register-table';
import { AARCH64_DESCRIPTION } from './aarch64';
import { ARM_DESCRIPTION } from './arm';
import { PPC64_DESCRIPTION, PPC64LE_DESCRIPTION } from './ppc64';

export const GDB_TARGETS: Readonly<Record<string, TargetDescription>> = {
  aarch64: AARCH64_DESCRIPTION,
  arm: ARM_DESCRIPTION,
  ppc64: PPC64_DESCRIPTION,
  ppc64le: PPC64LE_DESCRIPTION,
};

/** The description of a frontend running with the given byte order (for logs, which know the frontend). */
export function descriptionOf(frontend: string, littleEndian: boolean): TargetDescription | undefined {
  return Object.values(GDB_TARGETS).find((d) => d.frontend === frontend && d.littleEndian === littleEndian);
}
