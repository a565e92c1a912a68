/* PSCI SYSTEM_RESET: the machine restarts the program from its entry point; RAM outside the reloaded image keeps what the first run wrote there, so the second run knows it came after a reset. */
#include "virt.h"

#define MARK (*(volatile uint64_t *)0x47f00000UL)
#define PSCI_SYSTEM_RESET 0x84000009UL

void on_exception(uint64_t kind, struct frame *f) {
  unexpected_exception(kind, f);
}

int main(void) {
  if (MARK == 0x5eb007ed) {
    puts_("second run, after SYSTEM_RESET\n");
    MARK = 0;
    system_off();
  }
  puts_("first run\n");
  MARK = 0x5eb007ed;
  psci(PSCI_SYSTEM_RESET, 0, 0, 0);
  puts_("SYSTEM_RESET returned\n");
  system_off();
}
