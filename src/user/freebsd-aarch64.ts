/**
 * The FreeBSD/arm64 user-mode target: the AArch64 frontend with FreeBSD's kernel conventions.
 * A new process starts with x0 pointing at its argument block (argc, argv, envp, auxv), as
 * exec_setregs does. `svc #0` takes the number in x8 (or, through syscall/__syscall, in x0 with
 * the arguments moved up one register) and returns with the carry flag clear and the result in
 * x0, or with the carry set and a positive errno in x0.
 */
import { LOADER_TARGETS, type LoaderTarget } from '../loader';
import { CF, xreg } from '../translate/aarch64/state';
import { freebsdAarch64Abi } from '../syscalls/freebsd/abi';
import { FREEBSD_SYSCALL_NUMBERS } from '../syscalls/freebsd/numbers';
import { aarch64Target } from './aarch64';
import { freebsdAuxv } from './freebsd-auxv';
import { readSigned64, writeSigned64, type UserTarget } from './target';

const MAX_ERRNO = 4095;
const SVC_LENGTH = 4;
const INDIRECT = new Set([FREEBSD_SYSCALL_NUMBERS['syscall'], FREEBSD_SYSCALL_NUMBERS['__syscall']]);

/** Whether x8 asks for an indirect call (the number is then in x0). */
const indirect = (state: DataView, base: number): boolean =>
  INDIRECT.has(readSigned64(state, base + xreg(8)));

export const freebsdAarch64Target: UserTarget = {
  name: 'aarch64-freebsd',
  frontend: aarch64Target.frontend,
  endian: 'little',
  initState(state, base, entry, sp, entryBias) {
    aarch64Target.initState(state, base, entry, sp, entryBias);
    state.setBigUint64(base + xreg(0), BigInt(sp), true);
  },
  setStackPointer: aarch64Target.setStackPointer,
  setThreadPointer: aarch64Target.setThreadPointer,
  syscallNumber: (state, base) => readSigned64(state, base + xreg(indirect(state, base) ? 0 : 8)),
  syscallArgs: (state, base) => {
    const first = indirect(state, base) ? 1 : 0;
    return [0, 1, 2, 3, 4, 5].map((i) => readSigned64(state, base + xreg(first + i)));
  },
  setSyscallResult(state, base, result) {
    const failed = result < 0 && result >= -MAX_ERRNO;
    writeSigned64(state, base + xreg(0), failed ? -result : result);
    state.setInt32(base + CF, failed ? 1 : 0, true);
  },
  syscallLength: () => SVC_LENGTH,
};

export const FREEBSD_AARCH64_LOADER_TARGET: LoaderTarget = {
  ...LOADER_TARGETS.aarch64,
  name: 'aarch64-freebsd',
  auxv: freebsdAuxv,
};

export const FREEBSD_AARCH64 = {
  user: freebsdAarch64Target,
  loader: FREEBSD_AARCH64_LOADER_TARGET,
  abi: freebsdAarch64Abi,
};
