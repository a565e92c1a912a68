/**
 * The oracle for ABI tables: a C program, generated from the tables' own names, that prints what
 * the kernel headers of one target say (syscall numbers, sizeof/offsetof/signedness of struct
 * members, constant values). It is compiled with that target's compiler and run natively or under
 * QEMU; the tests then compare every printed fact with the table.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AbiLayouts, KernelAbi } from '../../src/syscalls/abi';

/** C spelling of each layout: the struct type and, per field, the member designator. */
interface CStruct {
  readonly type: string;
  /** Field -> member; a trailing [] marks an array (bytes), a leading * a pointer (unsigned). */
  readonly members: Readonly<Record<string, string>>;
}

const TIMESPEC_MEMBERS = { sec: 'tv_sec', nsec: 'tv_nsec' };

export const C_STRUCTS: { readonly [K in keyof AbiLayouts]: CStruct } = {
  stat: {
    type: 'struct stat',
    members: {
      dev: 'st_dev', ino: 'st_ino', mode: 'st_mode', nlink: 'st_nlink', uid: 'st_uid', gid: 'st_gid', rdev: 'st_rdev',
      size: 'st_size', blksize: 'st_blksize', blocks: 'st_blocks', atime: 'st_atime', atime_nsec: 'st_atime_nsec',
      mtime: 'st_mtime', mtime_nsec: 'st_mtime_nsec', ctime: 'st_ctime', ctime_nsec: 'st_ctime_nsec',
    },
  },
  statfs: {
    type: 'struct statfs',
    members: {
      type: 'f_type', bsize: 'f_bsize', blocks: 'f_blocks', bfree: 'f_bfree', bavail: 'f_bavail', files: 'f_files',
      ffree: 'f_ffree', fsid: 'f_fsid[]', namelen: 'f_namelen', frsize: 'f_frsize', flags: 'f_flags',
    },
  },
  statx: {
    type: 'struct statx',
    members: {
      mask: 'stx_mask', blksize: 'stx_blksize', attributes: 'stx_attributes', nlink: 'stx_nlink', uid: 'stx_uid',
      gid: 'stx_gid', mode: 'stx_mode', ino: 'stx_ino', size: 'stx_size', blocks: 'stx_blocks',
      attributes_mask: 'stx_attributes_mask', atime_sec: 'stx_atime.tv_sec', atime_nsec: 'stx_atime.tv_nsec',
      btime_sec: 'stx_btime.tv_sec', btime_nsec: 'stx_btime.tv_nsec', ctime_sec: 'stx_ctime.tv_sec',
      ctime_nsec: 'stx_ctime.tv_nsec', mtime_sec: 'stx_mtime.tv_sec', mtime_nsec: 'stx_mtime.tv_nsec',
      rdev_major: 'stx_rdev_major', rdev_minor: 'stx_rdev_minor', dev_major: 'stx_dev_major',
      dev_minor: 'stx_dev_minor', mnt_id: 'stx_mnt_id',
    },
  },
  timespec: { type: 'struct __kernel_timespec', members: TIMESPEC_MEMBERS },
  timeval: { type: 'struct __kernel_old_timeval', members: { sec: 'tv_sec', usec: 'tv_usec' } },
  timezone: { type: 'struct timezone', members: { minuteswest: 'tz_minuteswest', dsttime: 'tz_dsttime' } },
  rusage: {
    type: 'struct rusage',
    members: {
      utime_sec: 'ru_utime.tv_sec', utime_usec: 'ru_utime.tv_usec', stime_sec: 'ru_stime.tv_sec',
      stime_usec: 'ru_stime.tv_usec', maxrss: 'ru_maxrss', ixrss: 'ru_ixrss', idrss: 'ru_idrss', isrss: 'ru_isrss',
      minflt: 'ru_minflt', majflt: 'ru_majflt', nswap: 'ru_nswap', inblock: 'ru_inblock', oublock: 'ru_oublock',
      msgsnd: 'ru_msgsnd', msgrcv: 'ru_msgrcv', nsignals: 'ru_nsignals', nvcsw: 'ru_nvcsw', nivcsw: 'ru_nivcsw',
    },
  },
  sysinfo: {
    type: 'struct sysinfo',
    members: {
      uptime: 'uptime', loads0: 'loads[0]', loads1: 'loads[1]', loads2: 'loads[2]', totalram: 'totalram',
      freeram: 'freeram', sharedram: 'sharedram', bufferram: 'bufferram', totalswap: 'totalswap',
      freeswap: 'freeswap', procs: 'procs', totalhigh: 'totalhigh', freehigh: 'freehigh', mem_unit: 'mem_unit',
    },
  },
  utsname: {
    type: 'struct new_utsname',
    members: {
      sysname: 'sysname[]', nodename: 'nodename[]', release: 'release[]', version: 'version[]',
      machine: 'machine[]', domainname: 'domainname[]',
    },
  },
  termios: {
    type: 'struct termios',
    members: { iflag: 'c_iflag', oflag: 'c_oflag', cflag: 'c_cflag', lflag: 'c_lflag', line: 'c_line', cc: 'c_cc[]' },
  },
  winsize: { type: 'struct winsize', members: { row: 'ws_row', col: 'ws_col', xpixel: 'ws_xpixel', ypixel: 'ws_ypixel' } },
  iovec: { type: 'struct iovec', members: { base: '*iov_base', len: 'iov_len' } },
  dirent64: {
    type: 'struct dirent64',
    members: { ino: 'd_ino', off: 'd_off', reclen: 'd_reclen', type: 'd_type', name: 'd_name[]' },
  },
  sigaction: {
    type: 'struct sigaction',
    members: { handler: '*sa_handler', flags: 'sa_flags', restorer: '*sa_restorer', mask: 'sa_mask[]' },
  },
  rlimit: { type: 'struct rlimit', members: { cur: 'rlim_cur', max: 'rlim_max' } },
  epoll_event: { type: 'struct epoll_event', members: { events: 'events', data: 'data' } },
  flock: { type: 'struct flock', members: { type: 'l_type', whence: 'l_whence', start: 'l_start', len: 'l_len', pid: 'l_pid' } },
  stack: { type: 'stack_t', members: { sp: '*ss_sp', flags: 'ss_flags', size: 'ss_size' } },
  pollfd: { type: 'struct pollfd', members: { fd: 'fd', events: 'events', revents: 'revents' } },
  tms: { type: 'struct tms', members: { utime: 'tms_utime', stime: 'tms_stime', cutime: 'tms_cutime', cstime: 'tms_cstime' } },
  msghdr: {
    type: 'struct msghdr',
    members: {
      name: '*msg_name', namelen: 'msg_namelen', iov: '*msg_iov', iovlen: 'msg_iovlen', control: '*msg_control',
      controllen: 'msg_controllen', flags: 'msg_flags',
    },
  },
  cmsghdr: { type: 'struct cmsghdr', members: { len: 'cmsg_len', level: 'cmsg_level', type: 'cmsg_type' } },
  msqid_ds: {
    type: 'struct msqid64_ds',
    members: {
      perm_key: 'msg_perm.key', perm_uid: 'msg_perm.uid', perm_gid: 'msg_perm.gid', perm_cuid: 'msg_perm.cuid',
      perm_cgid: 'msg_perm.cgid', perm_mode: 'msg_perm.mode', perm_seq: 'msg_perm.seq',
      stime: 'msg_stime', rtime: 'msg_rtime', ctime: 'msg_ctime', cbytes: 'msg_cbytes', qnum: 'msg_qnum',
      qbytes: 'msg_qbytes', lspid: 'msg_lspid', lrpid: 'msg_lrpid',
    },
  },
  semid_ds: {
    type: 'struct semid64_ds',
    members: {
      perm_key: 'sem_perm.key', perm_uid: 'sem_perm.uid', perm_gid: 'sem_perm.gid', perm_cuid: 'sem_perm.cuid',
      perm_cgid: 'sem_perm.cgid', perm_mode: 'sem_perm.mode', perm_seq: 'sem_perm.seq',
      otime: 'sem_otime', ctime: 'sem_ctime', nsems: 'sem_nsems',
    },
  },
  shmid_ds: {
    type: 'struct shmid64_ds',
    members: {
      perm_key: 'shm_perm.key', perm_uid: 'shm_perm.uid', perm_gid: 'shm_perm.gid', perm_cuid: 'shm_perm.cuid',
      perm_cgid: 'shm_perm.cgid', perm_mode: 'shm_perm.mode', perm_seq: 'shm_perm.seq',
      segsz: 'shm_segsz', atime: 'shm_atime', dtime: 'shm_dtime', ctime: 'shm_ctime', cpid: 'shm_cpid',
      lpid: 'shm_lpid', nattch: 'shm_nattch',
    },
  },
};

