/* Run as -bios firmware: reads QEMU's fw_cfg device at 0x09020000 the ways firmware does. The
   traditional interface (a big-endian 16-bit selector, a data register returning the item's bytes in
   order, in reads of 1 to 8 bytes) and the DMA interface (an FWCfgDmaAccess in RAM whose big-endian
   address is written to the DMA register): the signatures, the ID, the fixed items, the kernel,
   initrd and command line given with -kernel/-initrd/-append, the file directory with each file's
   contents, and DMA's select, skip, read past the end, unknown keys and refused writes. */
#include "virt.h"

#define FW_CFG 0x09020000UL
#define FW_DATA8 (*(volatile uint8_t *)(FW_CFG + 0))
#define FW_DATA16 (*(volatile uint16_t *)(FW_CFG + 0))
#define FW_DATA32 (*(volatile uint32_t *)(FW_CFG + 0))
#define FW_DATA64 (*(volatile uint64_t *)(FW_CFG + 0))
#define FW_SELECTOR (*(volatile uint16_t *)(FW_CFG + 8))
#define FW_DMA64 (*(volatile uint64_t *)(FW_CFG + 16))
#define FW_DMA_HI (*(volatile uint32_t *)(FW_CFG + 16))
#define FW_DMA_LO (*(volatile uint32_t *)(FW_CFG + 20))

#define KEY_SIGNATURE 0x00
#define KEY_ID 0x01
#define KEY_UUID 0x02
#define KEY_RAM_SIZE 0x03
#define KEY_NOGRAPHIC 0x04
#define KEY_NB_CPUS 0x05
#define KEY_KERNEL_ADDR 0x07
#define KEY_KERNEL_SIZE 0x08
#define KEY_INITRD_SIZE 0x0b
#define KEY_BOOT_MENU 0x0e
#define KEY_KERNEL_DATA 0x11
#define KEY_INITRD_DATA 0x12
#define KEY_CMDLINE_SIZE 0x14
#define KEY_CMDLINE_DATA 0x15
#define KEY_FILE_DIR 0x19

#define DMA_ERROR 0x01
#define DMA_READ 0x02
#define DMA_SKIP 0x04
#define DMA_SELECT 0x08
#define DMA_WRITE 0x10

struct dma_access {
  uint32_t control, length;
  uint64_t address;
};

static volatile struct dma_access dma;
static uint8_t buffer[4096];
static struct {
  uint32_t size;
  uint16_t select;
  char name[56];
} files[64];

void on_exception(uint64_t kind, struct frame *f) {
  unexpected_exception(kind, f);
}

static void select_key(uint16_t key) { FW_SELECTOR = __builtin_bswap16(key); }

static uint32_t read_be32(void) { return __builtin_bswap32(FW_DATA32); }

/* Runs one DMA request; `split` writes the address as two 32-bit halves, high first. Returns the
   control word the device left. */
static uint32_t dma_request(uint32_t control, uint32_t length, void *address, int split) {
  dma.control = __builtin_bswap32(control);
  dma.length = __builtin_bswap32(length);
  dma.address = __builtin_bswap64((uint64_t)address);
  __asm__ volatile("dsb sy" ::: "memory");
  uint64_t at = (uint64_t)&dma;
  if (split) {
    FW_DMA_HI = __builtin_bswap32((uint32_t)(at >> 32));
    FW_DMA_LO = __builtin_bswap32((uint32_t)at);
  } else {
    FW_DMA64 = __builtin_bswap64(at);
  }
  __asm__ volatile("dsb sy" ::: "memory");
  return __builtin_bswap32(dma.control);
}

static void hex_bytes(const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    putc_("0123456789abcdef"[p[i] >> 4]);
    putc_("0123456789abcdef"[p[i] & 15]);
  }
}

