/**
 * execve of a program for the running target without a new host process: the address space is
 * emptied and the new image loaded into it, and the CPU state starts over at its entry, while the
 * emulator itself carries on: Node and tsemu's compiled JavaScript, and the translations of the
 * files the new image maps unchanged at the same place (the dynamic loader and libc, kept by the
 * translation cache, cache/code-cache.ts). The process keeps its pid, as with the kernel's exec.
 * What exec resets in the syscall layer (descriptors, signal dispositions) is done by the caller
 * at the point of no return (`commit`); this module does the image's part.
 */
import fs from 'node:fs';
import { LoaderError, readElfImage, type ElfImage, type LoadedProgram } from '../loader';
import { STATE_BASE, STATE_SIZE } from '../memory/layout';
import { E } from '../syscalls/linux/guest-access';
import { HOST } from '../syscalls/linux/host';
import { GuestExit } from '../syscalls/types';
import { canonicalPath } from './canonical-path';
import type { UserTargetSet } from './freebsd';
import type { GuestProcess, ImageRequest } from './process';
import { forgetTrampoline } from './signals/trampoline';
import { multithreaded } from './threads/scheduler';

/** Thrown past the end of the execve that replaced the image: the registers hold the new image's start, not a result. */
export class ImageReplaced {}

/** How this process loads a program image (what run.ts does at start). */
export interface ImageSetup {
  readonly target: UserTargetSet;
  /** Whether the program at host path `program` runs under this process's ABI (its brand). */
  sameAbi(program: string): boolean;
  /** The host path of the interpreter a program names (the -L lookup). */
  interpreterPath(guestPath: string): string;
  /** Loads `image` into the empty address space with the given argv, envp and AT_EXECFN. */
  load(image: ElfImage, argv: readonly string[], envp: readonly string[], execfn: string): LoadedProgram;
  /** The program changed to `exePath` (the translation cache's profile follows it). */
  programChanged(exePath: string): void;
}

/**
 * The image replacement of process `proc`: undefined when the program needs a tsemu process of its
 * own (another ABI, or other guest threads to end), -errno when it cannot be executed (the caller
 * goes on); otherwise it never returns, ImageReplaced ends the execve.
 */
export function imageReplacer(proc: GuestProcess, setup: ImageSetup): (request: ImageRequest) => number | undefined {
  return (request) => {
    if (multithreaded(proc) || proc.stateBase !== STATE_BASE || !setup.sameAbi(request.program)) return undefined;
    const image = readImage(request.program, setup);
    if (typeof image === 'number') return image;
    request.commit();
    forgetTrampoline(proc);
    proc.space.clear();
    proc.memory.u8.fill(0, STATE_BASE, STATE_BASE + STATE_SIZE);
    let loaded: LoadedProgram;
    try {
      loaded = setup.load(image, request.argv, request.envp, request.execfn);
    } catch (e) {
      // Past the point of no return the kernel kills the process with SIGSEGV.
      if (e instanceof LoaderError) throw new GuestExit(0, HOST.signals.SIGSEGV);
      throw e;
    }
    const { user } = setup.target;
    user.prepareAddressSpace?.(proc.space);
    user.initState(proc.memory.view, STATE_BASE, loaded.entry, loaded.sp, loaded.entryBias);
    proc.exePath = canonicalPath(request.program);
    proc.argv = [...request.argv];
    proc.envp = [...request.envp];
    setup.programChanged(request.program);
    throw new ImageReplaced();
  };
}

/** The program's image with its interpreter checked (present, an ELF for this target), or -errno. */
function readImage(program: string, setup: ImageSetup): ElfImage | number {
  let image: ElfImage;
  try {
    image = readElfImage(program, setup.target.loader);
  } catch (e) {
    if (e instanceof LoaderError) return -E.ENOEXEC;
    throw e;
  }
  if (image.interpreter === undefined) return image;
  const interpreter = setup.interpreterPath(image.interpreter);
  try {
    fs.closeSync(readElfImage(interpreter, setup.target.loader).fd);
    return image;
  } catch (e) {
    fs.closeSync(image.fd);
    if (!(e instanceof LoaderError)) throw e;
    // The kernel's answer for an interpreter it cannot open is that open's error; for a bad one, ENOEXEC.
    return fs.existsSync(interpreter) ? -E.ENOEXEC : -E.ENOENT;
  }
}