/** Layouts whose C type comes from libc (no uapi header declares them); the rest are the kernel's. */
const LIBC_LAYOUTS: ReadonlySet<keyof AbiLayouts> = new Set(['dirent64', 'msghdr', 'cmsghdr']);

const KERNEL_HEADERS = [
  'asm/unistd.h', 'asm/stat.h', 'linux/stat.h', 'asm/statfs.h', 'linux/time.h', 'linux/time_types.h',
  'linux/resource.h', 'linux/sysinfo.h', 'linux/utsname.h', 'asm/termbits.h', 'asm/termios.h', 'asm/ioctls.h',
  'linux/uio.h', 'asm/signal.h', 'linux/eventpoll.h', 'asm/fcntl.h', 'linux/fcntl.h', 'linux/poll.h',
  'linux/times.h', 'asm/mman.h', 'linux/mman.h', 'linux/fs.h', 'linux/signal.h', 'asm/errno.h', 'asm/socket.h',
  'linux/msg.h', 'linux/sem.h', 'linux/shm.h',
];

function structLines(name: string, s: CStruct): string[] {
  const lines = [`P("size ${name} %ld\\n", (long)sizeof(${s.type}));`];
  for (const [field, spec] of Object.entries(s.members)) {
    const bytes = spec.endsWith('[]');
    const pointer = spec.startsWith('*');
    const member = spec.replace(/\[\]$/, '').replace(/^\*/, '');
    const sizeExpr = `sizeof(((${s.type} *)0)->${member})`;
    const signedExpr = bytes || pointer ? '0' : `((__typeof__(((${s.type} *)0)->${member}))-1 < 0)`;
    const type = bytes ? '"bytes"' : `(${signedExpr} ? "s" : "u")`;
    lines.push(`P("field ${name}.${field} %ld %ld %s\\n", (long)__builtin_offsetof(${s.type}, ${member}), (long)${sizeExpr}, ${type});`);
  }
  return lines;
}

