/**
 * GuestProcess: everything one emulated Linux process owns, shared by the loader, the syscall layer
 * and the execution engine.
 */
import type { GuestMemory } from '../memory/guest-memory';
import type { AddressSpace } from '../memory/address-space';
import type { LinuxAbi } from '../syscalls/abi';
import type { UserTarget } from './target';

export interface GuestOptions {
  /** Guest sysroot (-L / TSEMU_LD_PREFIX): guest paths are looked up there first. */
  ldPrefix?: string;
  /** Log every syscall to stderr (-strace / TSEMU_STRACE). */
  strace: boolean;
  /** -d log items. */
  logItems: ReadonlySet<string>;
  /** Where -d logs go (stderr unless -D). */
  log: (line: string) => void;
  /** -one-insn-per-tb. */
  oneInsnPerTb: boolean;
  /** -cpu model name. */
  cpu?: string;
  /** The AT_HWCAP the process started with (the model's features), which /proc/cpuinfo lists. */
  hwcap: number;
  /** Its AT_HWCAP2, which /proc/cpuinfo lists after AT_HWCAP's names (arm). */
  hwcap2: number;
  /** The model's identification register (AArch64 MIDR_EL1), which /proc/cpuinfo decodes; absent: the target's usual CPU. */
  cpuIdentity?: number;
  /** -r: the kernel release uname reports. */
  unameRelease?: string;
}

/** An execve of a program for the running target, done in this process (exec-in-place.ts). */
export interface ImageRequest {
  /** Host path of the program. */
  readonly program: string;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  /** AT_EXECFN: the program as the guest named it. */
  readonly execfn: string;
  /** Called once the new image is known to load: the syscall layer's part of exec (descriptors, dispositions). */
  commit(): void;
}

export interface GuestProcess {
  readonly memory: GuestMemory;
  readonly space: AddressSpace;
  readonly abi: LinuxAbi;
  /** The CPU-loop glue of the guest's ISA (register conventions for syscalls, clone and exec). */
  readonly target: UserTarget;
  readonly options: GuestOptions;
  /** Absolute host path of the guest executable (what /proc/self/exe names). */
  exePath: string;
  argv: string[];
  envp: string[];
  /** Base offset of the running thread's CPU state block in memory. */
  stateBase: number;
  /** Discards translations overlapping [start, start + length) (munmap, mprotect, cache flush syscalls). */
  invalidateCode(start: number, length: number): void;
  /**
   * What the translation cache does at a fork: `before` it (compiling what earlier children
   * compiled, child-compiles.ts), and `inChild` (leaving what was unsaved to the parent).
   */
  atFork?: { before(): void; inChild(): void };
  /**
   * Replaces the program image in this process; undefined when the program needs a tsemu process of
   * its own, -errno when it cannot be executed, else it never returns (exec-in-place.ts). Absent
   * under the debugger, whose session belongs to the first program.
   */
  replaceImage?: (request: ImageRequest) => number | undefined;
}
