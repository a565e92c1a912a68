/* What the bare-metal test programs share: PL011 output, system register access, PSCI. */
#include <stdint.h>

#define UART_BASE 0x09000000UL
#define UART_DR (*(volatile uint32_t *)(UART_BASE + 0x00))
#define UART_FR (*(volatile uint32_t *)(UART_BASE + 0x18))
#define UART_FR_TXFF (1u << 5)

#define READ_SYSREG(name) ({ uint64_t v_; __asm__ volatile("mrs %0, " #name : "=r"(v_)); v_; })
#define WRITE_SYSREG(name, v) __asm__ volatile("msr " #name ", %0" ::"r"((uint64_t)(v)) : "memory")
/* A 32-bit device register at base + off. */
#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

static inline void putc_(char c) {
  while (UART_FR & UART_FR_TXFF) {
  }
  UART_DR = (uint32_t)(unsigned char)c;
}

static inline void puts_(const char *s) {
  while (*s) putc_(*s++);
}

static inline void puthex(uint64_t v) {
  puts_("0x");
  int started = 0;
  for (int shift = 60; shift >= 0; shift -= 4) {
    unsigned d = (v >> shift) & 15;
    if (d || started || shift == 0) {
      putc_("0123456789abcdef"[d]);
      started = 1;
    }
  }
}

static inline void field(const char *name, uint64_t v) {
  puts_(name);
  puts_("=");
  puthex(v);
  puts_("\n");
}

/* One line naming an exception taken: its vector entry, ESR_EL1 and FAR_EL1. */
static inline void report_exception(uint64_t kind) {
  puts_("exception kind=");
  puthex(kind);
  puts_(" ESR=");
  puthex(READ_SYSREG(esr_el1));
  puts_(" FAR=");
  puthex(READ_SYSREG(far_el1));
  puts_("\n");
}

/* A PSCI call through HVC, the conduit virt's device tree names. */
static inline uint64_t psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3) {
  register uint64_t x0 __asm__("x0") = fn;
  register uint64_t x1 __asm__("x1") = a1;
  register uint64_t x2 __asm__("x2") = a2;
  register uint64_t x3 __asm__("x3") = a3;
  __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
  return x0;
}

#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_MIGRATE_INFO_TYPE 0x84000006UL
#define PSCI_SYSTEM_OFF 0x84000008UL

static inline void __attribute__((noreturn)) system_off(void) {
  psci(PSCI_SYSTEM_OFF, 0, 0, 0);
  for (;;) {
  }
}

/* The frame start.S builds: x0..x30, then ELR and SPSR. */
struct frame {
  uint64_t x[31];
  uint64_t elr;
  uint64_t spsr;
};

/* What every program's on_exception does with an exception it does not expect: name it, with its
   syndrome, fault address and return address, and end the run. */
static inline void __attribute__((noreturn)) unexpected_exception(uint64_t kind, const struct frame *f) {
  field("unexpected exception", kind);
  field("esr", READ_SYSREG(esr_el1));
  field("far", READ_SYSREG(far_el1));
  field("elr", f->elr);
  system_off();
}

/* The GICv2 distributor and CPU interface of -M virt. */
#define GICD 0x08000000UL
#define GICC 0x08010000UL

/* An interrupt program's exception entry: anything but an IRQ (kind 0x11, EL1 with SP_EL1) is
   reported and ends the run; an IRQ is acknowledged and its GICC_IAR value returned. */
static inline uint32_t acknowledge_irq(uint64_t kind, const struct frame *f) {
  if (kind != 0x11) unexpected_exception(kind, f);
  return REG(GICC, 0x0c);
}

/*
 * Sleeps until an interrupt handler has made `flag` (an lvalue) non-zero, leaving IRQs unmasked.
 * They stay masked between the test and the WFI (a pending IRQ ends a WFI even while masked), so
 * an interrupt taken just after the test cannot leave the CPU asleep with nothing more to come.
 */
#define WAIT_FOR_INTERRUPT(flag)                                                      \
  do {                                                                                \
    __asm__ volatile("msr daifset, #2" ::: "memory");                                 \
    while (!(flag)) {                                                                 \
      __asm__ volatile("wfi");                                                        \
      __asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory"); \
    }                                                                                 \
    __asm__ volatile("msr daifclr, #2" ::: "memory");                                 \
  } while (0)
