/**
 * New processes: fork, vfork, and clone without CLONE_VM copy the whole emulator with the host's
 * fork (guest memory is part of it), so the child goes on from the same guest state as a real
 * process with its own pid, descriptors and signal dispositions, and the parent's wait4 sees it.
 *
 * vfork (and clone with CLONE_VFORK, as posix_spawn uses it) cannot share memory with a copied
 * child; the parent is held until the child execs or exits, as vfork(2) promises, so the order of
 * what they do is the same, but writes the child makes before exec stay in its copy.
 *
 * Threads (CLONE_VM|CLONE_SIGHAND|CLONE_THREAD, as glibc's, musl's and Go's pthread creation ask)
 * are green threads of this process (src/user/threads/): the new thread starts from a copy of the
 * caller's registers, returning 0 from clone on its new stack with its TLS pointer. CLONE_VM
 * without a thread or vfork (a process sharing memory) cannot be made from a host fork: -EINVAL.
 */
import { native } from '../../native';
import { forkedWithoutWorkerThreads } from '../../translate/wasm/tiers';
import type { GuestProcess } from '../../user/process';
import { forgetHostSignals } from '../../user/signals/host-forward';
import { discardAll } from '../../user/signals/pending';
import { forgetTimersInChild } from '../../user/signals/timers';
import { deleteAllTimers } from '../../user/signals/posix-timers';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E } from './guest-access';
import { HOST, hostArena, hostPipe, hostSyscall } from './host';
import { syscallState } from './process-state';
import { separateSignalFdsInChild } from './signalfd';
import { currentThreadId, keepOnlyRunningThread, setClearChildTid, spawnThread } from '../../user/threads/scheduler';

const CLONE_VM = 0x100;
const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_VFORK = 0x4000;
const CLONE_THREAD = 0x10000;
const CLONE_SYSVSEM = 0x40000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_DETACHED = 0x400000;
const CLONE_CHILD_SETTID = 0x1000000;
/** The child's termination signal (always SIGCHLD here: the host's fork sends no other). */
const CSIGNAL = 0xff;
/** Flags a copied process honours; the namespace and sharing flags that need a kernel clone are refused. */
const FORK_FLAGS = CSIGNAL | CLONE_VFORK | CLONE_VM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
/** What a thread shares with its creator (all of it, here) and the bookkeeping flags honoured for it. */
const THREAD_REQUIRED = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
const THREAD_FLAGS =
  THREAD_REQUIRED | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED;

interface ForkRequest {
  flags: number;
  newSp: number;
  parentTid: number;
  childTid: number;
  tls: number;
}

/** Host descriptor through which a vfork child tells its parent it exec'd or exited (closing it). */
let vforkRelease: number | undefined;

/** Tells a vfork parent waiting for this child that it exec'd (an execve that keeps the host process). */
export function releaseVforkParent(): void {
  if (vforkRelease !== undefined) hostSyscall('close', vforkRelease);
  vforkRelease = undefined;
}

function writeTid(proc: GuestProcess, addr: number, tid: number): void {
  if (proc.memory.accessible(addr, 4, true)) proc.memory.view.setInt32(addr, tid, proc.memory.littleEndian);
}

/** The child's side: what fork(2) resets, then the clone arguments that concern the child. */
function becomeChild(proc: GuestProcess, request: ForkRequest): void {
  // Node reads the pid once at start-up; everything that asks process.pid must see the child's.
  Object.defineProperty(process, 'pid', { value: hostSyscall('getpid'), writable: false, enumerable: true, configurable: true });
  forkedWithoutWorkerThreads();
  proc.atFork?.inChild();
  separateSignalFdsInChild(proc);
  discardAll(proc);
  keepOnlyRunningThread(proc);
  forgetHostSignals();
  forgetTimersInChild(proc);
  deleteAllTimers(proc);
  const view = proc.memory.view;
  if (request.newSp !== 0) proc.target.setStackPointer(view, proc.stateBase, request.newSp);
  if (request.flags & CLONE_SETTLS) proc.target.setThreadPointer(view, proc.stateBase, request.tls);
  const tid = currentThreadId(proc) ?? hostSyscall('gettid');
  if (request.flags & CLONE_CHILD_SETTID) writeTid(proc, request.childTid, tid);
  if (request.flags & CLONE_CHILD_CLEARTID) syscallState(proc).clearChildTid = request.childTid;
}

/** A new thread of this process: it goes on from the clone, returning 0, on its own stack and TLS. */
function newThread(proc: GuestProcess, request: ForkRequest): number {
  if ((request.flags & THREAD_REQUIRED) !== THREAD_REQUIRED || request.flags & ~THREAD_FLAGS) return -E.EINVAL;
  const tid = spawnThread(
    proc,
    (state, base) => {
      if (request.newSp !== 0) proc.target.setStackPointer(state, base, request.newSp);
      if (request.flags & CLONE_SETTLS) proc.target.setThreadPointer(state, base, request.tls);
    },
    0,
  );
  if (tid < 0) return tid;
  if (request.flags & CLONE_PARENT_SETTID) writeTid(proc, request.parentTid, tid);
  if (request.flags & CLONE_CHILD_SETTID) writeTid(proc, request.childTid, tid);
  if (request.flags & CLONE_CHILD_CLEARTID) setClearChildTid(proc, tid, request.childTid);
  return tid;
}

function forkProcess(proc: GuestProcess, request: ForkRequest): number {
  if (request.flags & CLONE_THREAD) return newThread(proc, request);
  const threadLike = (request.flags & CLONE_VM) !== 0 && (request.flags & CLONE_VFORK) === 0;
  if (threadLike || request.flags & CLONE_THREAD || request.flags & ~FORK_FLAGS) return -E.EINVAL;
  const vfork = (request.flags & CLONE_VFORK) !== 0;
  const release = vfork ? hostPipe(HOST.openFlags.O_CLOEXEC) : undefined;
  proc.atFork?.before();
  const pid = native().fork();
  if (pid === 0) {
    // A child of a vfork child must not hold its grandparent.
    if (vforkRelease !== undefined) hostSyscall('close', vforkRelease);
    vforkRelease = release?.[1];
    if (release) hostSyscall('close', release[0]);
    becomeChild(proc, request);
    return 0;
  }
  if (release) {
    hostSyscall('close', release[1]);
    if (pid > 0) {
      const byte = hostArena.alloc(1);
      while (hostSyscall('read', release[0], hostArena.address(byte), 1) === -E.EINTR);
    }
    hostSyscall('close', release[0]);
  }
  if (pid > 0 && request.flags & CLONE_PARENT_SETTID) writeTid(proc, request.parentTid, pid);
  return pid;
}

function clone(proc: GuestProcess, args: SyscallArgs): number {
  const positions = proc.abi.cloneArgs;
  return forkProcess(proc, {
    flags: int(args[0]),
    newSp: args[1]!,
    parentTid: args[positions.parentTid]!,
    childTid: args[positions.childTid]!,
    tls: args[positions.tls]!,
  });
}

const plain = (flags: number) => (proc: GuestProcess): number => forkProcess(proc, { flags, newSp: 0, parentTid: 0, childTid: 0, tls: 0 });

export const FORK_SYSCALLS: SyscallGroup = {
  clone: syscall('hxxxx', clone),
  fork: syscall('', plain(0)),
  vfork: syscall('', plain(CLONE_VM | CLONE_VFORK)),
};
