/* Guest program for the gdb tests: built with -g -O0 so gdb sees locals and lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile int counter = 0;

static int square(int v) {
  int sq = v * v;
  return sq;
}

int main(int argc, char **argv) {
  /* "spin": loop on a syscall until killed (for Ctrl-C). */
  if (argc > 1 && strcmp(argv[1], "spin") == 0) {
    for (;;) getppid();
  }
  /* "busy": loop in registers and memory without syscalls (for Ctrl-C in compiled code). */
  if (argc > 1 && strcmp(argv[1], "busy") == 0) {
    for (;;) counter++;
  }
  /* "crash": a store to address 0 (SIGSEGV). */
  if (argc > 1 && strcmp(argv[1], "crash") == 0) {
    *(volatile int *)0 = 1;
  }
  int total = 0;
  for (int i = 0; i < 5; i++) {
    total += square(i);
    counter++;
  }
  printf("total=%d counter=%d\n", total, counter);
  return total == 30 ? 7 : 1;
}
