/**
 * The 32-bit ARM guest builds the tests run: armhf in ARM state and in Thumb state (glibc itself
 * is Thumb-2 in both), and armel (soft-float calling convention). Each build has its own
 * GuestTarget so the shared guest build puts it in its own directory; all of them run under
 * bin/tsemu-arm and qemu-arm (the ARM target below).
 */
import type { GuestTarget } from '../lib/targets';

export const ARM: GuestTarget = {
  name: 'arm',
  cc: 'arm-linux-gnueabihf-gcc',
  ccPackage: 'gcc-arm-linux-gnueabihf',
  cflags: ['-static', '-O2'],
  qemu: 'qemu-arm',
  debArch: 'armhf',
};

export interface ArmBuild {
  /** Shown in test titles. */
  readonly title: string;
  /** Build target: its name is the build directory under test/guest/build/. */
  readonly target: GuestTarget;
}

export const ARM_BUILDS: readonly ArmBuild[] = [
  { title: 'armhf -marm', target: { ...ARM, name: 'arm-armhf-arm', cflags: ['-static', '-O2', '-marm'] } },
  { title: 'armhf -mthumb', target: { ...ARM, name: 'arm-armhf-thumb', cflags: ['-static', '-O2', '-mthumb'] } },
  {
    title: 'armel',
    target: { ...ARM, name: 'arm-armel', cc: 'arm-linux-gnueabi-gcc', ccPackage: 'gcc-arm-linux-gnueabi', debArch: 'armel' },
  },
];
