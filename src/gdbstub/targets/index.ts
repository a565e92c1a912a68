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
