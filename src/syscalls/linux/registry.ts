/**
 * The generic Linux layer's syscalls by kernel name, gathered from the topic files, and the table
 * an ABI builds from its numbers: every number it knows gets its name, implemented ones a
 * definition. Names an ABI lacks are simply unused; numbers without a definition answer -ENOSYS.
 */
import type { SyscallDefinition, SyscallEntry } from '../abi';
import { EVENT_FD_SYSCALLS } from './event-fds';
import { FS_FD_SYSCALLS } from './fs-fd';
import { FS_IO_SYSCALLS } from './fs-io';
import { FS_PATH_SYSCALLS } from './fs-paths';
import { FS_STAT_SYSCALLS } from './fs-stat';
import { XATTR_SYSCALLS } from './fs-xattr';
import { IOCTL_SYSCALLS } from './ioctl';
import { legacySyscalls } from './legacy';
import { MM_SYSCALLS } from './mm';
import { MOUNT_SYSCALLS } from './mount';
import { POLL_SYSCALLS } from './poll';
import { PROCESS_SYSCALLS } from './process';
import { RUNTIME_SYSCALLS } from './runtime';
import { EXEC_SYSCALLS } from './exec';
import { FORK_SYSCALLS } from './fork';
import { FUTEX_SYSCALLS } from './futex';
import { WAIT_SYSCALLS } from './wait';
import { SIGNAL_SYSCALLS } from './signals';
import { LEGACY_SIGNAL_SYSCALLS } from './legacy-signals';
import { SIGNALFD_SYSCALLS } from './signalfd';
import { SIGWAIT_SYSCALLS } from './sigwait';
import { SOCKET_SYSCALLS } from './sockets';
import { SYSV_IPC_SYSCALLS } from './sysv-ipc';
import { TIME_SYSCALLS } from './time';
import { TIMER_SYSCALLS } from './timer-calls';
import { CAPABILITY_SYSCALLS } from './capabilities';
import { MQUEUE_SYSCALLS } from './mqueue';

const CURRENT_SYSCALLS: Readonly<Record<string, SyscallDefinition>> = {
  ...FS_IO_SYSCALLS,
  ...FS_PATH_SYSCALLS,
  ...FS_STAT_SYSCALLS,
  ...FS_FD_SYSCALLS,
  ...IOCTL_SYSCALLS,
  ...MM_SYSCALLS,
  ...POLL_SYSCALLS,
  ...PROCESS_SYSCALLS,
  ...FORK_SYSCALLS,
  ...FUTEX_SYSCALLS,
  ...EXEC_SYSCALLS,
  ...WAIT_SYSCALLS,
  ...TIME_SYSCALLS,
  ...TIMER_SYSCALLS,
  ...CAPABILITY_SYSCALLS,
  ...MQUEUE_SYSCALLS,
  ...SIGNAL_SYSCALLS,
  ...LEGACY_SIGNAL_SYSCALLS,
  ...SIGWAIT_SYSCALLS,
  ...SIGNALFD_SYSCALLS,
  ...SOCKET_SYSCALLS,
  ...EVENT_FD_SYSCALLS,
  ...XATTR_SYSCALLS,
  ...RUNTIME_SYSCALLS,
  ...MOUNT_SYSCALLS,
  ...SYSV_IPC_SYSCALLS,
};

export const LINUX_SYSCALLS: Readonly<Record<string, SyscallDefinition>> = {
  ...legacySyscalls(CURRENT_SYSCALLS),
  ...CURRENT_SYSCALLS,
};

/** Number -> entry for an ABI's syscall numbers. */
export function syscallTable(numbers: Readonly<Record<string, number>>): ReadonlyMap<number, SyscallEntry> {
  const table = new Map<number, SyscallEntry>();
  for (const [name, nr] of Object.entries(numbers)) table.set(nr, { name, definition: LINUX_SYSCALLS[name] });
  return table;
}
