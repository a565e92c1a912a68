/* Counts in a register forever, without interrupts or device accesses once it has said so: a CPU
   always running guest code, whose registers change at every step until the machine stops. */
#include "virt.h"

void on_exception(uint64_t kind, struct frame *f) {
  unexpected_exception(kind, f);
}

int main(void) {
  puts_("spinning\n");
  uint64_t n = 0;
  for (;;) __asm__ volatile("add %0, %0, #1" : "+r"(n));
}
