/**
 * gdb target descriptions by frontend name. Targets without one cannot be debugged yet (-g refuses).
 */
import type { TargetDescription } from '../register-table';
import { AARCH64_DESCRIPTION } from './aarch64';

export const GDB_TARGETS: Readonly<Record<string, TargetDescription>> = {
  aarch64: AARCH64_DESCRIPTION,
};
