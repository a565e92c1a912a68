/*
 * Thumb encodings QEMU makes UNDEFINED where the ARM ARM says UNPREDICTABLE or should-be-zero
 * (found by the differential fuzzer, docs/fuzzing.md): a conditional branch (16-bit T1 or 32-bit
 * T3) inside an IT block, and BX/BLX with bits 2..0 not zero. Each dies by SIGILL; a branch in
 * an IT block whose condition fails is skipped, as any instruction there. Built for Thumb only.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *which = argc > 1 ? argv[1] : "";
  if (!strcmp(which, "b-in-it")) /* cmp r0, r0; it eq; beq.n +0; nop */
    asm volatile("cmp r0, r0\n\t.short 0xbf08, 0xd000, 0xbf00" : : : "cc");
  if (!strcmp(which, "b-in-it-skipped")) /* cmp r0, r0; it ne; bne.n +0; nop */
    asm volatile("cmp r0, r0\n\t.short 0xbf18, 0xd100, 0xbf00" : : : "cc");
  if (!strcmp(which, "bw-in-it")) /* cmp r0, r0; it eq; beq.w +0 */
    asm volatile("cmp r0, r0\n\t.short 0xbf08, 0xf000, 0x8000" : : : "cc");
  if (!strcmp(which, "bx-sbz")) /* bx lr with bit 1 set */
    asm volatile(".short 0x4772");
  printf("%s: no trap\n", which);
  return 0;
}
