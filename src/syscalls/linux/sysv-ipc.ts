/**
 * SysV message queues and semaphores, passed through to the host's: message buffers get the
 * guest's `long mtype` (4 or 8 bytes, guest byte order) rewritten as the host's; semaphore
 * operations (struct sembuf, three shorts everywhere) and GETALL/SETALL value arrays are converted
 * for a guest of the other byte order; msgctl/semctl's IPC_STAT and IPC_SET structs go through the
 * ABI's layouts (abi/ipc-layouts.ts). The command's IPC_64 bit (what 32-bit libcs add) is dropped:
 * the host's only layout is the 64-bit-IPC one. Shared memory is in sysv-shm.ts. The ipc
 * multiplexer (ppc64's glibc uses it) unpacks to the same handlers.
 */
import type { GuestProcess } from '../../user/process';
import { untilGuestInterrupted } from '../../user/signals/guest-interrupt';
import { monotonicNs } from '../../user/threads/scheduler';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, guestRange, guestTimespec, readLong, withHostStruct, writeLong } from './guest-access';
import { hostArena, hostStructArray, hostSyscall } from './host';
import { IPC_64, IPC_INFO, IPC_SET, IPC_STAT } from './ipc-commands';
import { shmat, shmctl, shmdt, shmget } from './sysv-shm';

const NS_PER_S = 1_000_000_000n;

/** include/uapi/linux/ipc.h, msg.h and sem.h (the same on every Linux ABI). */
export const IPC_NOWAIT = 0x800;
const MSG_STAT = 11;
const MSG_INFO = 12;
const MSG_STAT_ANY = 13;
const GETALL = 13;
const SETVAL = 16;
const SETALL = 17;
const SEM_STAT = 18;
const SEM_INFO = 19;
const SEM_STAT_ANY = 20;
/** struct msginfo and struct seminfo are all ints. */
const MSGINFO_INTS = 8;
const SEMINFO_INTS = 10;
/** Bytes of message text the host scratch arena carries in one call (the kernel's default MSGMAX is 8192). */
const MAX_MESSAGE = 1 << 19;
const SEMBUF_SIZE = 6;
/** The kernel's SEMMSL bound on semaphores per set (a GETALL/SETALL array is at most this long). */
const SEMMSL = 32000;

/** A long argument as the guest passed it (a 32-bit guest's register is sign-extended). */
function longArg(proc: GuestProcess, v: number | undefined): number {
  return proc.abi.wordSize === 4 ? int(v) : (v ?? 0);
}

