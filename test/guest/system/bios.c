/* Run as -bios firmware: from the first flash bank at 0x0, at the highest exception level, with the
   device tree at the base of RAM (what QEMU gives firmware it boots). Prints where it runs, the
   exception level, the device tree's magic and root `compatible`, then SYSTEM_OFF. */
#include "virt.h"

#define RAM_BASE 0x40000000UL
#define FDT_BEGIN_NODE 1
#define FDT_PROP 3

void on_exception(uint64_t kind, struct frame *f) {
  unexpected_exception(kind, f);
}

static uint32_t be32(uint64_t at) { return __builtin_bswap32(*(volatile uint32_t *)at); }

static int same(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

/* The root node's `compatible` (its first string), or 0: the properties before the first child. */
static const char *root_compatible(void) {
  uint64_t structs = RAM_BASE + be32(RAM_BASE + 8), strings = RAM_BASE + be32(RAM_BASE + 12);
  if (be32(structs) != FDT_BEGIN_NODE) return 0;
  uint64_t p = structs + 8; /* the token and the root's empty name, padded */
  while (be32(p) == FDT_PROP) {
    uint32_t len = be32(p + 4), name = be32(p + 8);
    if (same((const char *)(strings + name), "compatible")) return (const char *)(p + 12);
    p += 12 + ((len + 3) & ~3u);
  }
  return 0;
}

int main(uint64_t x0) {
  uint64_t pc;
  __asm__ volatile("adr %0, ." : "=r"(pc));
  puts_("Hello from the flash\n");
  field("x0 at entry", x0);
  puts_(pc < 0x4000000 ? "running in the first flash bank\n" : "not running from flash\n");
  field("main", (uint64_t)&main);
  field("CurrentEL", READ_SYSREG(CurrentEL));
  field("SCTLR_EL1", READ_SYSREG(sctlr_el1));
  field("DTB magic at RAM base", be32(RAM_BASE));
  const char *compatible = root_compatible();
  puts_("root compatible: ");
  puts_(compatible ? compatible : "(none)");
  puts_("\nbye\n");
  system_off();
}
