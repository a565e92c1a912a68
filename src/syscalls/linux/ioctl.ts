/**
 * ioctl: the terminal, pseudo-terminal and file requests the generic layer knows (matched by name
 * between guest and host numbering, each with the struct, int or value it takes). Unknown requests
 * answer -ENOTTY and are reported under -d unimp, as QEMU does. A struct termios also has its flag
 * bits and c_cc indices moved by name where the guest's are not the host's (PowerPC).
 */
import type { GuestProcess } from '../../user/process';
import type { IoctlName, TermiosBits, TermiosField } from '../abi';
import { ASM_GENERIC_TERMIOS_BITS } from '../abi/termios-bits';
import { StructView, convertStruct } from '../struct-view';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { hostFd, newGuestFd } from './fd-table';
import { openFlagsToHost, translateFlags, translateValue } from './flags';
import { E, guestLayout, guestRange, withHostStruct } from './guest-access';
import { HOST, hostArena, hostStructArray, hostSyscall } from './host';
import { ioctlRequest } from './strace-names';

/**
 * What each request's third argument is: a struct kind or a 4-byte int (or one byte) it points at,
 * read or filled; a plain value (`value`); nothing (`none`); or, for TIOCGPTPEER, open flags, the
 * result being a new descriptor (`peer`).
 */
type Argument =
  | { kind: 'termios' | 'winsize' | 'int' | 'byte'; direction: 'in' | 'out' }
  | { kind: 'value' | 'none' | 'peer' };

const IN_INT: Argument = { kind: 'int', direction: 'in' };
const OUT_INT: Argument = { kind: 'int', direction: 'out' };
const VALUE: Argument = { kind: 'value' };
const NONE: Argument = { kind: 'none' };

const ARGUMENT: { readonly [K in IoctlName]: Argument } = {
  TCGETS: { kind: 'termios', direction: 'out' },
  TCSETS: { kind: 'termios', direction: 'in' },
  TCSETSW: { kind: 'termios', direction: 'in' },
  TCSETSF: { kind: 'termios', direction: 'in' },
  TIOCGWINSZ: { kind: 'winsize', direction: 'out' },
  TIOCSWINSZ: { kind: 'winsize', direction: 'in' },
  TIOCGPGRP: OUT_INT,
  TIOCSPGRP: IN_INT,
  FIONREAD: OUT_INT,
  FIONBIO: IN_INT,
  TIOCGPTN: OUT_INT,
  TIOCSPTLCK: IN_INT,
  TIOCGPTLCK: OUT_INT,
  TIOCGPTPEER: { kind: 'peer' },
  TCSBRK: VALUE,
  TCSBRKP: VALUE,
  TCXONC: VALUE,
  TCFLSH: VALUE,
  TIOCOUTQ: OUT_INT,
  TIOCSTI: { kind: 'byte', direction: 'in' },
  TIOCSCTTY: VALUE,
  TIOCNOTTY: NONE,
  TIOCGSID: OUT_INT,
  TIOCEXCL: NONE,
  TIOCNXCL: NONE,
  TIOCGETD: OUT_INT,
  TIOCSETD: IN_INT,
  TIOCMGET: OUT_INT,
  TIOCMSET: IN_INT,
  TIOCMBIS: IN_INT,
  TIOCMBIC: IN_INT,
  TIOCPKT: IN_INT,
  FIOCLEX: NONE,
  FIONCLEX: NONE,
  FIOASYNC: IN_INT,
};

const reported = new Set<number>();
const TERMIOS_WORDS = ['iflag', 'oflag', 'cflag', 'lflag'] as const;

/** Sets `to`'s flag words and control characters from `from`'s, each bit and index moved by name. */
function translateTermios(
  from: StructView<TermiosField>,
  fromBits: TermiosBits,
  to: StructView<TermiosField>,
  toBits: TermiosBits,
): void {
  for (const word of TERMIOS_WORDS)
    to.set(word, translateFlags(from.num(word), fromBits[word], toBits[word]).value);
  const source = from.bytes('cc');
  const target = to.bytes('cc');
  target.fill(0);
  for (const [name, index] of Object.entries(fromBits.cc)) target[toBits.cc[name]!] = source[index]!;
}

/**
 * A struct termios the request reads or fills, in the host's layout; where the guest's flag bits
 * or c_cc indices are not the host's (PowerPC), they are moved by name as well.
 */
function withHostTermios(
  proc: GuestProcess,
  addr: number,
  direction: 'in' | 'out',
  call: (host: number) => number,
): number {
  const guestBits = proc.abi.termiosBits ?? ASM_GENERIC_TERMIOS_BITS;
  const hostBits = HOST.termiosBits ?? ASM_GENERIC_TERMIOS_BITS;
  if (guestBits === hostBits)
    return withHostStruct(proc, 'termios', addr, direction, (p) => (p === 0 ? -E.EFAULT : call(p)));
  const layout = guestLayout(proc, 'termios');
  if (guestRange(proc, addr, layout.size, direction === 'out') === undefined) return -E.EFAULT;
  const guest = new StructView(proc.memory.view, addr, layout, proc.memory.littleEndian);
  const host = hostStructArray('termios', 1);
  const hostView = host.views[0]!;
  if (direction === 'in') {
    convertStruct(guest, hostView);
    translateTermios(guest, guestBits, hostView, hostBits);
  }
  const r = call(host.address);
  if (r >= 0 && direction === 'out') {
    convertStruct(hostView, guest);
    translateTermios(hostView, hostBits, guest, guestBits);
  }
  return r;
}

/** A 4-byte int the request reads (`in`) or fills (`out`), in a host buffer: a guest of the other byte order has it swapped. */
function withHostInt(
  proc: GuestProcess,
  addr: number,
  direction: 'in' | 'out',
  call: (host: number) => number,
): number {
  if (guestRange(proc, addr, 4, direction === 'out') === undefined) return -E.EFAULT;
  const at = hostArena.alloc(4);
  const view = proc.memory.view;
  const le = proc.memory.littleEndian;
  if (direction === 'in') hostArena.view.setInt32(at, view.getInt32(addr, le), HOST.littleEndian);
  const r = call(hostArena.address(at));
  if (r >= 0 && direction === 'out') view.setInt32(addr, hostArena.view.getInt32(at, HOST.littleEndian), le);
  return r;
}

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
  const argument = ARGUMENT[name];
  switch (argument.kind) {
    case 'value':
      return hostSyscall('ioctl', fd, hostRequest, int(arg));
    case 'none':
      return hostSyscall('ioctl', fd, hostRequest, 0);
    case 'peer':
      return newGuestFd(
        proc,
        hostSyscall('ioctl', fd, hostRequest, openFlagsToHost(proc.abi, HOST, int(arg))),
      );
    case 'int':
      return withHostInt(proc, arg!, argument.direction, (p) => hostSyscall('ioctl', fd, hostRequest, p));
    case 'byte': {
      const host = guestRange(proc, arg!, 1, false);
      return host === undefined ? -E.EFAULT : hostSyscall('ioctl', fd, hostRequest, host);
    }
    case 'termios':
      return withHostTermios(proc, arg!, argument.direction, (p) => hostSyscall('ioctl', fd, hostRequest, p));
    default:
      return withHostStruct(proc, argument.kind, arg!, argument.direction, (p) =>
        p === 0 ? -E.EFAULT : hostSyscall('ioctl', fd, hostRequest, p),
      );
  }
}

export const IOCTL_SYSCALLS: SyscallGroup = {
  ioctl: syscall(['d', ioctlRequest, 'x'], ioctl),
};