/** The header macro of a syscall name: ARM's private calls are __ARM_NR_<name>, the rest __NR_<name>. */
function syscallMacro(name: string): string {
  return name.startsWith('ARM_') ? `__ARM_NR_${name.slice(4)}` : `__NR_${name}`;
}

/**
 * The probe's two C files: one with uapi headers only, one with libc's (for what uapi lacks).
 * `cTypes` names a different C type for a layout where the ABI's table describes another struct
 * (32-bit ARM's stat kind is the kernel's struct stat64).
 */
export function probeSources(abi: KernelAbi, extraConstants: readonly string[], cTypes: Partial<Record<keyof AbiLayouts, string>> = {}): { kernel: string; libc: string } {
  const kernelBody: string[] = [];
  const libcBody: string[] = [];
  for (const name of Object.keys(abi.syscallNumbers)) kernelBody.push(`P("sys ${name} %ld\\n", (long)${syscallMacro(name)});`);
  for (const [name, s] of Object.entries(C_STRUCTS)) {
    const kind = name as keyof AbiLayouts;
    (LIBC_LAYOUTS.has(kind) ? libcBody : kernelBody).push(...structLines(name, { ...s, type: cTypes[kind] ?? s.type }));
  }
  const constants = [
    ...Object.keys(abi.openFlags),
    ...Object.keys(abi.fcntlCommands),
    ...Object.keys(abi.signals),
    ...Object.keys(abi.ioctls),
    ...Object.keys(abi.socketOptions ?? {}),
    'SIGRTMIN',
    ...extraConstants,
  ];
  for (const c of constants) kernelBody.push(`P("const ${c} %lld\\n", (long long)(${c}));`);
  const kernel = [
    ...KERNEL_HEADERS.map((h) => `#include <${h}>`),
    'int printf(const char *, ...);',
    '#define P printf',
    'void probe_libc(void);',
    'int main(void) {',
    ...kernelBody,
    'probe_libc();',
    'return 0;',
    '}',
  ].join('\n');
  const libc = ['#define _GNU_SOURCE', '#include <dirent.h>', '#include <stdio.h>', '#include <sys/socket.h>', '#define P printf', 'void probe_libc(void) {', ...libcBody, '}'].join('\n');
  return { kernel, libc };
}

