/**
 * ioctl: the terminal and file requests the generic layer knows (matched by name between guest
 * and host numbering, each with the struct it reads or fills). Unknown requests answer -ENOTTY
 * and are reported under -d unimp, as QEMU does. The termios flag bits are the same on x86_64
 * and the asm-generic targets; ABIs with other termios bits will translate them here.
 */
import type { GuestProcess } from '../../user/process';
import type { IoctlName } from '../abi';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { hostFd } from './fd-table';
import { translateValue } from './flags';
import { E, guestRange, withHostStruct } from './guest-access';
import { HOST, hostSyscall } from './host';
import { ioctlRequest } from './strace-names';

/** What each request's third argument points at: a struct kind, or a 4-byte int read or filled. */
const ARGUMENT: { readonly [K in IoctlName]: { kind: 'termios' | 'winsize' | 'int'; direction: 'in' | 'out' } } = {
  TCGETS: { kind: 'termios', direction: 'out' },
  TCSETS: { kind: 'termios', direction: 'in' },
  TCSETSW: { kind: 'termios', direction: 'in' },
  TCSETSF: { kind: 'termios', direction: 'in' },
  TIOCGWINSZ: { kind: 'winsize', direction: 'out' },
  TIOCSWINSZ: { kind: 'winsize', direction: 'in' },
  TIOCGPGRP: { kind: 'int', direction: 'out' },
  TIOCSPGRP: { kind: 'int', direction: 'in' },
  FIONREAD: { kind: 'int', direction: 'out' },
  FIONBIO: { kind: 'int', direction: 'in' },
};

const reported = new Set<number>();

function ioctl(proc: GuestProcess, [fdArg, requestArg, arg]: SyscallArgs): number {
  const fd = hostFd(proc, int(fdArg));
  if (fd < 0) return fd;
  const request = requestArg! >>> 0;
  const name = (Object.keys(proc.abi.ioctls) as IoctlName[]).find((n) => proc.abi.ioctls[n] === request);
  if (name === undefined) {
    if (proc.options.logItems.has('unimp') && !reported.has(request)) {
      reported.add(request);
      proc.options.log(`Unsupported ioctl: cmd=0x${request.toString(16).padStart(4, '0')}`);
    }
    return -E.ENOTTY;
  }
  const hostRequest = translateValue(request, proc.abi.ioctls, HOST.ioctls)!;
  const { kind, direction } = ARGUMENT[name];
  if (kind === 'int') {
    const host = guestRange(proc, arg!, 4, direction === 'out');
    return host === undefined ? -E.EFAULT : hostSyscall('ioctl', fd, hostRequest, host);
  }
  return withHostStruct(proc, kind, arg!, direction, (p) => (p === 0 ? -E.EFAULT : hostSyscall('ioctl', fd, hostRequest, p)));
}

export const IOCTL_SYSCALLS: SyscallGroup = {
  ioctl: syscall(['d', ioctlRequest, 'x'], ioctl),
};
