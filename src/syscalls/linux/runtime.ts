/**
 * Calls language runtimes probe for: membarrier (the query answers the commands served; they run
 * on the host, whose threads are the guest's threads) and process descriptors (pidfd_open,
 * pidfd_send_signal with the signal in host numbering; a signal to the process itself goes to the
 * guest's signal queue, as kill does). rseq and clone3 are deliberately absent: their exact
 * -ENOSYS makes glibc disable restartable sequences and fall back to clone.
 */
import fs from 'node:fs';
import type { GuestProcess } from '../../user/process';
import { signalToHost } from '../../user/signals/dispositions';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { hostFd, newGuestFd } from './fd-table';
import { strictOpenFlagsToHost } from './flags';
import { E, guestRange } from './guest-access';
import { HOST, hostSyscall } from './host';
import { signalNumber } from './strace-names';
import { SIGNAL_SYSCALLS } from './signals';

/** include/uapi/linux/membarrier.h */
const MEMBARRIER_CMD_QUERY = 0;
const MEMBARRIER_CMD_GLOBAL = 1;
const MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
const SERVED = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;

function membarrier(_proc: GuestProcess, [cmdArg, flags, cpu]: SyscallArgs): number {
  const cmd = int(cmdArg);
  if (cmd === MEMBARRIER_CMD_QUERY) return int(flags) === 0 ? hostSyscall('membarrier', MEMBARRIER_CMD_QUERY, 0, 0) & SERVED : -E.EINVAL;
  if ((cmd & SERVED) !== cmd || cmd === 0 || (cmd & (cmd - 1)) !== 0) return -E.EINVAL;
  return hostSyscall('membarrier', cmd, int(flags), int(cpu));
}

/** The pid a host pidfd refers to (its fdinfo "Pid:" line), or undefined. */
function pidOf(fd: number): number | undefined {
  try {
    const m = /^Pid:\s*(-?\d+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function pidfdSendSignal(proc: GuestProcess, [fdArg, sigArg, info, flags]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const sig = int(sigArg);
  if (info === 0 && int(flags) === 0 && pidOf(fd) === process.pid) return SIGNAL_SYSCALLS['kill']!.handler(proc, [process.pid, sig]);
  const hostInfo = info === 0 ? 0 : guestRange(proc, info!, 128, false);
  if (hostInfo === undefined) return -E.EFAULT;
  return hostSyscall('pidfd_send_signal', fd, sig === 0 ? 0 : signalToHost(proc.abi, sig), hostInfo, int(flags));
}

export const RUNTIME_SYSCALLS: SyscallGroup = {
  membarrier: syscall('ddd', membarrier),
  pidfd_open: syscall('dh', (p, [pid, flags]) => {
    const f = strictOpenFlagsToHost(p.abi, HOST, int(flags));
    return f === undefined ? -E.EINVAL : newGuestFd(p, hostSyscall('pidfd_open', int(pid), f));
  }),
  pidfd_send_signal: syscall(['d', signalNumber, 'x', 'd'], pidfdSendSignal),
};
