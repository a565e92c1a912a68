/*
 * How a process ends: exit codes (truncated to 8 bits), abort(), a signal raised at itself, and
 * stdio buffers flushed (or not, with _exit) on the way out.
 * usage: exit_status exit N | _exit N | abort | raise SIGNUM
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *mode = argv[1];
  int n = argc > 2 ? atoi(argv[2]) : 0;
  printf("mode %s %d (buffered)\n", mode, n);
  if (strcmp(mode, "exit") == 0) exit(n);
  if (strcmp(mode, "_exit") == 0) _exit(n); /* the buffered line above is lost */
  fflush(stdout);
  if (strcmp(mode, "abort") == 0) abort();
  if (strcmp(mode, "raise") == 0) raise(n);
  puts("still alive");
  return 3;
}
