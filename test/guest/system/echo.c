/* Interrupt-driven serial input: the PL011 receive interrupt (SPI 1 = INTID 33) through the GIC wakes the CPU from WFI; received bytes are echoed in upper case until 'q'. An entry with error bits (a break) is reported with DR and RSR, and RSR cleared. */
#include "virt.h"

#define UART_INTID 33
#define UART_IMSC (*(volatile uint32_t *)(UART_BASE + 0x38))
#define UART_RSR (*(volatile uint32_t *)(UART_BASE + 0x04))
#define UART_FR_RXFE (1u << 4)

static volatile int done;
static volatile int interrupts;

void on_exception(uint64_t kind, struct frame *f) {
  uint32_t iar = acknowledge_irq(kind, f);
  if ((iar & 0x3ff) == UART_INTID) interrupts++;
  while (!(UART_FR & UART_FR_RXFE)) {
    uint32_t dr = UART_DR;
    if (dr & 0xf00) {
      puts_("[error DR=");
      puthex(dr);
      puts_(" RSR=");
      puthex(UART_RSR);
      puts_("]");
      UART_RSR = 0;
      continue;
    }
    char c = (char)(dr & 0xff);
    if (c == 'q') done = 1;
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    putc_(c);
  }
  REG(GICC, 0x10) = iar;
}

int main(void) {
  puts_("type; q ends\n");
  REG(GICD, 0x000) = 1;
  REG(GICD, 0x104) = 1u << (UART_INTID - 32);          /* GICD_ISENABLER1 */
  *(volatile uint8_t *)(GICD + 0x400 + UART_INTID) = 0x80;
  *(volatile uint8_t *)(GICD + 0x800 + UART_INTID) = 1;  /* target CPU 0 */
  REG(GICC, 0x004) = 0xf0;
  REG(GICC, 0x000) = 1;
  UART_IMSC = 1u << 4;                                   /* receive interrupt */
  WAIT_FOR_INTERRUPT(done);
  puts_("\nreceive interrupts seen: ");
  puts_(interrupts > 0 ? "yes\n" : "no\n");
  system_off();
}
