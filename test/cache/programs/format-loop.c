/* Formats numbers in a loop: libc's printf internals turn hot here (a hello world runs them once). */
#include <stdio.h>

int main(void) {
  unsigned long sum = 0;
  char line[64];
  for (int i = 0; i < 2000; i++) sum += (unsigned long)snprintf(line, sizeof line, "%d:%x:%s", i, i * 7, "x");
  printf("%lu\n", sum);
  return 0;
}
