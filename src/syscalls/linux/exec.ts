/**
 * execve and execveat. The new image is chosen the way the kernel picks a binary handler, with
 * tsemu standing in for binfmt_misc: an ELF file for one of tsemu's targets re-enters tsemu for
 * that target (argv[0] preserved, the guest's environment as given); a `#!` script whose
 * interpreter is such a file does the same with the interpreter, as binfmt_script would; anything
 * else (host programs, host scripts, non-executables) goes to the host's execve as it is, which
 * also gives the kernel's errors. A program for the running target replaces the image without a
 * new host process (user/exec-in-place.ts) where it can. Paths are looked up through the guest
 * sysroot (-L) first, like every guest path. Guest descriptors keep their numbers in the new image
 * unless close-on-exec.
 */
import fs from 'node:fs';
import { targetOfElfHeader } from '../../loader';
import { native } from '../../native';
import type { GuestProcess } from '../../user/process';
import { execSignalsEntry, withGuestSignalsOnHost } from '../../user/exec-signals';
import { runExecHooks } from '../../user/leave';
import { hiddenFromNode, hostEntries } from '../../user/node-environment';
import { guestProgramCommand } from '../../user/reentry';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { FdTable, fdTable } from './fd-table';
import { resetForNewImage } from './exec-reset';
import { E, readGuestString } from './guest-access';
import { hostPathOf, isProcSelfExe, readGuestPath } from './paths';
import { exitAllRobustLists } from './robust-list';

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
/** Linux's limits: one argument string (MAX_ARG_STRLEN), the `#!` line (BINPRM_BUF_SIZE), nested interpreters. */
const MAX_ARG_STRLEN = 32 * 4096;
const BINPRM_BUF_SIZE = 256;
const MAX_INTERPRETER_DEPTH = 4;

/** What a file to execute is. */
type Image =
  | { kind: 'guest'; target: string }
  | { kind: 'script'; interpreter: Buffer; argument: Buffer | undefined }
  | { kind: 'host' };

/** A NULL-terminated guest array of string pointers (argv, envp); NULL itself is an empty array. */
function readStringArray(proc: GuestProcess, addr: number): Buffer[] | number {
  const out: Buffer[] = [];
  if (addr === 0) return out;
  const wordSize = proc.abi.wordSize;
  const { view, littleEndian } = proc.memory;
  for (let at = addr; ; at += wordSize) {
    if (!proc.memory.accessible(at, wordSize, false)) return -E.EFAULT;
    const ptr = wordSize === 8 ? Number(view.getBigUint64(at, littleEndian)) : view.getUint32(at, littleEndian);
    if (ptr === 0) return out;
    const s = readGuestString(proc, ptr, MAX_ARG_STRLEN - 1);
    if (typeof s === 'number') return s === -E.ENAMETOOLONG ? -E.E2BIG : s;
    out.push(s);
  }
}

/** The first bytes of `path` if it is a regular file this process may execute, or -errno. */
function readHead(path: Buffer): Buffer | number {
  let fd: number;
  try {
    if (!fs.statSync(path).isFile()) return -E.EACCES;
    fs.accessSync(path, fs.constants.X_OK);
    fd = fs.openSync(path, 'r');
  } catch (e) {
    // Node's errno is the negated host errno.
    return (e as NodeJS.ErrnoException).errno ?? -E.EACCES;
  }
  try {
    const head = Buffer.alloc(BINPRM_BUF_SIZE);
    return head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
  } catch {
    return -E.EIO;
  } finally {
    fs.closeSync(fd);
  }
}

/** An ELF file for one of tsemu's targets, a `#!` script, or something for the host. */
function classify(head: Buffer): Image {
  if (head[0] === 0x23 && head[1] === 0x21) return scriptImage(head);
  const target = targetOfElfHeader(head);
  return target ? { kind: 'guest', target: target.name } : { kind: 'host' };
}

/** binfmt_script's reading of the `#!` line: the interpreter, then at most one argument (the rest, trimmed). */
function scriptImage(head: Buffer): Image {
  const end = head.indexOf(0x0a);
  const line = head.subarray(2, end < 0 ? head.length : end).toString('latin1').replace(/^[ \t]+|[ \t]+$/g, '');
  const m = /^(\S+)(?:[ \t]+(.*))?$/s.exec(line);
  if (!m) return { kind: 'host' };
  return { kind: 'script', interpreter: Buffer.from(m[1]!, 'latin1'), argument: m[2] ? Buffer.from(m[2], 'latin1') : undefined };
}

/**
 * Runs guest `program` (a host path) for `target`, named `guestPath` by the guest, in this process:
 * in place when it is for the running target (exec-in-place.ts), else in a new tsemu; or returns -errno.
 */
