/**
 * The 32-bit ARM Linux user-mode target (EABI): `svc 0` with the number in r7, arguments in
 * r0..r6, the result in r0; the ARM private syscalls set_tls (TPIDRURO) and cacheflush
 * (discards translations of the range), which need the CPU state and so live here; and the kuser
 * helpers page (arm-kuser.ts). sigreturn and rt_sigreturn both replace the whole register state,
 * so both are handed to the CPU loop as rt_sigreturn.
 */
import type { LinuxAbi, SyscallEntry } from '../syscalls/abi';
import { armAbi } from '../syscalls/abi/arm';
import { syscall } from '../syscalls/linux/define';
import { armFrontend } from '../translate/arm/frontend';
import { TPIDRURO, reg, writeNzcv } from '../translate/arm/state';
import { STATE_PC } from '../translate/frontend';
import { mapKuserHelpers } from './arm-kuser';
import type { UserTarget } from './target';

const SIGRETURN = armAbi.syscallNumbers['sigreturn']!;
const RT_SIGRETURN = armAbi.syscallNumbers['rt_sigreturn']!;

export const armTarget: UserTarget = {
  name: 'arm',
  frontend: armFrontend,
  endian: 'little',
  initState(state, base, entry, sp) {
    // The ELF entry's bit 0 selects Thumb, exactly as the pc encodes it.
    state.setBigUint64(base + STATE_PC, BigInt(entry), true);
    state.setUint32(base + reg(13), sp, true);
    writeNzcv(state, base, 0);
  },
  setStackPointer: (state, base, sp) => state.setUint32(base + reg(13), sp, true),
  setThreadPointer: (state, base, tls) => state.setUint32(base + TPIDRURO, tls, true),
  syscallNumber: (state, base) => {
    const nr = state.getUint32(base + reg(7), true);
    // Both sigreturns go to the CPU loop's rt_sigreturn path; the frame (signals/arm-frame.ts) tells them apart by r7.
    return nr === SIGRETURN ? RT_SIGRETURN : nr;
  },
  syscallArgs: (state, base) => [0, 1, 2, 3, 4, 5, 6].map((i) => state.getUint32(base + reg(i), true)),
  setSyscallResult: (state, base, result) => state.setUint32(base + reg(0), Number(BigInt.asUintN(32, BigInt(result))), true),
  // `svc` is 4 bytes in ARM state and 2 in Thumb state (bit 0 of the pc).
  syscallLength: (state, base) => (state.getUint32(base + STATE_PC, true) & 1 ? 2 : 4),
  prepareAddressSpace: mapKuserHelpers,
};

const PRIVATE: Readonly<Record<string, SyscallEntry['definition']>> = {
  ARM_set_tls: syscall('x', (p, [value]) => {
    p.memory.view.setUint32(p.stateBase + TPIDRURO, value!, true);
    return 0;
  }),
  ARM_cacheflush: syscall('xxd', (p, [start, end]) => {
    if (end! > start!) p.invalidateCode(start!, end! - start!);
    return 0;
  }),
};

/** The ARM ABI with the private calls that act on the CPU. */
export const armUserAbi: LinuxAbi = {
  ...armAbi,
  syscalls: new Map([
    ...armAbi.syscalls,
    ...Object.entries(PRIVATE).map(([name, definition]): [number, SyscallEntry] => [armAbi.syscallNumbers[name]!, { name, definition }]),
  ]),
};
