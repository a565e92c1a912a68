/**
 * The ARM kernel user helpers page at 0xffff0000 (Linux Documentation/arm/kernel_user_helpers.rst):
 * small routines at fixed addresses that old binaries (armel glibc among them) call for TLS,
 * atomic compare-and-exchange and barriers. Like the kernel, tsemu maps real ARM code there; it is
 * translated like any other guest code. The routines are written with LDREX/STREX, so they are
 * atomic with respect to other guest threads.
 */
import type { AddressSpace } from '../memory/address-space';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory/linux-mm';

export const KUSER_PAGE = 0xffff0000;
const PAGE = 0x1000;

/** [offset in page, A32 words], assembled from the helpers as Linux documents them. */
const HELPERS: readonly (readonly [number, readonly number[]])[] = [
  // __kuser_cmpxchg64 (r0 = &oldval, r1 = &newval, r2 = ptr): r0 = 0 and C set if stored.
  [
    0xf60,
    [
      0xe92d00f0, // push {r4, r5, r6, r7}
      0xe1c040d0, // ldrd r4, r5, [r0]
      0xe1c160d0, // ldrd r6, r7, [r1]
      0xe1b20f9f, // 1: ldrexd r0, r1, [r2]
      0xe0303004, // eors r3, r0, r4
      0x00313005, // eorseq r3, r1, r5
      0x01a23f96, // strexdeq r3, r6, r7, [r2]
      0x03330001, // teqeq r3, #1
      0x0afffff9, // beq 1b
      0xe8bd00f0, // pop {r4, r5, r6, r7}
      0xe2730000, // rsbs r0, r3, #0
      0xe12fff1e, // bx lr
    ],
  ],
  // __kuser_memory_barrier.
  [0xfa0, [0xf57ff05b /* dmb ish */, 0xe12fff1e /* bx lr */]],
  // __kuser_cmpxchg (r0 = oldval, r1 = newval, r2 = ptr): r0 = 0 and C set if stored.
  [
    0xfc0,
    [
      0xe1923f9f, // 1: ldrex r3, [r2]
      0xe0533000, // subs r3, r3, r0
      0x01823f91, // strexeq r3, r1, [r2]
      0x03330001, // teqeq r3, #1
      0x0afffffa, // beq 1b
      0xe2730000, // rsbs r0, r3, #0
      0xe12fff1e, // bx lr
    ],
  ],
  // __kuser_get_tls: r0 = TPIDRURO.
  [0xfe0, [0xee1d0f70 /* mrc p15, 0, r0, c13, c0, 3 */, 0xe12fff1e /* bx lr */]],
  // __kuser_helper_version: the number of 32-byte helper slots (five, from 0xf60).
  [0xffc, [5]],
];

/** Maps the helpers page (read and execute only, as the kernel's vectors page is to user space). */
export function mapKuserHelpers(space: AddressSpace): void {
  const at = space.mmap(KUSER_PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (at !== KUSER_PAGE) throw new Error(`cannot map the ARM kuser helpers page: ${at}`);
  for (const [offset, words] of HELPERS) {
    words.forEach((w, i) => space.memory.write32(KUSER_PAGE + offset + i * 4, w));
  }
  space.mprotect(KUSER_PAGE, PAGE, PROT_READ | PROT_EXEC);
  space.nameRegion(KUSER_PAGE, PAGE, '[vectors]');
}
