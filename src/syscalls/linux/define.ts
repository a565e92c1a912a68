/**
 * How topic files declare their syscalls: a handler plus its -strace argument formats written as
 * one letter per argument (d decimal, x pointer, h hex flags, s string, o octal), or as a list
 * mixing those letters with formatters that print a value by name (strace-names.ts).
 */
import type { StraceArg, SyscallDefinition } from '../abi';
import type { SyscallHandler } from '../types';

export type SyscallGroup = Readonly<Record<string, SyscallDefinition>>;

export function syscall(
  args: string | readonly StraceArg[],
  handler: SyscallHandler,
  options: { addressResult?: boolean; noReturn?: boolean } = {},
): SyscallDefinition {
  return { handler, args: typeof args === 'string' ? ([...args] as StraceArg[]) : args, ...options };
}

/** An int argument as C sees it (the low 32 bits, signed). */
export function int(v: number | undefined): number {
  return Number(BigInt.asIntN(32, BigInt(v ?? 0)));
}
