/*
 * A32 data-processing encodings with a should-be-zero field set, which the ARM ARM calls
 * UNPREDICTABLE and QEMU decodes as UNDEFINED (found by the differential fuzzer,
 * docs/fuzzing.md): MOV/MVN with Rn != 0 and TST/TEQ/CMP/CMN with Rd != 0, in the immediate,
 * register and register-shifted-register forms; and VST1 of three registers with align<1> set
 * (UNDEFINED in the ARM ARM). Each dies by SIGILL; the clean encoding runs.
 * Built for ARM state.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *which = argc > 1 ? argv[1] : "";
  if (!strcmp(which, "clean")) {
    unsigned r0;
    asm volatile(".word 0xe3b00801\n\tmov %0, r0" : "=r"(r0) : : "r0", "cc"); /* movs r0, #0x10000 */
    printf("movs: %#x\n", r0);
    return 0;
  }
  if (!strcmp(which, "movs-imm-rn")) asm volatile(".word 0xe3b30801" : : : "r0", "cc"); /* movs r0, #0x10000, Rn = r3 */
  if (!strcmp(which, "tst-imm-rd")) asm volatile(".word 0xe3131c01" : : : "cc");        /* tst r3, #0x100, Rd = r1 */
  if (!strcmp(which, "mvn-reg-rn")) asm volatile(".word 0xe1e20001" : : : "r0");        /* mvn r0, r1, Rn = r2 */
  if (!strcmp(which, "cmp-regreg-rd")) asm volatile(".word 0xe1505211" : : : "cc");     /* cmp r0, r1, lsl r2, Rd = r5 */
  if (!strcmp(which, "vst1-align")) asm volatile(".word 0xf4047676" : : : "memory");      /* vst1.16 {d7-d9}, [r4 :128], r6 */
  printf("%s: no trap\n", which);
  return 0;
}