function msgsnd(proc: GuestProcess, [id, msgp, size, flags]: SyscallArgs): number {
  const length = longArg(proc, size);
  if (length < 0 || length > MAX_MESSAGE) return -E.EINVAL;
  if (guestRange(proc, msgp!, proc.abi.wordSize + length, false) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(8 + length);
  hostArena.view.setBigInt64(at, readLong(proc, msgp!), true);
  hostArena.bytesAt(at + 8, length).set(proc.memory.readBytes(msgp! + proc.abi.wordSize, length));
  return hostSyscall('msgsnd', int(id), hostArena.address(at), length, int(flags));
}

function msgrcv(proc: GuestProcess, [id, msgp, size, type, flags]: SyscallArgs): number {
  const length = longArg(proc, size);
  if (length < 0) return -E.EINVAL;
  const room = Math.min(length, MAX_MESSAGE);
  if (guestRange(proc, msgp!, proc.abi.wordSize + room, true) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(8 + room);
  const r = hostSyscall('msgrcv', int(id), hostArena.address(at), room, longArg(proc, type), int(flags));
  if (r < 0) return r;
  writeLong(proc, msgp!, hostArena.view.getBigInt64(at, true));
  proc.memory.writeBytes(msgp! + proc.abi.wordSize, hostArena.bytesAt(at + 8, r));
  return r;
}

function msgctl(proc: GuestProcess, [id, cmdArg, buf]: SyscallArgs): number {
  const cmd = int(cmdArg) & ~IPC_64;
  const call = (hostBuf: number) => hostSyscall('msgctl', int(id), cmd, hostBuf);
  if (cmd === IPC_STAT || cmd === MSG_STAT || cmd === MSG_STAT_ANY) return withHostStruct(proc, 'msqid_ds', buf!, 'out', call);
  if (cmd === IPC_SET) return withHostStruct(proc, 'msqid_ds', buf!, 'in', call);
  if (cmd === IPC_INFO || cmd === MSG_INFO) return withHostInts(proc, buf!, MSGINFO_INTS, call);
  return call(0);
}

/** Runs an *_INFO command, whose struct (msginfo, seminfo) is `count` ints, copying it to the guest. */
function withHostInts(proc: GuestProcess, addr: number, count: number, call: (hostAddr: number) => number): number {
  if (guestRange(proc, addr, count * 4, true) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(count * 4);
  const r = call(hostArena.address(at));
  if (r >= 0) for (let i = 0; i < count; i++) proc.memory.view.setInt32(addr + 4 * i, hostArena.view.getInt32(at + 4 * i, true), proc.memory.littleEndian);
  return r;
}

/** Guest struct sembuf array (unsigned short num, short op, short flg) copied into host order, `addFlags` set in each flg. */
function hostSembufs(proc: GuestProcess, addr: number, count: number, addFlags: number): number | undefined {
  if (guestRange(proc, addr, count * SEMBUF_SIZE, false) === undefined) return undefined;
  const at = hostArena.alloc(count * SEMBUF_SIZE);
  const { view, littleEndian } = proc.memory;
  for (let i = 0; i < count * 3; i++) hostArena.view.setUint16(at + 2 * i, view.getUint16(addr + 2 * i, littleEndian), true);
  for (let i = 0; i < count; i++) hostArena.view.setUint16(at + i * SEMBUF_SIZE + 4, hostArena.view.getUint16(at + i * SEMBUF_SIZE + 4, true) | addFlags, true);
  return hostArena.address(at);
}

/** Whether a semop's operations may wait: one of them lacks IPC_NOWAIT (false when unreadable: the call fails at once). */
export function semopMayWait(proc: GuestProcess, sops: number, nsops: number): boolean {
  const count = nsops >>> 0;
  if (count > SEMMSL || guestRange(proc, sops, count * SEMBUF_SIZE, false) === undefined) return false;
  const { view, littleEndian } = proc.memory;
  return Array.from({ length: count }, (_, i) => view.getUint16(sops + i * SEMBUF_SIZE + 4, littleEndian)).some((flg) => !(flg & IPC_NOWAIT));
}

/** A semop run as if every operation had IPC_NOWAIT (-EAGAIN when it would wait). */
export function semopWithoutWaiting(proc: GuestProcess, id: number, sops: number, nsops: number): number {
  const ops = hostSembufs(proc, sops, nsops >>> 0, IPC_NOWAIT);
  return ops === undefined ? -E.EFAULT : hostSyscall('semtimedop', int(id), ops, nsops >>> 0, 0);
}

/** semtimedop; `time64` for the _time64 call (a 32-bit ABI's plain one takes the 32-bit timespec). */
function semtimedop(time64: boolean) {
  return (proc: GuestProcess, [id, sops, nsops, timeout]: SyscallArgs): number => {
    const count = nsops! >>> 0;
    if (count > SEMMSL) return -E.E2BIG;
    const ops = hostSembufs(proc, sops!, count, 0);
    if (ops === undefined) return -E.EFAULT;
    if (!timeout) return untilGuestInterrupted(proc, () => hostSyscall('semtimedop', int(id), ops, count, 0));
    const t = guestTimespec(proc, timeout, proc.abi.wordSize === 4 && !time64);
    if (!t) return -E.EFAULT;
    const host = hostStructArray('timespec', 1);
    const timespec = host.views[0]!;
    timespec.set('sec', t.sec);
    timespec.set('nsec', t.nsec);
    if (t.sec < 0n || t.nsec < 0n || t.nsec >= NS_PER_S) return hostSyscall('semtimedop', int(id), ops, count, host.address);
    // A run again after tsemu's own EINTR waits only the time left to the first call's deadline.
    const deadline = monotonicNs() + t.sec * NS_PER_S + t.nsec;
    return untilGuestInterrupted(proc, () => {
      const now = monotonicNs();
      const left = deadline > now ? deadline - now : 0n;
      timespec.set('sec', left / NS_PER_S);
      timespec.set('nsec', left % NS_PER_S);
      return hostSyscall('semtimedop', int(id), ops, count, host.address);
    });
  };
}

/** How many semaphores set `id` has (for GETALL/SETALL's array); a negative errno when it cannot be asked. */
function semaphoreCount(id: number): number {
  const stat = hostStructArray('semid_ds', 1);
  const r = hostSyscall('semctl', id, 0, IPC_STAT, stat.address);
  return r < 0 ? r : stat.views[0]!.num('nsems');
}

/**
 * SETVAL's int from the union semun passed as a long: its first bytes, which a 64-bit big-endian
 * ABI carries in the high half (the kernel's semctl reads it there too).
 */
function semunValue(proc: GuestProcess, arg: number): number {
  return proc.abi.wordSize === 8 && !proc.memory.littleEndian ? Number(BigInt.asIntN(32, BigInt(arg) >> 32n)) : int(arg);
}

function semctl(proc: GuestProcess, [idArg, num, cmdArg, arg]: SyscallArgs): number {
  const id = int(idArg);
  const cmd = int(cmdArg) & ~IPC_64;
  const call = (hostArg: number) => hostSyscall('semctl', id, int(num), cmd, hostArg);
  if (cmd === IPC_STAT || cmd === SEM_STAT || cmd === SEM_STAT_ANY) return withHostStruct(proc, 'semid_ds', arg!, 'out', call);
  if (cmd === IPC_SET) return withHostStruct(proc, 'semid_ds', arg!, 'in', call);
  if (cmd === SETVAL) return call(semunValue(proc, arg!));
  if (cmd === IPC_INFO || cmd === SEM_INFO) return withHostInts(proc, arg!, SEMINFO_INTS, call);
  if (cmd !== GETALL && cmd !== SETALL) return call(0);
  const count = semaphoreCount(id);
  if (count < 0) return count;
  if (guestRange(proc, arg!, count * 2, cmd === GETALL) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(count * 2);
  const { view, littleEndian } = proc.memory;
  if (cmd === SETALL) for (let i = 0; i < count; i++) hostArena.view.setUint16(at + 2 * i, view.getUint16(arg! + 2 * i, littleEndian), true);
  const r = call(hostArena.address(at));
  if (r >= 0 && cmd === GETALL) for (let i = 0; i < count; i++) view.setUint16(arg! + 2 * i, hostArena.view.getUint16(at + 2 * i, true), littleEndian);
  return r;
}

/** The ipc multiplexer's call numbers (include/linux/ipc.h's SEMOP..MSGCTL; the high 16 bits are a version). */
export const IPC_CALLS = {
  SEMOP: 1, SEMGET: 2, SEMCTL: 3, SEMTIMEDOP: 4, MSGSND: 11, MSGRCV: 12, MSGGET: 13, MSGCTL: 14, SHMAT: 21, SHMDT: 22,
  SHMGET: 23, SHMCTL: 24,
} as const;

/**
 * ipc(call, first, second, third, ptr, fifth), as the kernel unpacks it: SEMCTL's argument is the
 * long at `ptr`, MSGRCV version 0 finds msgp and msgtyp in a pair of longs at `ptr`, SHMAT stores
 * the address at `third` and returns 0 (its version 1, iBCS2's, is EINVAL).
 */
function ipc(proc: GuestProcess, [callArg, first, second, third, ptr, fifth]: SyscallArgs): number {
  const call = int(callArg) & 0xffff;
  const version = int(callArg) >>> 16;
  switch (call) {
    case IPC_CALLS.SEMOP:
      return semtimedop(true)(proc, [first!, ptr!, second!, 0]);
    case IPC_CALLS.SEMTIMEDOP:
      return semtimedop(false)(proc, [first!, ptr!, second!, fifth!]);
    case IPC_CALLS.SEMGET:
      return hostSyscall('semget', int(first), int(second), int(third));
    case IPC_CALLS.SEMCTL: {
      if (!ptr || guestRange(proc, ptr, proc.abi.wordSize, false) === undefined) return -E.EFAULT;
      return semctl(proc, [first!, second!, third!, Number(readLong(proc, ptr))]);
    }
    case IPC_CALLS.MSGSND:
      return msgsnd(proc, [first!, ptr!, second!, third!]);
    case IPC_CALLS.MSGRCV: {
      if (version !== 0) return msgrcv(proc, [first!, ptr!, second!, fifth!, third!]);
      if (!ptr || guestRange(proc, ptr, 2 * proc.abi.wordSize, false) === undefined) return -E.EFAULT;
      const msgp = Number(BigInt.asUintN(8 * proc.abi.wordSize, readLong(proc, ptr)));
      return msgrcv(proc, [first!, msgp, second!, Number(readLong(proc, ptr + proc.abi.wordSize)), third!]);
    }
    case IPC_CALLS.MSGGET:
      return hostSyscall('msgget', int(first), int(second));
    case IPC_CALLS.MSGCTL:
      return msgctl(proc, [first!, second!, ptr!]);
    case IPC_CALLS.SHMAT: {
      if (version === 1) return -E.EINVAL;
      const addr = shmat(proc, [first!, ptr!, second!]);
      if (addr < 0) return addr;
      if (guestRange(proc, third!, proc.abi.wordSize, true) === undefined) return -E.EFAULT;
      writeLong(proc, third!, BigInt(addr));
      return 0;
    }
    case IPC_CALLS.SHMDT:
      return shmdt(proc, [ptr!]);
    case IPC_CALLS.SHMGET:
      return shmget(proc, [first!, second!, third!]);
    case IPC_CALLS.SHMCTL:
      return shmctl(proc, [first!, second!, ptr!]);
    default:
      return -E.ENOSYS;
  }
}

export const SYSV_IPC_SYSCALLS: SyscallGroup = {
  msgget: syscall('dho', (_proc, [key, flags]) => hostSyscall('msgget', int(key), int(flags))),
  msgsnd: syscall('dxdh', msgsnd),
  msgrcv: syscall('dxddh', msgrcv),
  msgctl: syscall('ddx', msgctl),
  semget: syscall('ddh', (_proc, [key, count, flags]) => hostSyscall('semget', int(key), int(count), int(flags))),
  semop: syscall('dxd', (proc, [id, sops, nsops]) => semtimedop(true)(proc, [id!, sops!, nsops!, 0])),
  semtimedop: syscall('dxdx', semtimedop(false)),
  semtimedop_time64: syscall('dxdx', semtimedop(true)),
  semctl: syscall('dddx', semctl),
  shmget: syscall('ddo', shmget),
  shmat: syscall('dxh', shmat, { addressResult: true }),
  shmdt: syscall('x', shmdt),
  shmctl: syscall('ddx', shmctl),
  ipc: syscall('ddddxd', ipc),
};
