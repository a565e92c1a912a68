/**
 * Descriptor table calls: dup, dup3, pipe2 and fcntl. fcntl commands and the open flags that
 * F_GETFL/F_SETFL carry are translated by name; record locks convert struct flock.
 */
import type { GuestProcess } from '../../user/process';
import type { FcntlCommand } from '../abi';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { isHostReserved } from './fd-guard';
import { openFlagsFromHost, openFlagsToHost, strictOpenFlagsToHost, translateValue } from './flags';
import { E, guestRange, withHostStruct } from './guest-access';
import { HOST, hostSyscall } from './host';

const LOCK_COMMANDS: ReadonlySet<FcntlCommand> = new Set(['F_GETLK', 'F_SETLK', 'F_SETLKW', 'F_OFD_GETLK', 'F_OFD_SETLK', 'F_OFD_SETLKW']);

function commandName(proc: GuestProcess, cmd: number): FcntlCommand | undefined {
  return (Object.keys(proc.abi.fcntlCommands) as FcntlCommand[]).find((n) => proc.abi.fcntlCommands[n] === cmd);
}

function fcntl(proc: GuestProcess, [fdArg, cmdArg, arg]: SyscallArgs): number {
  const fd = int(fdArg);
  const name = commandName(proc, int(cmdArg));
  if (name === undefined) return -E.EINVAL;
  const cmd = HOST.fcntlCommands[name];
  if (name === 'F_GETFL') {
    const r = hostSyscall('fcntl', fd, cmd);
    return r < 0 ? r : openFlagsFromHost(proc.abi, HOST, r);
  }
  if (name === 'F_SETFL') return hostSyscall('fcntl', fd, cmd, openFlagsToHost(proc.abi, HOST, int(arg)));
  if (LOCK_COMMANDS.has(name)) {
    const direction = name.includes('GETLK') ? 'inout' : 'in';
    return withHostStruct(proc, 'flock', arg!, direction, (fl) => (fl === 0 ? -E.EFAULT : hostSyscall('fcntl', fd, cmd, fl)));
  }
  if (name === 'F_GETOWN_EX' || name === 'F_SETOWN_EX') {
    // struct f_owner_ex { int type; pid_t pid; } is the same on every ABI of one byte order.
    const host = guestRange(proc, arg!, 8, name === 'F_GETOWN_EX');
    return host === undefined ? -E.EFAULT : hostSyscall('fcntl', fd, cmd, host);
  }
  if (name === 'F_SETSIG') return hostSyscall('fcntl', fd, cmd, signalArg(proc, int(arg)));
  return hostSyscall('fcntl', fd, cmd, int(arg));
}

/** F_SETSIG's signal (0 = SIGIO) in host numbering. */
function signalArg(proc: GuestProcess, sig: number): number {
  return sig === 0 ? 0 : translateValue(sig, proc.abi.signals, HOST.signals) ?? sig;
}

function pipe2(proc: GuestProcess, [fds, flags]: SyscallArgs): number {
  const host = guestRange(proc, fds!, 8, true);
  if (host === undefined) return -E.EFAULT;
  const hostFlags = strictOpenFlagsToHost(proc.abi, HOST, int(flags));
  return hostFlags === undefined ? -E.EINVAL : hostSyscall('pipe2', host, hostFlags);
}

function dup3(proc: GuestProcess, [oldFd, newFd, flags]: SyscallArgs): number {
  const hostFlags = strictOpenFlagsToHost(proc.abi, HOST, int(flags));
  if (hostFlags === undefined) return -E.EINVAL;
  if (isHostReserved(int(newFd))) return -E.EBADF;
  return hostSyscall('dup3', int(oldFd), int(newFd), hostFlags);
}

export const FS_FD_SYSCALLS: SyscallGroup = {
  dup: syscall('d', (_p, [fd]) => hostSyscall('dup', int(fd))),
  dup3: syscall('ddd', dup3),
  fcntl: syscall('ddd', fcntl),
  pipe2: syscall('xd', pipe2),
};
