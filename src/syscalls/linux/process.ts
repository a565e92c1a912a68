/**
 * Process identity and resources: exit, ids, uname (machine from the ABI), resource limits and
 * usage, sysinfo, thread bookkeeping (set_tid_address, robust lists, the end of one thread),
 * prctl, affinity, randomness, umask, sessions and process groups. The guest's pid is the host process's, as under QEMU.
 */
import type { GuestProcess } from '../../user/process';
import { GuestExit, type SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, guestRange, guestStruct, withHostStruct } from './guest-access';
import type { StructLayout } from '../abi';
import { StructView, convertStruct } from '../struct-view';
import { HOST, hostArena, hostStructArray, hostSyscall } from './host';
import { nameThread, PR_SET_NAME } from './process-name';
import { syscallState } from './process-state';
import { signalToHost } from './signals';
import { currentThreadId, exitThread, multithreaded, wakeFutex, yieldThread } from '../../user/threads/scheduler';
import { exitAllRobustLists, exitRobustList } from './robust-list';

/** Limits that would bind tsemu itself (its 4 GiB window and its own stack): reported, never applied, as QEMU does. */
const RLIMIT_DATA = 2;
const RLIMIT_STACK = 3;
const RLIMIT_AS = 9;
const UNAPPLIED_LIMITS: ReadonlySet<number> = new Set([RLIMIT_DATA, RLIMIT_STACK, RLIMIT_AS]);

const PR_SET_PDEATHSIG = 1;
const PR_GET_NAME = 16;
const NAME_LENGTH = 16;
/** prctl options whose arguments are plain integers (or a pointer to an int the host fills). */
const PRCTL_PASSED: ReadonlySet<number> = new Set([
  3, // PR_GET_DUMPABLE
  4, // PR_SET_DUMPABLE
  8, // PR_SET_KEEPCAPS
  7, // PR_GET_KEEPCAPS
  21, // PR_GET_SECCOMP
  23, // PR_CAPBSET_READ
  29, // PR_SET_TIMERSLACK
  30, // PR_GET_TIMERSLACK
  36, // PR_SET_CHILD_SUBREAPER
  38, // PR_SET_NO_NEW_PRIVS
  39, // PR_GET_NO_NEW_PRIVS
]);

/** exit_group: every thread ends, each releasing the robust futexes it holds (robust-list.ts). */
function exitGroup(proc: GuestProcess, [status]: SyscallArgs): number {
  exitAllRobustLists(proc);
  throw new GuestExit(int(status) & 0xff);
}

/**
 * exit: ends the calling thread; the process ends with the last one. As the kernel does, the
 * robust futexes the thread holds are released, then for a thread with a clear-child-tid address,
 * 0 is stored there and one waiter woken (pthread_join).
 */
function exit(proc: GuestProcess, args: SyscallArgs): number {
  if (!multithreaded(proc)) return exitGroup(proc, args);
  const state = syscallState(proc);
  exitRobustList(proc, state.robustList.head, currentThreadId(proc)!);
  const addr = state.clearChildTid;
  if (addr !== 0 && proc.memory.accessible(addr, 4, true)) {
    proc.memory.view.setInt32(addr, 0, proc.memory.littleEndian);
    wakeFutex(proc, addr, 1);
  }
  return exitThread(proc);
}

function uname(proc: GuestProcess, [buf]: SyscallArgs): number {
  const guest = guestStruct(proc, 'utsname', buf!, true);
  if (!guest) return -E.EFAULT;
  const r = withHostStruct(proc, 'utsname', buf!, 'out', (u) => hostSyscall('uname', u));
  if (r < 0) return r;
  const setField = (field: 'machine' | 'release', value: string): void => {
    const bytes = guest.bytes(field);
    bytes.fill(0);
    bytes.set(Buffer.from(value).subarray(0, bytes.length - 1));
  };
  setField('machine', proc.abi.machine);
  // -r / TSEMU_UNAME: the release string the guest sees, as qemu-user's -r.
  if (proc.options.unameRelease !== undefined) setField('release', proc.options.unameRelease);
  return 0;
}

/** struct rlimit64 (prlimit64): two __u64 on every ABI, in the guest's byte order. */
const RLIMIT64: StructLayout<'cur' | 'max'> = {
  size: 16,
  fields: { cur: { offset: 0, size: 8, type: 'u' }, max: { offset: 8, size: 8, type: 'u' } },
};
const RLIM64_INFINITY = 2n ** 64n - 1n;

