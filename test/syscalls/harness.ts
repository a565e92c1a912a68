/**
 * A guest process for handler tests: real GuestMemory and AddressSpace with the AArch64 ABI, no
 * CPU. Syscalls go through doSyscall by name; a scratch mapping holds the guest-side buffers.
 */
import { AddressSpace } from '../../src/memory/address-space';
import { GuestMemory } from '../../src/memory/guest-memory';
import { aarch64Abi } from '../../src/syscalls/abi/aarch64';
import { doSyscall } from '../../src/syscalls/dispatch';
import type { GuestOptions, GuestProcess } from '../../src/user/process';
import { aarch64Target } from '../../src/user/aarch64';

export const PROT_READ = 1;
export const PROT_WRITE = 2;
const MAP_PRIVATE_ANONYMOUS = 0x22;

export interface TestProcess {
  proc: GuestProcess;
  /** Lines logged through options.log (strace, -d). */
  logs: string[];
  /** Start of a 1 MiB read-write guest scratch mapping. */
  scratch: number;
  /** Runs a syscall by its AArch64 name. */
  call(name: string, ...args: number[]): number;
  /** Puts a NUL-terminated string at guest `addr`; returns addr. */
  putString(addr: number, s: string | Buffer): number;
  /** Ranges of guest code invalidated by syscalls writing guest memory. */
  invalidated: [number, number][];
}

export function testProcess(options: Partial<GuestOptions> = {}, exePath = '/usr/bin/true'): TestProcess {
  const memory = new GuestMemory(true);
  const space = new AddressSpace(memory);
  const logs: string[] = [];
  const invalidated: [number, number][] = [];
  const proc: GuestProcess = {
    memory,
    space,
    abi: aarch64Abi,
    target: aarch64Target,
    options: { strace: false, logItems: new Set(), log: (l) => logs.push(l), oneInsnPerTb: false, hwcap: 0, hwcap2: 0, ...options },
    exePath,
    argv: [exePath],
    envp: [],
    stateBase: 0,
    invalidateCode: (start, length) => invalidated.push([start, length]),
  };
  const scratch = space.mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
  if (scratch < 0) throw new Error(`scratch mmap failed: ${scratch}`);
  const call = (name: string, ...args: number[]): number => {
    const nr = aarch64Abi.syscallNumbers[name];
    if (nr === undefined) throw new Error(`aarch64 has no syscall ${name}`);
    return doSyscall(proc, nr, args);
  };
  const putString = (addr: number, s: string | Buffer): number => {
    const bytes = typeof s === 'string' ? Buffer.from(s) : s;
    memory.writeBytes(addr, bytes);
    memory.write8(addr + bytes.length, 0);
    return addr;
  };
  return { proc, logs, scratch, call, putString, invalidated };
}
