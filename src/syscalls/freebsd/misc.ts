/**
 * FreeBSD process and time calls with values to translate: clock ids (clock_gettime,
 * clock_getres, clock_nanosleep), getrlimit/setrlimit resources and RLIM_INFINITY, issetugid
 * (never set-id under tsemu), and cpuset_getaffinity (the host's CPUs this process may use).
 */
import type { GuestProcess } from '../../user/process';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { E, guestRange } from '../linux/guest-access';
import { hostArena, hostSyscall } from '../linux/host';
import { LINUX_SYSCALLS } from '../linux/registry';
import type { SyscallArgs } from '../types';
import { FREEBSD_CLOCKS, FREEBSD_RLIMITS, FREEBSD_RLIM_INFINITY } from './flags';

const LINUX_RLIM_INFINITY = 0xffffffffffffffffn;
/** CPU_LEVEL_WHICH / CPU_LEVEL_ROOT / CPU_LEVEL_CPUSET, and the CPU_WHICH_* kinds that name this process. */
const CPU_LEVEL_MAX = 3;
const CPU_WHICH_TID = 1;
const CPU_WHICH_PID = 2;
/** The host's CPU mask is read in one go of this many bytes (1024 CPUs). */
const HOST_CPUSET_BYTES = 128;

/** A generic clock call with the FreeBSD clock id (argument 0) translated; EINVAL for unknown clocks. */
function onClock(linuxName: string, args: string) {
  const generic = LINUX_SYSCALLS[linuxName]!.handler;
  return syscall(args, (proc: GuestProcess, a: SyscallArgs) => {
    const clock = FREEBSD_CLOCKS.get(int(a[0]));
    return clock === undefined ? -E.EINVAL : generic(proc, [clock, ...a.slice(1)]);
  });
}

function rlimit(proc: GuestProcess, [resourceArg, limit]: SyscallArgs, set: boolean): number {
  const resource = FREEBSD_RLIMITS.get(int(resourceArg));
  if (resource === undefined) return -E.EINVAL;
  if (guestRange(proc, limit!, 16, !set) === undefined) return -E.EFAULT;
  const view = proc.memory.view;
  const words = [0, 8];
  const convert = (from: bigint, to: bigint) =>
    words.forEach(
      (o) => view.getBigUint64(limit! + o, true) === from && view.setBigUint64(limit! + o, to, true),
    );
  if (set) convert(FREEBSD_RLIM_INFINITY, LINUX_RLIM_INFINITY);
  const r = LINUX_SYSCALLS[set ? 'setrlimit' : 'getrlimit']!.handler(proc, [resource, limit!]);
  // A set leaves the guest's struct as it was; a get reports Linux's infinity in FreeBSD's terms.
  convert(LINUX_RLIM_INFINITY, FREEBSD_RLIM_INFINITY);
  return r;
}

/** cpuset_getaffinity(level, which, id, setsize, mask): this process's (or thread's) allowed CPUs. */
function cpusetGetaffinity(proc: GuestProcess, [level, which, id, setsize, mask]: SyscallArgs): number {
  if (int(level) < 1 || int(level) > CPU_LEVEL_MAX) return -E.EINVAL;
  if (int(which) !== CPU_WHICH_PID && int(which) !== CPU_WHICH_TID) return -E.EINVAL;
  if (id !== -1 && id !== process.pid && id !== hostSyscall('gettid')) return -E.ESRCH;
  const size = setsize!;
  if (size < 8 || size % 8 !== 0) return -E.ERANGE;
  if (guestRange(proc, mask!, size, true) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(HOST_CPUSET_BYTES);
  const got = hostSyscall('sched_getaffinity', 0, HOST_CPUSET_BYTES, hostArena.address(at));
  if (got < 0) return got;
  const bytes = hostArena.bytesAt(at, got);
  // A set too small for a CPU the host lists is ERANGE, as FreeBSD answers.
  if (bytes.subarray(size).some((b) => b !== 0)) return -E.ERANGE;
  proc.memory.u8.fill(0, mask!, mask! + size);
  proc.memory.u8.set(bytes.subarray(0, Math.min(size, got)), mask!);
  return 0;
}

export const MISC_SYSCALLS: SyscallGroup = {
  clock_gettime: onClock('clock_gettime', 'dx'),
  clock_getres: onClock('clock_getres', 'dx'),
  // POSIX's clock_nanosleep returns the error number itself, and FreeBSD's syscall does so as a success.
  clock_nanosleep: syscall('ddxx', (p, a) => {
    const r = onClock('clock_nanosleep', 'ddxx').handler(p, a);
    return r < 0 ? p.abi.errnoFromHost(-r) : r;
  }),
  getrlimit: syscall('dx', (p, a) => rlimit(p, a, false)),
  setrlimit: syscall('dx', (p, a) => rlimit(p, a, true)),
  issetugid: syscall('', () => 0),
  cpuset_getaffinity: syscall('ddddx', cpusetGetaffinity),
};
