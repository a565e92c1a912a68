/* Drives virt's two flash banks (QEMU's pflash_cfi01: two x16 parts side by side, 256 KiB blocks)
   with the Intel command set the way firmware does, from RAM: the CFI query table, the IDs, the
   status register at each width, block erase, word program, buffered program, lock commands, clear
   status, an unknown command, each result read back. Bank 1 is the one a -drive if=pflash,unit=1
   image fills (read-only or not); bank 0 has no drive. */
#include "virt.h"

#define BANK0 0x00000000UL
#define BANK1 0x04000000UL
#define SECTOR 0x40000UL

#define W32(a) (*(volatile uint32_t *)(a))
#define W16(a) (*(volatile uint16_t *)(a))
#define W8(a) (*(volatile uint8_t *)(a))

void on_exception(uint64_t kind, struct frame *f) {
  unexpected_exception(kind, f);
}

/* A command to both parts of the bank, as firmware writes them. */
static void cmd(uint64_t at, uint32_t c) { W32(at) = c | (c << 16); }

static void words(const char *what, uint64_t at, int n) {
  puts_(what);
  for (int i = 0; i < n; i++) {
    puts_(" ");
    puthex(W32(at + 4 * i));
  }
  puts_("\n");
}

static void status(const char *what, uint64_t bank) {
  puts_(what);
  puts_(": status ");
  puthex(W32(bank));
  puts_(" ");
  puthex(W16(bank + 2));
  puts_(" ");
  puthex(W8(bank + 1));
  puts_("\n");
}

static void query(uint64_t bank) {
  cmd(bank, 0x98);
  puts_("cfi");
  for (int i = 0; i < 0x54; i++) {
    if (i % 16 == 0) puts_("\n ");
    puts_(" ");
    puthex(W32(bank + 4 * i));
  }
  puts_("\n");
  field("cfi 16-bit at 0x40", W16(bank + 0x40));
  field("cfi 8-bit at 0x41", W8(bank + 0x41));
  field("cfi 16-bit at 0x46", W16(bank + 0x46));
  cmd(bank, 0x55); /* not read-array: still answering queries */
  field("cfi after 0x55, at 0x44", W32(bank + 0x44));
  cmd(bank, 0xff);
  words("read array after the query", bank, 2);

  cmd(bank, 0x90);
  words("ids", bank, 4);
  field("id at 0x400", W32(bank + 0x400));
  field("id 16-bit at 4", W16(bank + 4));
  cmd(bank, 0xff);
}

static void erase(uint64_t at) {
  cmd(at, 0x20);
  cmd(at, 0xd0);
  status("erase", at);
  cmd(at, 0xff);
}

static void program32(uint64_t at, uint32_t v) {
  cmd(at, 0x40);
  W32(at) = v;
  status("program", at);
  cmd(at, 0xff);
}

static void exercise(const char *name, uint64_t bank) {
  puts_("== ");
  puts_(name);
  puts_("\n");
  words("array", bank, 4);
  words("sector 1", bank + SECTOR, 2);
  words("last words", bank + 0x3fffff8, 2);
  query(bank);

  cmd(bank, 0x70);
  status("read status", bank);
  cmd(bank, 0xff);

  erase(bank + SECTOR + 0x1234);
  words("erased sector 1", bank + SECTOR, 2);
  words("sector 1 end and sector 2", bank + 2 * SECTOR - 4, 2);
  words("sector 0 end", bank + SECTOR - 4, 1);

  program32(bank + SECTOR, 0x12345678);
  program32(bank + SECTOR, 0xffff0000); /* QEMU stores the value as written */
  cmd(bank + SECTOR + 0x10, 0x40);
  W16(bank + SECTOR + 0x12) = 0xbeef;
  status("16-bit program", bank);
  cmd(bank, 0xff);
  words("programmed", bank + SECTOR, 6);

  /* Buffered program of 8 words: the count is words - 1, per part. */
  uint64_t buf = bank + SECTOR + 0x1000;
  cmd(buf, 0xe8);
  status("write to buffer", buf);
  cmd(buf, 7);
  for (uint32_t i = 0; i < 8; i++) W32(buf + 4 * i) = 0xa5000000 | (i * 0x010203);
  status("buffer filled", buf);
  cmd(buf, 0xd0);
  status("buffer confirmed", buf);
  cmd(buf, 0xff);
  words("buffer programmed", buf, 9);

  /* A word outside the buffer's block fails the program, and 0xd0 then drops the buffer. */
  cmd(buf, 0xe8);
  cmd(buf, 1);
  W32(buf + 0x10) = 0x11111111;
  W32(buf + 0x1000) = 0x22222222;
  status("buffer with a stray word", buf);
  field("  as 64 bits", *(volatile uint64_t *)buf);
  cmd(buf, 0xd0);
  words("after its confirm", buf + 0x10, 1);
  words("the stray word's place", buf + 0x1000, 1);
  cmd(bank, 0x50);

  cmd(bank, 0x60);
  cmd(bank, 0xd0);
  status("unlock", bank);
  cmd(bank, 0x60);
  cmd(bank, 0x01);
  status("lock", bank);
  cmd(bank, 0x60);
  cmd(bank, 0x33);
  words("after an unknown lock command", bank, 1);

  cmd(bank, 0x50);
  words("after clear status", bank, 1);
  cmd(bank, 0x70);
  status("status after clear", bank);
  cmd(bank, 0x12);
  words("after an unknown command", bank, 1);

  /* Erase and program sector 0 too, so the image's first bytes change. */
  erase(bank);
  program32(bank + 8, 0xcafef00d);
  words("sector 0", bank, 4);
}

int main(void) {
  exercise("bank 1", BANK1);
  exercise("bank 0", BANK0);
  puts_("bye\n");
  system_off();
}
