/**
 * The /proc files that describe a process, answered for the guest rather than for tsemu (as the
 * guest's own kernel would): /proc/self/cmdline (guest argv), /proc/self/maps (guest mappings in
 * the kernel's format), /proc/self/stat (the guest's name, memory size, code and stack addresses
 * over the host's other fields), /proc/self/auxv (read from the guest's initial stack, as QEMU reads
 * its saved copy of it) and /proc/cpuinfo (the guest CPU, per-target table). /proc/<own pid>/
 * and /proc/thread-self/ name the same files. The content is made when the file is opened and
 * served from a host memfd, so read, lseek, fstat and mmap behave as on a regular file.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { MappedRegion } from '../../memory/regions';
import type { GuestProcess } from '../../user/process';
import { CPUINFO_BY_MACHINE } from '../abi/cpuinfo';
import { hostArena, hostSyscall } from './host';
import { syscallState } from './process-state';

const PROT_READ = 1;
const PROT_WRITE = 2;
const PROT_EXEC = 4;
const MFD_CLOEXEC = 1;

const PROCESS_FILE = /^\/proc\/(?:self|thread-self|(\d+))\/(cmdline|maps|stat|auxv)$/;

/** The generated content of a guest /proc path, or undefined when the host's file serves. */
export function procFileContent(proc: GuestProcess, path: Buffer): Buffer | undefined {
  const p = path.toString('latin1');
  if (p === '/proc/cpuinfo') {
    const text = CPUINFO_BY_MACHINE[proc.abi.machine];
    return text ? Buffer.from(text(os.availableParallelism(), proc.options.hwcap, proc.options.hwcap2, proc.options.cpuIdentity)) : undefined;
  }
  const m = PROCESS_FILE.exec(p);
  if (!m || (m[1] !== undefined && Number(m[1]) !== process.pid)) return undefined;
  switch (m[2]) {
    case 'cmdline':
      return Buffer.concat(proc.argv.map((a) => Buffer.from(`${a}\0`)));
    case 'maps':
      return Buffer.from(maps(proc));
    case 'stat':
      return Buffer.from(stat(proc));
    default:
      return auxv(proc);
  }
}

function hex(v: number, digits: number): string {
  return v.toString(16).padStart(digits, '0');
}

/** Linux's MAJOR/MINOR of a dev_t as stat reports it. */
function devNumbers(dev: number): string {
  const d = BigInt(dev);
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
  const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
  return `${hex(major, 2)}:${hex(minor, 2)}`;
}

/** One maps line: fs/proc/task_mmu.c pads the fixed part to 25 + 6 * sizeof(long) - 1 columns before the name. */
function mapsLine(r: MappedRegion, wordSize: number): string {
  const perms = `${r.prot & PROT_READ ? 'r' : '-'}${r.prot & PROT_WRITE ? 'w' : '-'}${r.prot & PROT_EXEC ? 'x' : '-'}${r.shared ? 's' : 'p'}`;
  const fixed = `${hex(r.start, 8)}-${hex(r.end, 8)} ${perms} ${hex(r.offset, 8)} ${devNumbers(r.device)} ${r.inode}`;
  return r.path === '' ? `${fixed}\n` : `${fixed.padEnd(25 + 6 * wordSize - 1)} ${r.path}\n`;
}

function maps(proc: GuestProcess): string {
  return proc.space.regions().map((r) => mapsLine(r, proc.abi.wordSize)).join('');
}

/**
 * The host's stat line with the guest's values where they differ: comm (field 2), vsize (23),
 * startcode/endcode (26, 27: the executable's code mapping), startstack (28: the top of the guest's
 * stack mapping), and kstkesp/kstkeip (29, 30), which Linux reports as 0 for a running task.
 */
function stat(proc: GuestProcess): string {
  const host = fs.readFileSync('/proc/self/stat', 'latin1');
  const close = host.lastIndexOf(')');
  const fields = [host.slice(0, host.indexOf(' ')), `(${syscallState(proc).name.toString('latin1')})`, ...host.slice(close + 2).trim().split(' ')];
  const regions = proc.space.regions();
  const code = regions.find((r) => r.path === proc.exePath && r.prot & PROT_EXEC);
  const stack = regions.find((r) => r.path === '[stack]');
  const set = (field: number, value: number): void => {
    fields[field - 1] = String(value);
  };
  set(23, regions.reduce((n, r) => n + r.end - r.start, 0));
  set(26, code?.start ?? 0);
  set(27, code?.end ?? 0);
  set(28, stack?.end ?? 0);
  set(29, 0);
  set(30, 0);
  return `${fields.join(' ')}\n`;
}

/**
 * The auxv bytes on the guest's initial stack: the frame (argc, argv pointers, NULL, envp
 * pointers, NULL, auxv pairs up to AT_NULL) is found by scanning the stack mapping down from its
 * top for argc followed by pointers to the guest's argv strings.
 */
function auxv(proc: GuestProcess): Buffer | undefined {
  const stack = proc.space.regions().find((r) => r.path === '[stack]');
  if (!stack) return undefined;
  const w = proc.abi.wordSize;
  const view = proc.memory.view;
  const le = proc.memory.littleEndian;
  const word = (at: number): number => (w === 8 ? Number(view.getBigUint64(at, le)) : view.getUint32(at, le));
  const argc = proc.argv.length;
  const isFrame = (at: number): boolean =>
    word(at) === argc &&
    proc.argv.every((a, i) => proc.memory.readCString(word(at + w * (i + 1)), a.length + 1)?.toString() === a) &&
    word(at + w * (argc + 1)) === 0;
  for (let at = stack.end - w * (argc + 2); at >= stack.start; at -= w) {
    if (!isFrame(at)) continue;
    let start = at + w * (argc + 2);
    while (start < stack.end && word(start) !== 0) start += w;
    start += w;
    let end = start;
    while (end + 2 * w <= stack.end && word(end) !== 0) end += 2 * w;
    return Buffer.from(proc.memory.u8.subarray(start, end + 2 * w));
  }
  return undefined;
}

/** A new host descriptor reading `content` from its start (a sealed-off memfd), or -errno. */
export function openContent(content: Buffer, closeOnExec: boolean, name: string): number {
  const fd = hostSyscall('memfd_create', hostArena.cString(Buffer.from(name)), closeOnExec ? MFD_CLOEXEC : 0);
  if (fd < 0) return fd;
  // pwrite: the descriptor's own offset stays at 0 for the guest's reads.
  if (content.length > 0) fs.writeSync(fd, content, 0, content.length, 0);
  return fd;
}
