/* A static hello world: C runtime start-up, one write, exit (most of its code runs once). */
#include <stdio.h>

int main(void) {
  puts("hello from the cache test");
  return 0;
}
