/**
 * The syscall entry point the CPU loop calls: looks the number up in the process's ABI table, runs
 * the handler, turns host errnos into the guest's, and logs in QEMU's -strace format
 * (`<tid> name(args) = result`, errors as `-1 errno=N (message)`). Numbers without a handler
 * answer -ENOSYS and are reported once each under -d unimp, as QEMU does. The guest's descriptor table
 * is made before its first call, from the descriptors the process inherited.
 */
import { native } from '../native';
import type { GuestProcess } from '../user/process';
import type { StraceArg, SyscallDefinition } from './abi';
import { fdTable } from './linux/fd-table';
import { E } from './linux/guest-access';
import { hostArena } from './linux/host';
import { raiseSigpipe } from './linux/sigpipe';
import { GuestExit, type SyscallArgs } from './types';
import { ImageReplaced } from '../user/exec-in-place';
import { currentThreadId } from '../user/threads/scheduler';

const MAX_ERRNO = 4095;
const AT_FDCWD = -100;
const STRING_LIMIT = 64;

const reportedUnsupported = new WeakMap<GuestProcess, Set<number>>();

/** Runs guest syscall `nr`; returns the value for the guest's result register (guest -errno on failure). */
export function doSyscall(proc: GuestProcess, nr: number, args: SyscallArgs): number {
  fdTable(proc);
  const entry = proc.abi.syscalls.get(nr);
  const definition = entry?.definition;
  if (!definition) return unsupported(proc, nr, entry?.name, args);
  const strace = proc.options.strace;
  const call = strace ? callText(proc, entry.name, definition, args) : '';
  if (strace && definition.noReturn) proc.options.log(call);
  hostArena.reset();
  let result: number;
  try {
    result = definition.handler(proc, args);
  } catch (e) {
    // An execve that replaced the image in this process ends here too, without a result (as QEMU prints it).
    if (strace && (e instanceof GuestExit || e instanceof ImageReplaced) && !definition.noReturn) proc.options.log(call);
    throw e;
  }
  // Printed before the errno is converted: the message is the host's for the host errno.
  if (strace) proc.options.log(`${tookResult(proc) ? '' : call} = ${resultText(proc, definition, result)}`);
  if (result < 0 && result >= -MAX_ERRNO) {
    const hostErrno = -result;
    result = -proc.abi.errnoFromHost(hostErrno);
    if (hostErrno === E.EPIPE) raiseSigpipe(proc, entry.name, args);
  }
  return result;
}

/**
 * Threads (by id) that blocked in a call -strace printed then: its result comes later on a line of
 * its own, ` = result`, as QEMU prints it (the call runs again or completes when the thread goes on).
 */
const awaitingResult = new WeakMap<GuestProcess, Set<number>>();

/** Whether the running thread's call line was printed when it blocked (and forgets it). */
function tookResult(proc: GuestProcess): boolean {
  return awaitingResult.get(proc)?.delete(callerId(proc)) ?? false;
}

/** -strace: the running thread blocks in syscall `nr` (it waits in the scheduler): its call is printed now, once. */
export function straceBlocked(proc: GuestProcess, nr: number, args: SyscallArgs): void {
  const entry = proc.abi.syscalls.get(nr);
  if (!proc.options.strace || !entry?.definition || entry.definition.noReturn) return;
  const waiting = awaitingResult.get(proc) ?? new Set<number>();
  awaitingResult.set(proc, waiting);
  if (waiting.has(callerId(proc))) return;
  waiting.add(callerId(proc));
  proc.options.log(callText(proc, entry.name, entry.definition, args));
}

/** -strace: the running thread's blocked call `nr` completed with `hostResult` (a host -errno on failure). */
export function straceResumed(proc: GuestProcess, nr: number, hostResult: number): void {
  const definition = proc.abi.syscalls.get(nr)?.definition;
  if (definition && tookResult(proc)) proc.options.log(` = ${resultText(proc, definition, hostResult)}`);
}

function callText(proc: GuestProcess, name: string, definition: SyscallDefinition, args: SyscallArgs): string {
  return `${callerId(proc)} ${name}(${formatArgs(proc, definition, args)})`;
}

/** A result as -strace prints it after ` = `: errors (host -errno) as `-1 errno=N (message)` with the guest's N. */
function resultText(proc: GuestProcess, definition: SyscallDefinition, result: number): string {
  if (result < 0 && result >= -MAX_ERRNO) return `-1 errno=${proc.abi.errnoFromHost(-result)} (${native().hostStrerror(-result)})`;
  return definition.addressResult ? pointer(proc, result) : String(result);
}

/** What -strace lines start with: the calling thread's id (the pid in a process that never made a thread). */
function callerId(proc: GuestProcess): number {
  return currentThreadId(proc) ?? process.pid;
}

function unsupported(proc: GuestProcess, nr: number, name: string | undefined, args: SyscallArgs): number {
  const reported = reportedUnsupported.get(proc) ?? new Set<number>();
  reportedUnsupported.set(proc, reported);
  if (proc.options.strace) {
    proc.options.log(
      name === undefined
        ? `${callerId(proc)} Unknown syscall ${nr}`
        : `${callerId(proc)} ${name}(${args.join(',')}) = -1 errno=${proc.abi.errnoFromHost(E.ENOSYS)} (${native().hostStrerror(E.ENOSYS)})`,
    );
  }
  if (proc.options.logItems.has('unimp') && !reported.has(nr)) {
    reported.add(nr);
    proc.options.log(`Unsupported syscall: ${nr}${name === undefined ? '' : ` (${name})`}`);
  }
  return -proc.abi.errnoFromHost(E.ENOSYS);
}

/** An address as QEMU prints it: hex padded to the guest's word width. */
function pointer(proc: GuestProcess, v: number): string {
  const bits = proc.abi.wordSize * 8;
  return `0x${BigInt.asUintN(bits, BigInt(v)).toString(16).padStart(bits / 4, '0')}`;
}

function formatArg(proc: GuestProcess, kind: StraceArg, v: number, index: number, definition: SyscallDefinition): string {
  if (typeof kind === 'function') return kind(proc.abi, v);
  switch (kind) {
    case 'd':
      // A leading directory descriptor reads better as QEMU prints it.
      return index === 0 && v === AT_FDCWD && definition.args[1] === 's' ? 'AT_FDCWD' : String(v);
    case 'o':
      return `0${(v >>> 0).toString(8)}`;
    case 'x':
      return v === 0 ? 'NULL' : pointer(proc, v);
    case 'h':
      return `0x${(v >>> 0).toString(16)}`;
    case 's': {
      if (v === 0) return 'NULL';
      const s = proc.memory.readCString(v, STRING_LIMIT + 1);
      if (s === undefined) return pointer(proc, v);
      const shown = JSON.stringify(s.subarray(0, STRING_LIMIT).toString('latin1'));
      return s.length > STRING_LIMIT ? `${shown}...` : shown;
    }
  }
}

function formatArgs(proc: GuestProcess, definition: SyscallDefinition, args: SyscallArgs): string {
  return definition.args.map((kind, i) => formatArg(proc, kind, args[i] ?? 0, i, definition)).join(',');
}
