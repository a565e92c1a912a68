/**
 * Per-target facts the end-to-end tests and the guest build share: which cross compiler builds
 * guest programs, which QEMU binary is the oracle, which tsemu binary is under test, and the
 * Debian architecture name used to fetch real binaries.
 */
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface GuestTarget {
  /** tsemu's name for the target (bin/tsemu-<name>, test/guest/<name>/). */
  readonly name: string;
  /** Debian cross compiler driver. */
  readonly cc: string;
  /** Debian package that provides `cc` (named in the error when it is missing). */
  readonly ccPackage: string;
  /** Flags every guest program of this target is built with. */
  readonly cflags: readonly string[];
  /** QEMU user-mode binary used as the oracle. */
  readonly qemu: string;
  /** Debian architecture name (for scripts/fetch-deb.sh). */
  readonly debArch: string;
}

export const AARCH64: GuestTarget = {
  name: 'aarch64',
  cc: 'aarch64-linux-gnu-gcc',
  ccPackage: 'gcc-aarch64-linux-gnu',
  cflags: ['-static', '-O2'],
  qemu: 'qemu-aarch64',
  debArch: 'arm64',
};

/**
 * The tsemu launcher under test: bin/tsemu-<target>, unless TSEMU_<TARGET> names another binary
 * (for example `TSEMU_AARCH64=qemu-aarch64` to check the test harness against the oracle itself).
 */
export function tsemuBinary(target: GuestTarget): string {
  const override = process.env[`TSEMU_${target.name.toUpperCase()}`];
  return override && override.length > 0 ? override : path.join(REPO_ROOT, 'bin', `tsemu-${target.name}`);
}

/** Directory the guest programs of `target` are built into. */
export function guestBuildDir(target: GuestTarget): string {
  return path.join(REPO_ROOT, 'test', 'guest', 'build', target.name);
}

/** Path of one built guest program. */
export function guestProgram(target: GuestTarget, name: string): string {
  return path.join(guestBuildDir(target), name);
}