/** What one probe run printed. */
export interface ProbeFacts {
  readonly syscalls: Map<string, number>;
  readonly sizes: Map<string, number>;
  readonly fields: Map<string, { offset: number; size: number; type: string }>;
  readonly constants: Map<string, number>;
}

function parse(output: string): ProbeFacts {
  const facts: ProbeFacts = { syscalls: new Map(), sizes: new Map(), fields: new Map(), constants: new Map() };
  for (const line of output.trim().split('\n')) {
    const [kind, name, a, b, c] = line.split(' ');
    if (kind === 'sys') facts.syscalls.set(name!, Number(a));
    else if (kind === 'size') facts.sizes.set(name!, Number(a));
    else if (kind === 'field') facts.fields.set(name!, { offset: Number(a), size: Number(b), type: c! });
    else if (kind === 'const') facts.constants.set(name!, Number(a));
  }
  return facts;
}

/**
 * Compiles the probe with `cc` and runs it through `runner` (empty for a native run), returning
 * the facts it printed.
 */
export function runProbe(
  abi: KernelAbi,
  cc: string,
  ccFlags: readonly string[],
  runner: readonly string[],
  extraConstants: readonly string[] = [],
  cTypes: Partial<Record<keyof AbiLayouts, string>> = {},
): ProbeFacts {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsemu-abi-probe-'));
  try {
    const { kernel, libc } = probeSources(abi, extraConstants, cTypes);
    writeFileSync(path.join(dir, 'kernel.c'), kernel);
    writeFileSync(path.join(dir, 'libc.c'), libc);
    const exe = path.join(dir, 'probe');
    execFileSync(cc, [...ccFlags, '-o', exe, path.join(dir, 'kernel.c'), path.join(dir, 'libc.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const [cmd, ...args] = runner.length > 0 ? [...runner, exe] : [exe];
    return parse(execFileSync(cmd!, args, { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every __NR_ name the target's <asm/unistd.h> defines (for completeness of the number table). */
export function headerSyscallNames(cc: string): string[] {
  const out = execFileSync(cc, ['-E', '-dM', '-'], { input: '#include <asm/unistd.h>\n', encoding: 'utf8' });
  const notCalls = new Set(['syscalls', 'arch_specific_syscall', 'OABI_SYSCALL_BASE', 'SYSCALL_BASE', 'SYSCALL_MASK', 'ARM_BASE', 'ARM_SYSCALL_BASE']);
  return [...out.matchAll(/^#define __NR_(\w+) /gm)].map((m) => m[1]!).filter((n) => !notCalls.has(n));
}

/** Every E* errno macro the target's <asm/errno.h> defines, with its value as printed by the probe. */
export function headerErrnoNames(cc: string): string[] {
  const out = execFileSync(cc, ['-E', '-dM', '-'], { input: '#include <asm/errno.h>\n', encoding: 'utf8' });
  return [...out.matchAll(/^#define (E[A-Z0-9]+) /gm)].map((m) => m[1]!);
}
