/* Start-up cost: the smallest complete program (C runtime start, one write, exit). */
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
