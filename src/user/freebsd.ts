/**
 * Choosing between a target's Linux ABI and its FreeBSD ABI for one program: `-abi` decides when
 * given, otherwise the executable's brand (EI_OSABI or the FreeBSD ABI note, loader/brand.ts).
 * Only AArch64 has a FreeBSD ABI so far.
 */
import fs from 'node:fs';
import { elfBrand, type LoaderTarget } from '../loader';
import type { LinuxAbi } from '../syscalls/abi';
import type { UserTarget } from './target';

export type GuestAbiName = 'linux' | 'freebsd';

export interface UserTargetSet {
  user: UserTarget;
  loader: LoaderTarget;
  abi: LinuxAbi;
}

// Required on demand: the FreeBSD syscall layer is large and most programs are Linux ones.
const FREEBSD_TARGETS: Readonly<Record<string, () => UserTargetSet>> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  aarch64: () => (require('./freebsd-aarch64') as typeof import('./freebsd-aarch64')).FREEBSD_AARCH64,
};

/** The target set to run `programPath` with: the Linux one given, or its FreeBSD counterpart. */
export function chooseAbi(
  arch: string,
  linux: UserTargetSet,
  programPath: string,
  forced: GuestAbiName | undefined,
): UserTargetSet {
  const abi = forced ?? elfBrand(programPath);
  if (abi === 'linux') return linux;
  const freebsd = FREEBSD_TARGETS[arch]?.();
  if (!freebsd) {
    fs.writeSync(2, `tsemu-${arch}: ${programPath}: FreeBSD programs are not supported on this target\n`);
    process.exit(1);
  }
  return freebsd;
}
