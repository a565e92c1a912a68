/**
 * The initial process stack, laid out as Linux's execve and create_elf_tables do (without their
 * randomisation, as QEMU): from the top, a null word, the AT_EXECFN string, the environment and
 * argument strings; below them (16-byte aligned) the AT_PLATFORM string and the 16 AT_RANDOM bytes;
 * then, from the 16-byte aligned stack pointer up: argc, argv pointers, NULL, envp pointers, NULL,
 * the auxv pairs and AT_NULL.
 */
import type { GuestMemory } from '../memory/guest-memory';
import { AuxType, type AuxEntry } from './auxv';

export interface StackContents {
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  /** The program name as given to execve (AT_EXECFN). */
  readonly execfn: string;
  /** AT_PLATFORM string. */
  readonly platform: string;
  /** The 16 AT_RANDOM bytes. */
  readonly random: Uint8Array;
}

/** Stack addresses the auxv refers to. */
export interface StackStrings {
  readonly random: number;
  readonly platform: number;
  readonly execfn: number;
}

export interface InitialStack {
  /** The stack pointer at entry (points at argc). */
  readonly sp: number;
  /** The auxv as written (without AT_NULL). */
  readonly auxv: readonly AuxEntry[];
}

/** Rounds down to 16 bytes (addresses go above 2^31, beyond JavaScript's bitwise operators). */
function alignDown16(n: number): number {
  return n - (n % 16);
}

/** Thrown when the strings do not fit; the loader turns it into a LoaderError. */
export class ArgumentListTooLong extends Error {}

/**
 * Writes the initial stack below `top` (the end of the stack mapping) with guest words of
 * `wordSize` bytes. `auxvFor` gives the auxv once the strings' addresses are known. The strings may
 * take at most `stringLimit` bytes (Linux allows a quarter of the stack).
 */
export function writeInitialStack(
  memory: GuestMemory,
  top: number,
  wordSize: 4 | 8,
  contents: StackContents,
  stringLimit: number,
  auxvFor: (strings: StackStrings) => readonly AuxEntry[],
): InitialStack {
  const stringBytes = [...contents.argv, ...contents.envp, contents.execfn].map((s) => Buffer.from(s + '\0', 'utf8'));
  const total = stringBytes.reduce((n, b) => n + b.length, 0);
  if (total > stringLimit) throw new ArgumentListTooLong(`argument list too long (${total} bytes)`);

  let p = top - wordSize;
  memory.u8.fill(0, p, top);
  const pushBytes = (bytes: Uint8Array): number => {
    p -= bytes.length;
    memory.writeBytes(p, bytes);
    return p;
  };
  // Strings: pushed last-first so they lie in order argv, envp, execfn going up.
  const addresses = stringBytes.reverse().map(pushBytes).reverse();
  const argvAddrs = addresses.slice(0, contents.argv.length);
  const envpAddrs = addresses.slice(contents.argv.length, contents.argv.length + contents.envp.length);
  const execfn = addresses[addresses.length - 1]!;

  p = alignDown16(p);
  const platform = pushBytes(Buffer.from(contents.platform + '\0', 'utf8'));
  const random = pushBytes(contents.random);
  const auxv = auxvFor({ random, platform, execfn });

  const words = [
    contents.argv.length,
    ...argvAddrs,
    0,
    ...envpAddrs,
    0,
    ...auxv.flat(),
    AuxType.AT_NULL,
    0,
  ];
  const sp = alignDown16(p - words.length * wordSize);
  words.forEach((w, i) => {
    if (wordSize === 8) memory.write64(sp + i * 8, BigInt(w));
    else memory.write32(sp + i * 4, w);
  });
  return { sp, auxv };
}
