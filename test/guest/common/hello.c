/* The smallest libc program: stdout through stdio, one formatted line, a line on stderr. */
#include <stdio.h>

int main(void) {
  puts("Hello, world!");
  printf("%d %s %c %5.2f %x\n", 42, "str", 'x', 3.14159, 0xbeefu);
  fprintf(stderr, "to stderr\n");
  return 0;
}
