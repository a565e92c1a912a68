/**
 * Terminal attributes: FreeBSD's struct termios (four 32-bit flag words, 20 control characters,
 * two speeds as plain numbers) and its bit assignments (sys/sys/_termios.h), converted to and from
 * the host's kernel termios for TIOCGETA and TIOCSETA/TIOCSETAW/TIOCSETAF. Every other ioctl
 * goes to the generic layer, whose request numbers come from the ABI's ioctl table.
 */
import type { GuestProcess } from '../../user/process';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { hostFd } from '../linux/fd-table';
import { E, guestRange } from '../linux/guest-access';
import { HOST, hostArena, hostSyscall } from '../linux/host';
import { LINUX_SYSCALLS } from '../linux/registry';
import type { SyscallArgs } from '../types';
import { FREEBSD_IOCTLS, FREEBSD_TERMIOS_SIZE } from './flags';

/** [FreeBSD bit, Linux bit] pairs per flag word. */
type BitPairs = readonly (readonly [number, number])[];
const IFLAG: BitPairs = [
  [0x1, 0x1],
  [0x2, 0x2],
  [0x4, 0x4],
  [0x8, 0x8],
  [0x10, 0x10],
  [0x20, 0x20],
  [0x40, 0x40],
  [0x80, 0x80],
  [0x100, 0x100],
  [0x200, 0x400],
  [0x400, 0x1000],
  [0x800, 0x800],
  [0x2000, 0x2000],
]; // IGNBRK BRKINT IGNPAR PARMRK INPCK ISTRIP INLCR IGNCR ICRNL IXON IXOFF IXANY IMAXBEL
const OFLAG: BitPairs = [
  [0x1, 0x1],
  [0x2, 0x4],
  [0x10, 0x8],
  [0x20, 0x10],
  [0x40, 0x20],
]; // OPOST ONLCR OCRNL ONOCR ONLRET
const CFLAG: BitPairs = [
  [0x100, 0x10],
  [0x200, 0x20],
  [0x400, 0x40],
  [0x800, 0x80],
  [0x1000, 0x100],
  [0x2000, 0x200],
  [0x4000, 0x400],
  [0x8000, 0x800],
]; // CSIZE bits, CSTOPB CREAD PARENB PARODD HUPCL CLOCAL
const LFLAG: BitPairs = [
  [0x1, 0x800],
  [0x2, 0x10],
  [0x4, 0x20],
  [0x8, 0x8],
  [0x10, 0x40],
  [0x20, 0x400],
  [0x40, 0x200],
  [0x80, 0x1],
  [0x100, 0x2],
  [0x400, 0x8000],
  [0x400000, 0x100],
  [0x80000000, 0x80],
]; // ECHOKE ECHOE ECHOK ECHO ECHONL ECHOPRT ECHOCTL ISIG ICANON IEXTEN TOSTOP NOFLSH
/** c_cc indices: [FreeBSD, Linux] for VEOF VEOL VEOL2 VERASE VWERASE VKILL VREPRINT VINTR VQUIT VSUSP VSTART VSTOP VLNEXT VDISCARD VMIN VTIME. */
const CC: BitPairs = [
  [0, 4],
  [1, 11],
  [2, 16],
  [3, 2],
  [4, 14],
  [5, 3],
  [6, 12],
  [8, 0],
  [9, 1],
  [10, 10],
  [12, 8],
  [13, 9],
  [14, 15],
  [15, 13],
  [16, 6],
  [17, 5],
];
/** Linux's CBAUD speed codes B0..B38400 and B57600..B4000000, by code. */
const LINUX_CBAUD = 0x100f;
const SPEEDS: readonly (readonly [number, number])[] = [
  [0, 0],
  [50, 1],
  [75, 2],
  [110, 3],
  [134, 4],
  [150, 5],
  [200, 6],
  [300, 7],
  [600, 8],
  [1200, 9],
  [1800, 10],
  [2400, 11],
  [4800, 12],
  [9600, 13],
  [19200, 14],
  [38400, 15],
  [57600, 0x1001],
  [115200, 0x1002],
  [230400, 0x1003],
  [460800, 0x1004],
];
/** Host struct termios (kernel): iflag, oflag, cflag, lflag, line, cc[19]. */
const HOST_TERMIOS_SIZE = 36;
const HOST_CC = 17;
const FREEBSD_CC = 16;
const FREEBSD_ISPEED = 36;
const FREEBSD_OSPEED = 40;

