/* Prints what libvalue.so's functions return: the same executable runs over either library build. */
#include <stdio.h>

int library_value(void);
int library_once(void);

int main(void) {
  int sum = 0;
  for (int i = 0; i < 40; i++) sum += library_value();
  printf("library value %d, sum %d, once %d\n", library_value(), sum, library_once());
  return 0;
}
