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
  /** -r: the kernel release uname reports. */
  unameRelease?: string;
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
}
