/**
 * SysV shared memory. Segments are the host's (shmget and shmctl pass through, IPC_STAT/IPC_SET
 * structs through the ABI's shmid_ds layout), and shmat attaches the host segment itself over the
 * guest window range (host shmat with SHM_REMAP at the range's host address), so a forked child, an
 * unrelated guest process and a native process attaching the same segment all see each other's
 * writes, and the host kernel keeps shm_nattch, SHM_DEST and the permission checks. shmdt unmaps
 * the attachment from the window, which detaches the host segment. The command's IPC_64 bit is
 * dropped: the host's only layout is the 64-bit-IPC one.
 */
import { PAGE_SIZE } from '../../memory/layout';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../memory/linux-mm';
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { int } from './define';
import { E, guestRange, withHostStruct } from './guest-access';
import { hostArena, hostStructArray, hostSyscall } from './host';
import { IPC_64, IPC_INFO, IPC_SET, IPC_STAT } from './ipc-commands';

/** include/uapi/linux/shm.h (the same on every Linux ABI; test/syscalls/abi-verify checks SHM_*). */
const SHM_STAT = 13;
const SHM_INFO = 14;
const SHM_STAT_ANY = 15;
const SHM_RDONLY = 0o10000;
const SHM_RND = 0o20000;
const SHM_REMAP = 0o40000;
const SHM_EXEC = 0o100000;
/** struct shminfo64 is nine unsigned longs; struct shm_info an int then five unsigned longs. */
const SHMINFO_FIELDS = ['long', 'long', 'long', 'long', 'long', 'long', 'long', 'long', 'long'] as const;
const SHM_INFO_FIELDS = ['int', 'long', 'long', 'long', 'long', 'long'] as const;
const INT_MAX = 0x7fffffff;

type InfoField = 'int' | 'long';

/** Byte offsets of a struct of ints and longs whose long is `longSize` bytes (naturally aligned). */
function infoOffsets(fields: readonly InfoField[], longSize: number): number[] {
  let at = 0;
  return fields.map((f) => {
    const size = f === 'int' ? 4 : longSize;
    at = Math.ceil(at / size) * size;
    const offset = at;
    at += size;
    return offset;
  });
}

/**
 * Runs IPC_INFO or SHM_INFO, whose struct is `fields`, and copies it to the guest's layout. A 32-bit
 * guest's longs are truncated, shmmax first capped at INT_MAX as the kernel does for compat tasks.
 */
function withHostInfo(proc: GuestProcess, addr: number, fields: readonly InfoField[], call: (hostAddr: number) => number): number {
  const word = proc.abi.wordSize;
  const guestAt = infoOffsets(fields, word);
  const hostAt = infoOffsets(fields, 8);
  if (guestRange(proc, addr, guestAt[guestAt.length - 1]! + word, true) === undefined) return -E.EFAULT;
  const at = hostArena.alloc(hostAt[hostAt.length - 1]! + 8);
  const r = call(hostArena.address(at));
  if (r < 0) return r;
  const { view, littleEndian } = proc.memory;
  fields.forEach((f, i) => {
    const to = addr + guestAt[i]!;
    if (f === 'int') return view.setInt32(to, hostArena.view.getInt32(at + hostAt[i]!, true), littleEndian);
    let value = hostArena.view.getBigUint64(at + hostAt[i]!, true);
    if (word === 8) return view.setBigUint64(to, value, littleEndian);
    if (fields === SHMINFO_FIELDS && i === 0 && value > INT_MAX) value = BigInt(INT_MAX);
    view.setUint32(to, Number(BigInt.asUintN(32, value)), littleEndian);
  });
  return r;
}

export function shmget(_proc: GuestProcess, [key, size, flags]: SyscallArgs): number {
  return hostSyscall('shmget', int(key), size!, int(flags));
}

export function shmctl(proc: GuestProcess, [id, cmdArg, buf]: SyscallArgs): number {
  const cmd = int(cmdArg) & ~IPC_64;
  const call = (hostBuf: number) => hostSyscall('shmctl', int(id), cmd, hostBuf);
  if (cmd === IPC_STAT || cmd === SHM_STAT || cmd === SHM_STAT_ANY) return withHostStruct(proc, 'shmid_ds', buf!, 'out', call);
  if (cmd === IPC_SET) return withHostStruct(proc, 'shmid_ds', buf!, 'in', call);
  if (cmd === IPC_INFO) return withHostInfo(proc, buf!, SHMINFO_FIELDS, call);
  if (cmd === SHM_INFO) return withHostInfo(proc, buf!, SHM_INFO_FIELDS, call);
  return call(0);
}

/**
 * shmat: the address is checked against the ABI's SHMLBA first (SHM_RND rounds down to it, else a
 * misaligned address is EINVAL, as on ARM, whose kernel forces its four-page SHMLBA), then the
 * segment's size and key are asked of the host (what the host's shmat would refuse, an unknown id
 * or no read permission, IPC_STAT refuses alike). Returns the guest address or -errno.
 */
export function shmat(proc: GuestProcess, [idArg, addrArg, flagsArg]: SyscallArgs): number {
  const id = int(idArg);
  const flags = int(flagsArg);
  const remap = (flags & SHM_REMAP) !== 0;
  const shmlba = proc.abi.shmlba ?? PAGE_SIZE;
  let addr: number | undefined = addrArg || undefined;
  if (addr === undefined && remap) return -E.EINVAL;
  if (addr !== undefined && addr % shmlba !== 0) {
    if (!(flags & SHM_RND)) return -E.EINVAL;
    addr -= addr % shmlba;
    if (addr === 0 && remap) return -E.EINVAL;
  }
  const stat = hostStructArray('shmid_ds', 1);
  const r = hostSyscall('shmctl', id, IPC_STAT, stat.address);
  if (r < 0) return r;
  const key = stat.views[0]!.num('perm_key') >>> 0;
  const segment = { id, size: stat.views[0]!.num('segsz'), name: `/SYSV${key.toString(16).padStart(8, '0')}` };
  const access = (flags & SHM_RDONLY ? PROT_READ : PROT_READ | PROT_WRITE) | (flags & SHM_EXEC ? PROT_EXEC : 0);
  const hostFlags = (flags & (SHM_RDONLY | SHM_EXEC)) | SHM_REMAP;
  return proc.space.attachShm(segment, addr, access, remap, (hostAddr) => {
    const attached = hostSyscall('shmat', id, hostAddr, hostFlags);
    return attached < 0 ? attached : 0;
  });
}

export function shmdt(proc: GuestProcess, [addr]: SyscallArgs): number {
  return proc.space.detachShm(addr!);
}
