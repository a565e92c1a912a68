/* Guest RAM backed by a file (memory-backend-file): prints the word the test put in the file 16 MiB into RAM, writes another word after it, then powers off. */
#include "virt.h"

#define MARK ((volatile uint64_t *)(0x40000000UL + 0x1000000UL))

void on_exception(uint64_t kind, struct frame *f) {
  unexpected_exception(kind, f);
}

int main(void) {
  field("word from the file", MARK[0]);
  MARK[1] = 0x5453454d55524f4dULL;
  MARK[2] = ~MARK[0];
  puts_("written\n");
  system_off();
}
