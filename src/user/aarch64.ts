/**
 * The AArch64 Linux user-mode target: `svc #0` with the number in x8, arguments in x0..x5, the
 * result in x0.
 */
import { aarch64Frontend } from '../translate/aarch64/frontend';
import { SP, TPIDR_EL0, xreg } from '../translate/aarch64/state';
import { STATE_PC } from '../translate/frontend';
import { readSigned64, writeSigned64, type UserTarget } from './target';

export const aarch64Target: UserTarget = {
  name: 'aarch64',
  frontend: aarch64Frontend,
  endian: 'little',
  topByteIgnored: true,
  initState(state, base, entry, sp) {
    state.setBigUint64(base + STATE_PC, BigInt(entry), true);
    state.setBigUint64(base + SP, BigInt(sp), true);
  },
  setStackPointer: (state, base, sp) => state.setBigUint64(base + SP, BigInt(sp), true),
  setThreadPointer: (state, base, tls) => state.setBigUint64(base + TPIDR_EL0, BigInt(tls), true),
  syscallNumber: (state, base) => readSigned64(state, base + xreg(8)),
  syscallArgs: (state, base) => [0, 1, 2, 3, 4, 5].map((i) => readSigned64(state, base + xreg(i))),
  setSyscallResult: (state, base, result) => writeSigned64(state, base + xreg(0), result),
  syscallLength: () => 4,
};
