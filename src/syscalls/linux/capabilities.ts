/**
 * capget and capset: struct __user_cap_header_struct (u32 version, int pid) and the array of
 * struct __user_cap_data_struct (three u32 sets: one for _LINUX_CAPABILITY_VERSION_1, two for
 * versions 2 and 3) are all 32-bit words on every ABI, so the host answers with the words in its
 * byte order. The kernel writes its preferred version into the header when the guest's is unknown.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { syscall, type SyscallGroup } from './define';
import { E, guestRange } from './guest-access';
import { hostArena, hostSyscall } from './host';

const HEADER_WORDS = 2;
const WORDS_PER_SET = 3;
/** Data structs per version: _LINUX_CAPABILITY_VERSION_1, _2 and _3. */
const SETS: ReadonlyMap<number, number> = new Map([
  [0x19980330, 1],
  [0x20071026, 2],
  [0x20080522, 2],
]);

/** Copies `words` u32s between guest memory and the host arena, converting their byte order. */
function copyWords(proc: GuestProcess, guest: number, host: number, words: number, toHost: boolean): void {
  const view = proc.memory.view;
  const le = proc.memory.littleEndian;
  for (let i = 0; i < words; i++) {
    if (toHost) hostArena.view.setUint32(host + 4 * i, view.getUint32(guest + 4 * i, le), true);
    else view.setUint32(guest + 4 * i, hostArena.view.getUint32(host + 4 * i, true), le);
  }
}

function capability(name: 'capget' | 'capset') {
  return (proc: GuestProcess, [header, data]: SyscallArgs): number => {
    if (guestRange(proc, header!, 4 * HEADER_WORDS, true) === undefined) return -E.EFAULT;
    const hostHeader = hostArena.alloc(4 * HEADER_WORDS);
    copyWords(proc, header!, hostHeader, HEADER_WORDS, true);
    const words = (SETS.get(hostArena.view.getUint32(hostHeader, true)) ?? 0) * WORDS_PER_SET;
    const hostData = hostArena.alloc(4 * WORDS_PER_SET * 2);
    if (data !== 0 && words > 0) {
      if (guestRange(proc, data!, 4 * words, name === 'capget') === undefined) return -E.EFAULT;
      if (name === 'capset') copyWords(proc, data!, hostData, words, true);
    }
    const rc = hostSyscall(name, hostArena.address(hostHeader), data === 0 ? 0 : hostArena.address(hostData));
    copyWords(proc, header!, hostHeader, 1, false);
    if (rc >= 0 && name === 'capget' && data !== 0) copyWords(proc, data!, hostData, words, false);
    return rc;
  };
}

export const CAPABILITY_SYSCALLS: SyscallGroup = {
  capget: syscall('xx', capability('capget')),
  capset: syscall('xx', capability('capset')),
};
