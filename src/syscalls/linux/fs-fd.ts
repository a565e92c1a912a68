/**
 * Descriptor table calls: dup, dup3, pipe2 and fcntl, on the guest's descriptor table (new guest
 * numbers are the lowest free ones, as Linux gives). fcntl commands and the open flags that
 * F_GETFL/F_SETFL carry are translated by name; record locks convert struct flock.
 */
import type { GuestProcess } from '../../user/process';
import type { FcntlCommand, FlockField, StructLayout } from '../abi';
import { StructView, convertStruct } from '../struct-view';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { fdTable, hostFd, newGuestFd } from './fd-table';
import { openFlagsFromHost, openFlagsToHost, strictOpenFlagsToHost, translateValue } from './flags';
import { E, guestRange, withHostStruct } from './guest-access';
import { HOST, hostStructArray, hostSyscall } from './host';
import { fcntlCommand } from './strace-names';

const LOCK_COMMANDS: ReadonlySet<FcntlCommand> = new Set(['F_GETLK', 'F_SETLK', 'F_SETLKW', 'F_OFD_GETLK', 'F_OFD_SETLK', 'F_OFD_SETLKW']);

function commandName(proc: GuestProcess, cmd: number): FcntlCommand | undefined {
  return (Object.keys(proc.abi.fcntlCommands) as FcntlCommand[]).find((n) => proc.abi.fcntlCommands[n] === cmd);
}

function fcntl(proc: GuestProcess, [fdArg, cmdArg, arg]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const name = commandName(proc, int(cmdArg));
  if (name === undefined) return -E.EINVAL;
  const cmd = HOST.fcntlCommands[name];
  if (name === 'F_DUPFD' || name === 'F_DUPFD_CLOEXEC') {
    if (int(arg) < 0) return -E.EINVAL;
    return newGuestFd(proc, hostSyscall('fcntl', fd, cmd, 0), int(arg));
  }
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
  if (name === 'F_GETSIG') {
    const r = hostSyscall('fcntl', fd, cmd);
    return r <= 0 ? r : (translateValue(r, HOST.signals, proc.abi.signals) ?? r);
  }
  return hostSyscall('fcntl', fd, cmd, int(arg));
}

/**
 * A record-lock command (`name`: F_GETLK, F_SETLK, F_SETLKW) on host descriptor `fd` with the
 * guest's struct flock at `arg` laid out as `layout` (a 32-bit ABI's older struct with 32-bit
 * offsets), converted to the host's and, for F_GETLK, back.
 */
export function fcntlLockWithLayout(proc: GuestProcess, fd: number, name: FcntlCommand, arg: number, layout: StructLayout<FlockField>): number {
  const getlk = name.includes('GETLK');
  if (guestRange(proc, arg, layout.size, getlk) === undefined) return -E.EFAULT;
  const guest = new StructView(proc.memory.view, arg, layout, proc.memory.littleEndian);
  const host = hostStructArray('flock', 1);
  convertStruct(guest, host.views[0]!);
  const r = hostSyscall('fcntl', fd, HOST.fcntlCommands[name], host.address);
  if (r >= 0 && getlk) convertStruct(host.views[0]!, guest);
  return r;
}

/** F_SETSIG's signal (0 = SIGIO) in host numbering. */
function signalArg(proc: GuestProcess, sig: number): number {
  return sig === 0 ? 0 : translateValue(sig, proc.abi.signals, HOST.signals) ?? sig;
}

/** pipe2: the host fills the guest's int[2] with host descriptors, which are then renumbered. */
function pipe2(proc: GuestProcess, [fds, flags]: SyscallArgs): number {
  const host = guestRange(proc, fds!, 8, true);
  if (host === undefined) return -E.EFAULT;
  const hostFlags = strictOpenFlagsToHost(proc.abi, HOST, int(flags));
  if (hostFlags === undefined) return -E.EINVAL;
  const r = hostSyscall('pipe2', host, hostFlags);
  if (r < 0) return r;
  const view = proc.memory.view;
  for (const at of [fds!, fds! + 4]) view.setInt32(at, fdTable(proc).add(view.getInt32(at, HOST.littleEndian)), proc.memory.littleEndian);
  return 0;
}

function dup(proc: GuestProcess, [fd]: SyscallArgs): number {
  const h = hostFd(proc, int(fd));
  return h < 0 ? h : newGuestFd(proc, hostSyscall('fcntl', h, HOST.fcntlCommands.F_DUPFD, 0));
}

/** dup3: a fresh host duplicate put at guest number `newFd`, closing what was there. */
function dup3(proc: GuestProcess, [oldFd, newFd, flags]: SyscallArgs): number {
  const hostFlags = strictOpenFlagsToHost(proc.abi, HOST, int(flags));
  if (hostFlags === undefined || hostFlags & ~HOST.openFlags.O_CLOEXEC || int(oldFd) === int(newFd)) return -E.EINVAL;
  const h = hostFd(proc, int(oldFd));
  if (h < 0) return h;
  if (int(newFd) < 0) return -E.EBADF;
  const cmd = hostFlags ? HOST.fcntlCommands.F_DUPFD_CLOEXEC : HOST.fcntlCommands.F_DUPFD;
  const copy = hostSyscall('fcntl', h, cmd, 0);
  if (copy < 0) return copy;
  const replaced = fdTable(proc).place(int(newFd), copy);
  if (replaced !== undefined) hostSyscall('close', replaced);
  return int(newFd);
}

export const FS_FD_SYSCALLS: SyscallGroup = {
  dup: syscall('d', dup),
  dup3: syscall('ddd', dup3),
  fcntl: syscall(['d', fcntlCommand, 'd'], fcntl),
  pipe2: syscall('xd', pipe2),
};
