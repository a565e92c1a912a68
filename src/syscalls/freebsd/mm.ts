/**
 * Memory calls with FreeBSD semantics: mmap's flags translated (MAP_ANON is 0x1000, MAP_EXCL
 * refuses to replace, MAP_GUARD reserves inaccessible space, MAP_ALIGNED/MAP_32BIT/MAP_NOSYNC and
 * the like are placement and paging hints the 32-bit guest window already satisfies or may
 * ignore), madvise as pure advice (FreeBSD's MADV_DONTNEED and MADV_FREE keep the data unless the
 * system needs the pages, so doing nothing is correct) and minherit (fork inheritance; accepted).
 */
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_PRIVATE,
  MAP_SHARED,
  PROT_NONE,
} from '../../memory/linux-mm';
import { PAGE_SIZE } from '../../memory/layout';
import type { GuestProcess } from '../../user/process';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { E } from '../linux/guest-access';
import { LINUX_SYSCALLS } from '../linux/registry';
import type { SyscallArgs } from '../types';
import { FREEBSD_MAP } from './flags';

/** Every FreeBSD mmap flag bit besides the alignment byte. */
const KNOWN_MAP_FLAGS = Object.values(FREEBSD_MAP).reduce((a, b) => a | b, 0);
const ALIGNMENT_MASK = 0xff000000;
/** The highest MADV_* value FreeBSD defines (MADV_PROTECT). */
const MADV_MAX = 10;
/** minherit's INHERIT_SHARE .. INHERIT_ZERO. */
const INHERIT_MAX = 3;

function mmap(proc: GuestProcess, [addr, len, protArg, flagsArg, fd, off]: SyscallArgs): number {
  const flags = int(flagsArg) >>> 0;
  let prot = int(protArg);
  if ((flags & ~(KNOWN_MAP_FLAGS | ALIGNMENT_MASK)) !== 0) return -E.EINVAL;
  let linux = 0;
  if (flags & FREEBSD_MAP.MAP_SHARED) linux |= MAP_SHARED;
  if (flags & FREEBSD_MAP.MAP_PRIVATE) linux |= MAP_PRIVATE;
  if (flags & FREEBSD_MAP.MAP_FIXED) linux |= MAP_FIXED;
  if (flags & FREEBSD_MAP.MAP_EXCL) {
    if (!(flags & FREEBSD_MAP.MAP_FIXED)) return -E.EINVAL;
    linux = (linux & ~MAP_FIXED) | MAP_FIXED_NOREPLACE;
  }
  const anonymous = (flags & (FREEBSD_MAP.MAP_ANON | FREEBSD_MAP.MAP_GUARD)) !== 0;
  if (anonymous) {
    // FreeBSD insists on fd -1 and offset 0 for anonymous memory.
    if (int(fd) !== -1 || off !== 0) return -E.EINVAL;
    linux |= MAP_ANONYMOUS;
  }
  if (flags & FREEBSD_MAP.MAP_GUARD) {
    if (prot !== PROT_NONE || flags & (FREEBSD_MAP.MAP_SHARED | FREEBSD_MAP.MAP_ANON)) return -E.EINVAL;
    linux |= MAP_PRIVATE;
    prot = PROT_NONE;
  }
  // FreeBSD treats a mapping with neither sharing flag as private.
  if (!(linux & (MAP_SHARED | MAP_PRIVATE))) linux |= MAP_PRIVATE;
  return LINUX_SYSCALLS['mmap']!.handler(proc, [addr!, len!, prot, linux, int(fd), off!]);
}

/** The range must be mapped (ENOMEM otherwise, as FreeBSD's vm_map checks) and the advice known. */
function adviseRange(proc: GuestProcess, addr: number, length: number, value: number, max: number): number {
  if (value < 0 || value > max || length < 0) return -E.EINVAL;
  const start = addr - (addr % PAGE_SIZE);
  const end = Math.ceil((addr + length) / PAGE_SIZE) * PAGE_SIZE;
  const covered = proc.space
    .regions()
    .filter((r) => r.start < end && r.end > start)
    .reduce((n, r) => n + Math.min(r.end, end) - Math.max(r.start, start), 0);
  return covered === end - start ? 0 : -E.ENOMEM;
}

export const MM_SYSCALLS: SyscallGroup = {
  mmap: syscall('xdhhdd', mmap, { addressResult: true }),
  madvise: syscall('xdd', (p, [addr, len, advice]) => adviseRange(p, addr!, len!, int(advice), MADV_MAX)),
  minherit: syscall('xdd', (p, [addr, len, inherit]) =>
    adviseRange(p, addr!, len!, int(inherit), INHERIT_MAX),
  ),
};