/** The host's prlimit64 on guest-side views of the new and old limits (either may be absent). */
function hostPrlimit(pid: number, resource: number, next: StructView<'cur' | 'max'> | undefined, old: StructView<'cur' | 'max'> | undefined): number {
  const self = pid === 0 || pid === process.pid;
  const applied = self && UNAPPLIED_LIMITS.has(resource) ? undefined : next;
  const host = hostStructArray('rlimit', 2);
  if (applied) convertStruct(applied, host.views[0]!);
  const r = hostSyscall('prlimit64', pid, resource, applied ? host.address : 0, old ? host.address + RLIMIT64.size : 0);
  if (r >= 0 && old) convertStruct(host.views[1]!, old);
  return r;
}

function prlimit64(proc: GuestProcess, [pid, resource, newLimit, oldLimit]: SyscallArgs): number {
  const view = (addr: number, write: boolean) =>
    addr === 0 ? undefined : proc.memory.accessible(addr, RLIMIT64.size, write) ? new StructView(proc.memory.view, addr, RLIMIT64, proc.memory.littleEndian) : null;
  const next = view(newLimit!, false);
  const old = view(oldLimit!, true);
  if (next === null || old === null) return -E.EFAULT;
  return hostPrlimit(int(pid), int(resource), next, old);
}

/** getrlimit/setrlimit: the ABI's struct rlimit of longs, RLIM_INFINITY being all ones at that width. */
function rlimit(proc: GuestProcess, resource: number, addr: number, set: boolean): number {
  const guest = guestStruct(proc, 'rlimit', addr, !set);
  if (!guest) return -E.EFAULT;
  const infinity = 2n ** BigInt(proc.abi.layouts.rlimit.fields.cur.size * 8) - 1n;
  const wide = new StructView(new DataView(new ArrayBuffer(RLIMIT64.size)), 0, RLIMIT64, true);
  if (set) {
    for (const f of ['cur', 'max'] as const) wide.set(f, guest.get(f) === infinity ? RLIM64_INFINITY : guest.get(f));
    return hostPrlimit(0, resource, wide, undefined);
  }
  const r = hostPrlimit(0, resource, undefined, wide);
  if (r >= 0) for (const f of ['cur', 'max'] as const) guest.set(f, wide.get(f) > infinity ? infinity : wide.get(f));
  return r;
}

function prctl(proc: GuestProcess, [optionArg, arg2, arg3, arg4, arg5]: SyscallArgs): number {
  const option = int(optionArg);
  const state = syscallState(proc);
  if (option === PR_SET_NAME) {
    const name = proc.memory.readCString(arg2!, NAME_LENGTH);
    const raw = name ?? (proc.memory.accessible(arg2!, NAME_LENGTH, false) ? Buffer.from(proc.memory.readBytes(arg2!, NAME_LENGTH)) : undefined);
    if (!raw) return -E.EFAULT;
    nameThread(proc, raw);
    return 0;
  }
  if (option === PR_GET_NAME) {
    const out = Buffer.alloc(NAME_LENGTH);
    state.name.copy(out);
    if (!proc.memory.accessible(arg2!, NAME_LENGTH, true)) return -E.EFAULT;
    proc.memory.writeBytes(arg2!, out);
    return 0;
  }
  if (option === PR_SET_PDEATHSIG) return hostSyscall('prctl', option, int(arg2) === 0 ? 0 : signalToHost(proc.abi, int(arg2)));
  if (PRCTL_PASSED.has(option)) return hostSyscall('prctl', option, arg2!, arg3!, arg4!, arg5!);
  return -E.EINVAL;
}

function setRobustList(proc: GuestProcess, [head, length]: SyscallArgs): number {
  // struct robust_list_head is three words.
  if (length !== 3 * proc.abi.wordSize) return -E.EINVAL;
  syscallState(proc).robustList = { head: head!, length: length! };
  return 0;
}

function setTidAddress(proc: GuestProcess, [addr]: SyscallArgs): number {
  syscallState(proc).clearChildTid = addr!;
  return currentThreadId(proc) ?? hostSyscall('gettid');
}

/** A call whose pointer argument at `index` is a buffer of `size(args)` bytes the host fills in place. */
function fillsBuffer(name: string, index: number, size: (args: SyscallArgs) => number) {
  return (proc: GuestProcess, args: SyscallArgs): number => {
    const host = guestRange(proc, args[index]!, size(args), true);
    if (host === undefined) return -E.EFAULT;
    return hostSyscall(name, ...args.map((a, i) => (i === index ? host : a)));
  };
}

