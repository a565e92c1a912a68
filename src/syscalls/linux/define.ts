/**
 * How topic files declare their syscalls: a handler plus its -strace argument formats written as
 * one letter per argument (d decimal, x pointer, h hex flags, s string, o octal).
 */
import type { StraceArg, SyscallDefinition } from '../abi';
import type { SyscallHandler } from '../types';

export type SyscallGroup = Readonly<Record<string, SyscallDefinition>>;

export function syscall(args: string, handler: SyscallHandler, options: { addressResult?: boolean; noReturn?: boolean } = {}): SyscallDefinition {
  return { handler, args: [...args] as StraceArg[], ...options };
}

/** An int argument as C sees it (the low 32 bits, signed). */
export function int(v: number | undefined): number {
  return Number(BigInt.asIntN(32, BigInt(v ?? 0)));
}
