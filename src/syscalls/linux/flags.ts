/**
 * Flag and command values between two ABIs, matched by name: a set bit named in the source table
 * becomes the destination's bit of the same name. Bits with no name are reported, so each caller
 * follows Linux for them (open ignores unknown flags; most calls answer -EINVAL).
 */
import type { KernelAbi } from '../abi';

/** `value` translated bit by bit; `unknown` holds the source bits no name covers. */
export function translateFlags<N extends string>(
  value: number,
  from: { readonly [K in N]: number },
  to: { readonly [K in N]: number },
): { value: number; unknown: number } {
  let out = 0;
  let known = 0;
  for (const name of Object.keys(from) as N[]) {
    const bit = from[name];
    known |= bit;
    if ((value & bit) === bit && bit !== 0) out |= to[name];
  }
  return { value: out >>> 0, unknown: (value & ~known) >>> 0 };
}

/** A command value translated by name, or undefined when `from` does not name it. */
export function translateValue<N extends string>(value: number, from: { readonly [K in N]: number }, to: { readonly [K in N]: number }): number | undefined {
  for (const name of Object.keys(from) as N[]) if (from[name] === value) return to[name];
  return undefined;
}

/** Guest flags built from open flags (pipe2, dup3, eventfd2, epoll_create1) -> host, or undefined when a bit has no name (Linux: -EINVAL). */
export function strictOpenFlagsToHost(guest: KernelAbi, host: KernelAbi, flags: number): number | undefined {
  const t = translateFlags(flags, guest.openFlags, host.openFlags);
  return t.unknown === 0 ? t.value : undefined;
}

/** Guest open flags -> host (unknown bits dropped: Linux's open ignores them too). */
export function openFlagsToHost(guest: KernelAbi, host: KernelAbi, flags: number): number {
  return translateFlags(flags, guest.openFlags, host.openFlags).value;
}

/** Host open flags (F_GETFL) -> guest. */
export function openFlagsFromHost(guest: KernelAbi, host: KernelAbi, flags: number): number {
  return translateFlags(flags, host.openFlags, guest.openFlags).value;
}