function reenter(
  proc: GuestProcess,
  target: string,
  guestPath: Buffer,
  argv0: Buffer,
  program: Buffer,
  args: readonly Buffer[],
  envp: readonly Buffer[],
): number {
  if (target === proc.target.name && proc.replaceImage) {
    const hostPath = program.toString();
    const replaced = proc.replaceImage({
      program: hostPath,
      argv: [argv0, ...args].map((a) => a.toString()),
      envp: envp.map((e) => e.toString()),
      execfn: guestPath.toString(),
      commit: () => resetForNewImage(proc, guestPath.toString()),
    });
    if (replaced !== undefined) return replaced;
  }
  const command = guestProgramCommand(target, { argv0: argv0.toString(), program: program.toString(), args: args.map((a) => a.toString()) }, proc.options);
  const placement = fdTable(proc).execPlacement();
  const env = [
    ...envp.map(hiddenFromNode),
    ...hostEntries(),
    Buffer.from(FdTable.inheritedVariable(placement)),
    Buffer.from(execSignalsEntry(proc)),
  ];
  return replaceImage(proc, command.path, command.argv, env, placement);
}

/**
 * The host execve, after what tsemu keeps across images is saved (the translation cache) and, as
 * the kernel's exec does once past its point of no return, every thread's robust futexes are
 * released (the file was found and read, so what fails now is rare: no execute permission).
 */
function replaceImage(proc: GuestProcess, ...args: Parameters<ReturnType<typeof native>['execve']>): number {
  runExecHooks();
  exitAllRobustLists(proc);
  return native().execve(...args);
}

/** execve of the file at host path `hostPath`, which the guest named `guestPath`. */
function execFile(proc: GuestProcess, guestPath: Buffer, hostPath: Buffer, argv: Buffer[], envp: Buffer[], depth = 0): number {
  const head = readHead(hostPath);
  if (typeof head === 'number') return head;
  const image = classify(head);
  if (image.kind === 'guest') return reenter(proc, image.target, guestPath, argv[0] ?? guestPath, hostPath, argv.slice(1), envp);
  if (image.kind === 'script') {
    if (depth >= MAX_INTERPRETER_DEPTH) return -E.ELOOP;
    const interpreterHost = hostPathOf(proc, image.interpreter);
    const interpreterHead = readHead(interpreterHost);
    if (typeof interpreterHead !== 'number' && classify(interpreterHead).kind !== 'host') {
      // As binfmt_script: argv becomes interpreter [argument] script args..., argv[0] of the script dropped.
      const scriptArgv = [image.interpreter, ...(image.argument ? [image.argument] : []), guestPath, ...argv.slice(1)];
      return execFile(proc, image.interpreter, interpreterHost, scriptArgv, envp, depth + 1);
    }
  }
  return withGuestSignalsOnHost(proc, () => replaceImage(proc, hostPath, argv, envp, fdTable(proc).execPlacement()));
}

function execProgram(proc: GuestProcess, guestPath: Buffer, argvAddr: number, envpAddr: number): number {
  const argv = readStringArray(proc, argvAddr);
  if (typeof argv === 'number') return argv;
  const envp = readStringArray(proc, envpAddr);
  if (typeof envp === 'number') return envp;
  if (guestPath.length === 0) return -E.ENOENT;
  const hostPath = isProcSelfExe(guestPath) ? Buffer.from(proc.exePath) : hostPathOf(proc, guestPath);
  return execFile(proc, guestPath, hostPath, argv, envp);
}

function execve(proc: GuestProcess, [path, argv, envp]: SyscallArgs): number {
  const guestPath = readGuestPath(proc, path!);
  return typeof guestPath === 'number' ? guestPath : execProgram(proc, guestPath, argv!, envp!);
}

/** execveat: a path relative to a directory descriptor, or (AT_EMPTY_PATH) the file the descriptor is. */
function execveat(proc: GuestProcess, [dirfd, path, argv, envp, flagsArg]: SyscallArgs): number {
  const flags = int(flagsArg);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  const guestPath = readGuestPath(proc, path!);
  if (typeof guestPath === 'number') return guestPath;
  const fd = int(dirfd);
  let named = guestPath;
  if (guestPath[0] !== 0x2f && (guestPath.length > 0 || fd !== AT_FDCWD)) {
    if (fd !== AT_FDCWD) {
      const host = fdTable(proc).host(fd);
      if (host === undefined) return -E.EBADF;
      if (guestPath.length === 0 && !(flags & AT_EMPTY_PATH)) return -E.ENOENT;
      named = Buffer.from(guestPath.length === 0 ? `/proc/self/fd/${fd}` : `/proc/self/fd/${fd}/${guestPath.toString('latin1')}`, 'latin1');
    }
  }
  if (flags & AT_SYMLINK_NOFOLLOW) {
    try {
      if (fs.lstatSync(hostPathOf(proc, named)).isSymbolicLink()) return -E.ELOOP;
    } catch {
      // A missing file is reported by the exec itself.
    }
  }
  return execProgram(proc, named, argv!, envp!);
}

export const EXEC_SYSCALLS: SyscallGroup = {
  execve: syscall('sxx', execve),
  execveat: syscall('dsxxh', execveat),
};