static uint32_t fnv(uint32_t h, const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

/* The FNV-1a hash of `size` bytes of item `key`, read through the data register 8 bytes at a time. */
static uint32_t hash_by_data(uint16_t key, uint32_t size) {
  select_key(key);
  uint32_t h = 2166136261u;
  for (uint32_t done = 0; done < size; done += 8) {
    uint64_t v = FW_DATA64;
    uint32_t n = size - done < 8 ? size - done : 8;
    h = fnv(h, (const uint8_t *)&v, n);
  }
  return h;
}

/* The same through DMA reads of up to a buffer at a time (an item of up to 512 bytes printed whole, else its first 16). */
static uint32_t hash_by_dma(uint16_t key, uint32_t size) {
  uint32_t h = 2166136261u;
  uint32_t control = DMA_SELECT | DMA_READ | ((uint32_t)key << 16);
  for (uint32_t done = 0; done < size || done == 0; done += sizeof buffer) {
    uint32_t n = size - done < sizeof buffer ? size - done : sizeof buffer;
    /* Alternate chunks give the address as one 64-bit write and as two halves. */
    uint32_t result = dma_request(control, n, buffer, (done / sizeof buffer) & 1);
    if (result) field("  dma control after", result);
    if (done == 0) {
      puts_("  head ");
      hex_bytes(buffer, n < 512 ? n : 16);
      puts_("\n");
    }
    h = fnv(h, buffer, n);
    control = DMA_READ;
    if (n == 0) break;
  }
  return h;
}

static void item_with_size(const char *what, uint16_t size_key, uint16_t data_key) {
  select_key(size_key);
  uint32_t size = FW_DATA32;
  puts_(what);
  field(" size", size);
  field("  hash by data register", hash_by_data(data_key, size));
  field("  hash by dma", hash_by_dma(data_key, size));
}

int main(void) {
  field("dma register", FW_DMA64);
  field("dma register high word", FW_DMA_HI);
  field("dma register low word", FW_DMA_LO);
  field("dma register byte 3", *(volatile uint8_t *)(FW_CFG + 19));

  select_key(KEY_SIGNATURE);
  puts_("signature ");
  for (int i = 0; i < 4; i++) putc_((char)FW_DATA8);
  field(" then", FW_DATA8);
  select_key(KEY_SIGNATURE);
  field("signature as 64 bits", FW_DATA64);
  select_key(KEY_ID);
  field("id", FW_DATA32);
  select_key(KEY_UUID);
  field("uuid", FW_DATA64);
  field("uuid+8", FW_DATA64);
  select_key(KEY_NOGRAPHIC);
  field("nographic", FW_DATA16);
  select_key(KEY_BOOT_MENU);
  field("boot menu", FW_DATA16);
  select_key(KEY_NB_CPUS);
  field("cpus as 64 bits", FW_DATA64);
  select_key(KEY_RAM_SIZE);
  field("ram size", FW_DATA64);
  select_key(KEY_KERNEL_ADDR);
  field("kernel addr", FW_DATA32);
  select_key(0x3fff);
  field("key 0x3fff", FW_DATA32);
  select_key(0x8000);
  field("key 0x8000 (arch local)", FW_DATA32);

  item_with_size("kernel", KEY_KERNEL_SIZE, KEY_KERNEL_DATA);
  item_with_size("initrd", KEY_INITRD_SIZE, KEY_INITRD_DATA);
  select_key(KEY_CMDLINE_SIZE);
  uint32_t cmdline_size = FW_DATA32;
  field("cmdline size", cmdline_size);
  select_key(KEY_CMDLINE_DATA);
  puts_("cmdline \"");
  for (uint32_t i = 0; i + 1 < cmdline_size; i++) putc_((char)FW_DATA8);
  field("\" then", FW_DATA8);

  select_key(KEY_FILE_DIR);
  uint32_t count = read_be32();
  field("files", count);
  uint32_t reserved = 0;
  for (uint32_t i = 0; i < count && i < 64; i++) {
    files[i].size = read_be32();
    uint32_t select_reserved = read_be32();
    files[i].select = (uint16_t)(select_reserved >> 16);
    reserved |= select_reserved & 0xffff;
    for (int c = 0; c < 56; c++) files[i].name[c] = (char)FW_DATA8;
    files[i].name[55] = 0;
  }
  field("reserved fields or-ed", reserved);
  /* Reading a file selects it, so the directory is read whole first. */
  for (uint32_t i = 0; i < count && i < 64; i++) {
    puts_(files[i].name);
    field(" size", files[i].size);
    field("  select", files[i].select);
    field("  hash", hash_by_dma(files[i].select, files[i].size));
  }

  /* DMA's other requests, on the signature item. */
  buffer[0] = buffer[1] = 0xaa;
  field("dma skip 2 then read 2", dma_request(DMA_SELECT | DMA_SKIP | (KEY_SIGNATURE << 16), 2, buffer, 0));
  field("  control", dma_request(DMA_READ, 2, buffer, 1));
  hex_bytes(buffer, 2);
  puts_("\n");
  for (int i = 0; i < 8; i++) buffer[i] = 0xaa;
  field("dma read 8 of the 4-byte signature", dma_request(DMA_SELECT | DMA_READ, 8, buffer, 0));
  hex_bytes(buffer, 8);
  puts_("\n");
  for (int i = 0; i < 8; i++) buffer[i] = 0xaa;
  field("dma read of key 0x3fff", dma_request(DMA_SELECT | DMA_READ | (0x3fffu << 16), 8, buffer, 0));
  hex_bytes(buffer, 8);
  puts_("\n");
  field("dma write to the signature", dma_request(DMA_SELECT | DMA_WRITE, 4, buffer, 0));
  field("dma write to key 0x3fff", dma_request(DMA_SELECT | DMA_WRITE | (0x3fffu << 16), 4, buffer, 0));
  field("dma with no operation", dma_request(DMA_SELECT | (KEY_ID << 16), 4, buffer, 0));
  field("  then data register", FW_DATA32);
  field("dma select, skip 1, then data register", dma_request(DMA_SELECT | DMA_SKIP, 1, buffer, 0));
  field("  data", FW_DATA8);
  puts_("bye\n");
  system_off();
}