const mapBits = (value: number, pairs: BitPairs, toLinux: boolean): number =>
  pairs.reduce((out, [f, l]) => (value & (toLinux ? f : l) ? out | (toLinux ? l : f) : out), 0) >>> 0;

function getAttributes(proc: GuestProcess, fd: number, arg: number): number {
  if (guestRange(proc, arg, FREEBSD_TERMIOS_SIZE, true) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(HOST_TERMIOS_SIZE);
  const r = hostSyscall('ioctl', fd, HOST.ioctls.TCGETS, hostArena.address(at));
  if (r < 0) return r;
  const host = hostArena.view;
  const view = proc.memory.view;
  const words = [IFLAG, OFLAG, CFLAG, LFLAG];
  words.forEach((pairs, i) =>
    view.setUint32(arg + i * 4, mapBits(host.getUint32(at + i * 4, true), pairs, false), true),
  );
  proc.memory.u8.fill(0xff, arg + FREEBSD_CC, arg + FREEBSD_CC + 20); // _POSIX_VDISABLE
  for (const [f, l] of CC) view.setUint8(arg + FREEBSD_CC + f, host.getUint8(at + HOST_CC + l));
  const code = host.getUint32(at + 8, true) & LINUX_CBAUD;
  const speed = SPEEDS.find(([, c]) => c === code)?.[0] ?? 38400;
  view.setUint32(arg + FREEBSD_ISPEED, speed, true);
  view.setUint32(arg + FREEBSD_OSPEED, speed, true);
  return 0;
}

function setAttributes(proc: GuestProcess, fd: number, arg: number, hostRequest: number): number {
  if (guestRange(proc, arg, FREEBSD_TERMIOS_SIZE, false) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(HOST_TERMIOS_SIZE);
  const host = hostArena.view;
  const view = proc.memory.view;
  // Start from the current settings, so bits FreeBSD cannot express stay as they are.
  const r = hostSyscall('ioctl', fd, HOST.ioctls.TCGETS, hostArena.address(at));
  if (r < 0) return r;
  const words = [IFLAG, OFLAG, CFLAG, LFLAG];
  words.forEach((pairs, i) => {
    const mapped = pairs.reduce((m, [, l]) => m | l, 0);
    const kept = host.getUint32(at + i * 4, true) & ~mapped;
    host.setUint32(at + i * 4, (kept | mapBits(view.getUint32(arg + i * 4, true), pairs, true)) >>> 0, true);
  });
  for (const [f, l] of CC) host.setUint8(at + HOST_CC + l, view.getUint8(arg + FREEBSD_CC + f));
  const code = SPEEDS.find(([s]) => s === view.getUint32(arg + FREEBSD_OSPEED, true))?.[1];
  if (code !== undefined)
    host.setUint32(at + 8, ((host.getUint32(at + 8, true) & ~LINUX_CBAUD) | code) >>> 0, true);
  return hostSyscall('ioctl', fd, hostRequest, hostArena.address(at));
}

function ioctl(proc: GuestProcess, args: SyscallArgs): number {
  const request = args[1]! >>> 0;
  const set = {
    [FREEBSD_IOCTLS.TCSETS]: HOST.ioctls.TCSETS,
    [FREEBSD_IOCTLS.TCSETSW]: HOST.ioctls.TCSETSW,
    [FREEBSD_IOCTLS.TCSETSF]: HOST.ioctls.TCSETSF,
  }[request];
  if (request !== FREEBSD_IOCTLS.TCGETS && set === undefined)
    return LINUX_SYSCALLS['ioctl']!.handler(proc, args);
  const fd = hostFd(proc, int(args[0]));
  if (fd < 0) return fd;
  return set === undefined ? getAttributes(proc, fd, args[2]!) : setAttributes(proc, fd, args[2]!, set);
}

export const TERMIOS_SYSCALLS: SyscallGroup = {
  ioctl: syscall('dhx', ioctl),
};
