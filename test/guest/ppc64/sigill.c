/*
 * PowerPC64: an illegal instruction (word 0x00000000: primary opcode 0 is unallocated, the kernel
 * delivers SIGILL) and a trap (tw 31,0,0, what __builtin_trap emits: SIGTRAP).
 * usage: sigill ill | trap
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *what = argc > 1 ? argv[1] : "ill";
  printf("before %s\n", what);
  fflush(stdout);
  if (strcmp(what, "trap") == 0) __asm__ volatile("tw 31,0,0");
  else __asm__ volatile(".long 0");
  puts("not reached");
  return 0;
}