/** getresuid/getresgid: three pointers to ids the host fills. */
function getres(name: string) {
  return (proc: GuestProcess, ptrs: SyscallArgs): number => {
    const hosts = ptrs.slice(0, 3).map((p) => guestRange(proc, p, 4, true));
    if (hosts.some((h) => h === undefined)) return -E.EFAULT;
    return hostSyscall(name, ...(hosts as number[]));
  };
}

/** getcpu: two optional pointers to unsigned ints, filled in the guest's byte order (the cache argument is unused since 2.6.24). */
function getcpu(proc: GuestProcess, [cpu, node]: SyscallArgs): number {
  const targets = [cpu!, node!];
  if (targets.some((p) => p !== 0 && guestRange(proc, p, 4, true) === undefined)) return -E.EFAULT;
  const values = hostArena.alloc(8);
  const r = hostSyscall('getcpu', hostArena.address(values), hostArena.address(values + 4), 0);
  if (r < 0) return r;
  targets.forEach((p, i) => {
    if (p !== 0) proc.memory.view.setUint32(p, hostArena.view.getUint32(values + 4 * i, true), proc.memory.littleEndian);
  });
  return r;
}

/** syslog actions that fill the buffer (READ, READ_ALL, READ_CLEAR); the others take no buffer. */
const SYSLOG_READS: ReadonlySet<number> = new Set([2, 3, 4]);

function syslog(proc: GuestProcess, [type, buf, length]: SyscallArgs): number {
  if (!SYSLOG_READS.has(int(type))) return hostSyscall('syslog', int(type), 0, int(length));
  const host = guestRange(proc, buf!, Math.max(0, int(length)), true);
  return host === undefined ? -E.EFAULT : hostSyscall('syslog', int(type), host, int(length));
}

/**
 * Runs `call` on a host copy of a struct sched_param (one int, the priority) at guest `addr`, read
 * first or written back after, in the guest's byte order. NULL, or a negative pid, is EINVAL.
 */
function withSchedParam(proc: GuestProcess, pid: number, addr: number, direction: 'in' | 'out', call: (host: number) => number): number {
  if (addr === 0 || int(pid) < 0) return -E.EINVAL;
  if (!proc.memory.accessible(addr, 4, direction === 'out')) return -E.EFAULT;
  const at = hostArena.alloc(4);
  const { view, littleEndian } = proc.memory;
  if (direction === 'in') hostArena.view.setInt32(at, view.getInt32(addr, littleEndian), HOST.littleEndian);
  const r = call(hostArena.address(at));
  if (r >= 0 && direction === 'out') view.setInt32(addr, hostArena.view.getInt32(at, HOST.littleEndian), littleEndian);
  return r;
}

const PRIO_PROCESS = 0;
/** The kernel's range of nice values, and of one nice call's increment (kernel/sched/core.c). */
const MIN_NICE = -20;
const MAX_NICE = 19;
const MAX_NICE_STEP = 40;

/**
 * nice(increment): the calling thread's nice value moved by `increment`, both clamped as the
 * kernel clamps them; 0 on success. Through getpriority/setpriority, as x86_64 has no nice call.
 */
function nice(_proc: GuestProcess, [increment]: SyscallArgs): number {
  const priority = hostSyscall('getpriority', PRIO_PROCESS, 0);
  if (priority < 0) return priority;
  const step = Math.max(-MAX_NICE_STEP, Math.min(MAX_NICE_STEP, int(increment)));
  const next = Math.max(MIN_NICE, Math.min(MAX_NICE, 20 - priority + step));
  const r = hostSyscall('setpriority', PRIO_PROCESS, 0, next);
  // setpriority says EACCES where nice says EPERM: lowering the value without the right to.
  return r === -E.EACCES ? -E.EPERM : r;
}

function passInts(name: string) {
  return (_proc: GuestProcess, args: SyscallArgs): number => hostSyscall(name, ...args.map(int));
}

