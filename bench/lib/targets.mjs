/**
 * The guest targets the harness benchmarks: for each, the cross compiler and flags that build the
 * kernels, the QEMU user-mode binary and the tsemu binary that run them. Targets run in this
 * order; `defaultTargets` are the ones `npm run bench` runs with no --target.
 */
import path from 'node:path';

/** Same optimisation for every build; no FP contraction so every target rounds like x86-64. */
export const CFLAGS = ['-O2', '-ffp-contract=off'];

export const NATIVE_BUILD = { cc: 'gcc', flags: CFLAGS };

export const TARGETS = {
  aarch64: { cc: 'aarch64-linux-gnu-gcc', flags: [], qemu: 'qemu-aarch64', tsemu: 'tsemu-aarch64' },
  ppc64: { cc: 'powerpc64-linux-gnu-gcc', flags: [], qemu: 'qemu-ppc64', tsemu: 'tsemu-ppc64' },
  ppc64le: { cc: 'powerpc64le-linux-gnu-gcc', flags: [], qemu: 'qemu-ppc64le', tsemu: 'tsemu-ppc64le' },
  arm: { cc: 'arm-linux-gnueabihf-gcc', flags: ['-marm'], qemu: 'qemu-arm', tsemu: 'tsemu-arm' },
  'arm-thumb': { cc: 'arm-linux-gnueabihf-gcc', flags: ['-mthumb'], qemu: 'qemu-arm', tsemu: 'tsemu-arm' },
};

/** Thumb-2 is opt-in (--target arm-thumb or --target all): it repeats the slowest target. */
export const defaultTargets = ['aarch64', 'ppc64', 'ppc64le', 'arm'];

/** Static guest build flags for `name`. */
export function guestFlags(name) {
  return ['-static', ...TARGETS[name].flags, ...CFLAGS];
}

/**
 * The tsemu binary for `name`: bin/<tsemu>, or the TSEMU_<TARGET> environment variable
 * (TSEMU_AARCH64, TSEMU_PPC64LE, TSEMU_ARM_THUMB...), which lets the harness check itself
 * (TSEMU_AARCH64=qemu-aarch64 makes both columns QEMU) or compare another build.
 */
export function tsemuBinary(name, root) {
  const variable = `TSEMU_${name.toUpperCase().replace(/-/g, '_')}`;
  return process.env[variable] || path.join(root, 'bin', TARGETS[name].tsemu);
}
