/**
 * loadElf: a new process image as Linux's execve builds it. The stack is mapped first at the top
 * of the guest area (so position-independent images land below it), then the program, then its
 * PT_INTERP interpreter if any at a base of its own, then the target's vDSO if it has one; the heap
 * starts after the program; the initial stack gets argc, argv, envp and the auxv.
 *
 * Usage: `readElfImage(path, target)` tells the guest byte order (to create the GuestMemory), then
 * `loadElf(space, image, options)` maps everything and returns where execution starts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressSpace } from '../memory/address-space';
import { PAGE_SIZE, STACK_TOP } from '../memory/layout';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from '../memory/linux-mm';
import { buildAuxv, type AuxEntry } from './auxv';
import { readElfImage, type ElfImage } from './elf-image';
import { ArgumentListTooLong, writeInitialStack } from './initial-stack';
import { LoaderError } from './loader-error';
import { mapImage, PROGRAM_BASE } from './map-image';
import type { LoaderTarget } from './targets';
import { mapVdso } from './vdso/map-vdso';

export interface LoadOptions {
  readonly target: LoaderTarget;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  /** AT_EXECFN: the program name as the guest gave it (default: the image's path). */
  readonly execfn?: string;
  /** Stack size in bytes (default: the target's). */
  readonly stackSize?: number;
  /** Host path of the PT_INTERP interpreter named in the program (the -L prefix lookup); default: as named. */
  readonly resolveInterpreter?: (guestPath: string) => string;
  /** AT_RANDOM bytes (default: 16 random bytes). */
  readonly random?: Uint8Array;
}

export interface LoadedProgram {
  /** Where execution starts: the interpreter's entry point, or the program's. */
  readonly entry: number;
  /** Initial stack pointer (points at argc). */
  readonly sp: number;
  /** Start of the heap (already set on the address space with initBrk). */
  readonly brk: number;
  /** Guest address of the program's program headers (AT_PHDR). */
  readonly phdr: number;
  /** Load bias of the program (0 for ET_EXEC). */
  readonly loadBias: number;
  /** Load address of the interpreter (AT_BASE), 0 without one. */
  readonly interpreterBase: number;
  /** Load bias of the image `entry` belongs to (the interpreter's if there is one). */
  readonly entryBias: number;
  /** The auxv pairs as written to the stack (without AT_NULL), for /proc/self/auxv. */
  readonly auxv: readonly AuxEntry[];
  /** AT_EXECFN as given to the guest. */
  readonly execfn: string;
  /** Lowest address of the stack mapping (its guard page excluded). */
  readonly stackLimit: number;
}

/** Maps the stack (with a guard page below it, as QEMU does) ending at STACK_TOP; returns its lowest address. */
function mapStack(space: AddressSpace, image: ElfImage, size: number): number {
  const prot = PROT_READ | PROT_WRITE | (image.execStack ? PROT_EXEC : 0);
  const guard = STACK_TOP - size - PAGE_SIZE;
  const r = space.mmap(guard, size + PAGE_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
  if (r < 0) throw new LoaderError(image.path, `cannot map a stack of ${size} bytes (errno ${-r})`);
  space.mprotect(guard, PAGE_SIZE, PROT_NONE);
  space.nameRegion(guard + PAGE_SIZE, size, '[stack]');
  return guard + PAGE_SIZE;
}

function loadInterpreter(
  space: AddressSpace,
  image: ElfImage,
  options: LoadOptions,
): { entry: number; base: number; bias: number } {
  const guestPath = image.interpreter!;
  const hostPath = options.resolveInterpreter ? options.resolveInterpreter(guestPath) : guestPath;
  let interp: ElfImage;
  try {
    interp = readElfImage(hostPath, options.target);
  } catch (e) {
    // Whatever keeps the interpreter from loading ends the emulator as load_elf_interp does.
    throw e instanceof LoaderError ? new LoaderError(e.path, e.message, 255) : e;
  }
  try {
    if (interp.interpreter !== undefined) throw new LoaderError(hostPath, 'the interpreter asks for an interpreter itself');
    const mapped = mapImage(space, interp);
    return { entry: mapped.entry, base: mapped.bias + interp.low, bias: mapped.bias };
  } finally {
    fs.closeSync(interp.fd);
  }
}

/** Loads `image` (from readElfImage) into `space`: segments, interpreter, heap start and initial stack. */
export function loadElf(space: AddressSpace, image: ElfImage, options: LoadOptions): LoadedProgram {
  try {
    const { target } = options;
    const stackSize = Math.ceil((options.stackSize ?? target.defaultStackSize) / PAGE_SIZE) * PAGE_SIZE;
    if (stackSize <= 0 || stackSize > STACK_TOP / 2) throw new LoaderError(image.path, `unusable stack size ${stackSize}`);
    const stackLimit = mapStack(space, image, stackSize);
    const program = mapImage(space, image, PROGRAM_BASE);
    space.initBrk(program.end);
    const interp = image.interpreter === undefined ? undefined : loadInterpreter(space, image, options);
    const vdso = target.vdso ? mapVdso(space, target.vdso(), image.path) : undefined;

    const execfn = options.execfn ?? image.path;
    const random = options.random ?? crypto.randomBytes(16);
    let stack;
    try {
      stack = writeInitialStack(
        space.memory,
        STACK_TOP,
        target.elfClass === 64 ? 8 : 4,
        { argv: options.argv, envp: options.envp, execfn, platform: target.platform, random },
        stackSize / 4,
        (strings) =>
          (target.auxv ?? buildAuxv)(target, {
            phdr: program.phdr,
            phentsize: image.phentsize,
            phnum: image.phnum,
            interpreterBase: interp?.base ?? 0,
            entry: program.entry,
            ...(vdso !== undefined ? { vdso } : {}),
            ...strings,
          }),
      );
    } catch (e) {
      if (e instanceof ArgumentListTooLong) throw new LoaderError(image.path, e.message);
      throw e;
    }
    return {
      entry: interp?.entry ?? program.entry,
      sp: stack.sp,
      brk: program.end,
      phdr: program.phdr,
      loadBias: program.bias,
      interpreterBase: interp?.base ?? 0,
      entryBias: interp?.bias ?? program.bias,
      auxv: stack.auxv,
      execfn,
      stackLimit,
    };
  } finally {
    fs.closeSync(image.fd);
  }
}