export const PROCESS_SYSCALLS: SyscallGroup = {
  exit: syscall('d', exit, { noReturn: true }),
  exit_group: syscall('d', exitGroup, { noReturn: true }),
  getpid: syscall('', passInts('getpid')),
  getppid: syscall('', passInts('getppid')),
  gettid: syscall('', (p) => currentThreadId(p) ?? hostSyscall('gettid')),
  getuid: syscall('', passInts('getuid')),
  geteuid: syscall('', passInts('geteuid')),
  getgid: syscall('', passInts('getgid')),
  getegid: syscall('', passInts('getegid')),
  getgroups: syscall('dx', (p, args) => (int(args[0]) === 0 ? hostSyscall('getgroups', 0, 0) : fillsBuffer('getgroups', 1, (a) => int(a[0]) * 4)(p, args))),
  setgroups: syscall('dx', (p, [n, list]) => {
    const host = guestRange(p, list!, int(n) * 4, false);
    return host === undefined ? -E.EFAULT : hostSyscall('setgroups', int(n), host);
  }),
  setuid: syscall('d', passInts('setuid')),
  setgid: syscall('d', passInts('setgid')),
  setreuid: syscall('dd', passInts('setreuid')),
  setregid: syscall('dd', passInts('setregid')),
  setresuid: syscall('ddd', passInts('setresuid')),
  setresgid: syscall('ddd', passInts('setresgid')),
  setfsuid: syscall('d', passInts('setfsuid')),
  setfsgid: syscall('d', passInts('setfsgid')),
  getresuid: syscall('xxx', getres('getresuid')),
  getresgid: syscall('xxx', getres('getresgid')),
  uname: syscall('x', uname),
  prlimit64: syscall('ddxx', prlimit64),
  getrlimit: syscall('dx', (p, [resource, limit]) => rlimit(p, int(resource), limit!, false)),
  setrlimit: syscall('dx', (p, [resource, limit]) => rlimit(p, int(resource), limit!, true)),
  getrusage: syscall('dx', (p, [who, usage]) => withHostStruct(p, 'rusage', usage!, 'out', (u) => hostSyscall('getrusage', int(who), u))),
  sysinfo: syscall('x', (p, [info]) => withHostStruct(p, 'sysinfo', info!, 'out', (i) => hostSyscall('sysinfo', i))),
  times: syscall('x', (p, [buf]) => withHostStruct(p, 'tms', buf!, 'out', (t) => hostSyscall('times', t))),
  set_tid_address: syscall('x', setTidAddress),
  set_robust_list: syscall('xd', setRobustList),
  prctl: syscall('ddddd', prctl),
  sched_getaffinity: syscall('ddx', fillsBuffer('sched_getaffinity', 2, (a) => int(a[1]))),
  sched_setaffinity: syscall('ddx', (p, [pid, size, mask]) => {
    const host = guestRange(p, mask!, int(size), false);
    return host === undefined ? -E.EFAULT : hostSyscall('sched_setaffinity', int(pid), int(size), host);
  }),
  sched_yield: syscall('', (p) => (multithreaded(p) ? yieldThread(p) : hostSyscall('sched_yield'))),
  sched_getscheduler: syscall('d', passInts('sched_getscheduler')),
  sched_getparam: syscall('dx', (p, [pid, param]) => withSchedParam(p, pid!, param!, 'out', (h) => hostSyscall('sched_getparam', int(pid), h))),
  sched_setparam: syscall('dx', (p, [pid, param]) => withSchedParam(p, pid!, param!, 'in', (h) => hostSyscall('sched_setparam', int(pid), h))),
  sched_setscheduler: syscall('ddx', (p, [pid, policy, param]) =>
    withSchedParam(p, pid!, param!, 'in', (h) => hostSyscall('sched_setscheduler', int(pid), int(policy), h))),
  sched_rr_get_interval: syscall('dx', (p, [pid, ts]) => withHostStruct(p, 'timespec', ts!, 'out', (t) => hostSyscall('sched_rr_get_interval', int(pid), t))),
  sched_get_priority_max: syscall('d', passInts('sched_get_priority_max')),
  sched_get_priority_min: syscall('d', passInts('sched_get_priority_min')),
  getcpu: syscall('xxx', getcpu),
  ioprio_get: syscall('dd', passInts('ioprio_get')),
  ioprio_set: syscall('ddd', passInts('ioprio_set')),
  syslog: syscall('dxd', syslog),
  getrandom: syscall('xdd', fillsBuffer('getrandom', 0, (a) => a[1]!)),
  umask: syscall('o', passInts('umask')),
  setsid: syscall('', passInts('setsid')),
  getsid: syscall('d', passInts('getsid')),
  getpgid: syscall('d', passInts('getpgid')),
  setpgid: syscall('dd', passInts('setpgid')),
  getpriority: syscall('dd', passInts('getpriority')),
  setpriority: syscall('ddd', passInts('setpriority')),
  nice: syscall('d', nice),
  // The persona is the host process's, as QEMU passes it on.
  personality: syscall('x', passInts('personality')),
};
