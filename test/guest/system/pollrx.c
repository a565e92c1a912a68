/* Serial input by polling: spins on the PL011's FR.RXFE until a byte arrives, prints it, then SYSTEM_OFF. */
#include "virt.h"

#define UART_FR_RXFE (1u << 4)

void on_exception(uint64_t kind, struct frame *f) {
  unexpected_exception(kind, f);
}

int main(void) {
  puts_("poll\n");
  while (UART_FR & UART_FR_RXFE) {
  }
  char c = (char)(UART_DR & 0xff);
  puts_("got ");
  putc_(c);
  puts_("\n");
  system_off();
}
