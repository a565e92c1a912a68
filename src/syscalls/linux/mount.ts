/**
 * mount and umount2, passed through to the host kernel, which decides as it would for a native
 * program (EPERM unless root, as in a chroot). The mount point goes through the path rules of
 * paths.ts; the source and the file system type are strings the kernel interprets (a device, a
 * directory to bind, or a name such as "proc"), passed verbatim as QEMU does. MS_* and MNT_* flags
 * have the same values on every Linux ABI (include/uapi/linux/mount.h) and pass through.
 */
import type { GuestProcess } from '../../user/process';
import type { SyscallArgs } from '../types';
import { PAGE_SIZE } from '../../memory/layout';
import { syscall, type SyscallGroup } from './define';
import { E } from './guest-access';
import { hostArena, hostSyscall } from './host';
import { hostPathArg, hostStringArg } from './paths';
import { mountFlags, umountFlags } from './strace-names';

/** A string argument the kernel may be given as NULL: its host copy, 0 for NULL, or -errno. */
function optionalString(proc: GuestProcess, addr: number): number {
  return addr === 0 ? 0 : hostStringArg(proc, addr);
}

/**
 * The data argument as the kernel copies it (copy_mount_options): up to one page, fewer bytes when
 * the page after it is not readable, -EFAULT when none are; NULL stays NULL.
 */
function mountData(proc: GuestProcess, addr: number): number {
  if (addr === 0) return 0;
  let length = 0;
  while (length < PAGE_SIZE && proc.memory.accessible(addr + length, 1, false)) {
    length = Math.min(PAGE_SIZE, length + PAGE_SIZE - ((addr + length) % PAGE_SIZE));
  }
  if (length === 0) return -E.EFAULT;
  const at = hostArena.alloc(PAGE_SIZE);
  hostArena.bytesAt(at, length).set(proc.memory.u8.subarray(addr, addr + length));
  return hostArena.address(at);
}

function mount(proc: GuestProcess, [source, target, fstype, flags, data]: SyscallArgs): number {
  const hostSource = optionalString(proc, source!);
  if (hostSource < 0) return hostSource;
  const hostTarget = hostPathArg(proc, target!);
  if (hostTarget < 0) return hostTarget;
  const hostType = optionalString(proc, fstype!);
  if (hostType < 0) return hostType;
  const hostData = mountData(proc, data!);
  if (hostData < 0) return hostData;
  return hostSyscall('mount', hostSource, hostTarget, hostType, flags!, hostData);
}

function umount2(proc: GuestProcess, [target, flags]: SyscallArgs): number {
  const hostTarget = hostPathArg(proc, target!);
  return hostTarget < 0 ? hostTarget : hostSyscall('umount2', hostTarget, flags!);
}

export const MOUNT_SYSCALLS: SyscallGroup = {
  mount: syscall(['s', 's', 's', mountFlags, 'x'], mount),
  umount2: syscall(['s', umountFlags], umount2),
};
