/*
 * A tiny polled virtio-mmio driver: probes the 32 transports of -M virt, and for each device found
 * negotiates features (legacy version 1 or modern version 2, whichever the transport is), sets up
 * queue 0 as a split ring and talks to it. virtio-blk: reads sector 0 and prints its first line,
 * writes sector 2 and reads it back through an indirect descriptor table, flushes, asks for the
 * ID, and makes requests the device must refuse; one completion is taken as an interrupt through
 * the GICv2. virtio-rng: asks for 16 random bytes (only their count is printed). virtio-serial:
 * the multiport control handshake for port 0 (a console), a line written to it, a line read from
 * it and written back, and one emergency-write character.
 */
#include "virt.h"

#define VIRTIO_BASE 0x0a000000UL
#define VIRTIO_STRIDE 0x200
#define VIRTIO_TRANSPORTS 32
#define VIRTIO_FIRST_INTID (32 + 16)
#define REG8(base, off) (*(volatile uint8_t *)((base) + (off)))

enum {
  MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00c,
  DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014, DRIVER_FEATURES = 0x020,
  DRIVER_FEATURES_SEL = 0x024, GUEST_PAGE_SIZE = 0x028, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034,
  QUEUE_NUM = 0x038, QUEUE_ALIGN = 0x03c, QUEUE_PFN = 0x040, QUEUE_READY = 0x044,
  QUEUE_NOTIFY = 0x050, INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070,
  QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084, QUEUE_DRIVER_LOW = 0x090,
  QUEUE_DRIVER_HIGH = 0x094, QUEUE_DEVICE_LOW = 0x0a0, QUEUE_DEVICE_HIGH = 0x0a4,
  CONFIG_GENERATION = 0x0fc, CONFIG = 0x100,
};

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8

#define F_INDIRECT_DESC (1ULL << 28)
#define F_EVENT_IDX (1ULL << 29)
#define F_VERSION_1 (1ULL << 32)
#define BLK_F_SEG_MAX (1ULL << 2)
#define BLK_F_BLK_SIZE (1ULL << 6)
#define BLK_F_FLUSH (1ULL << 9)

#define D_NEXT 1
#define D_WRITE 2
#define D_INDIRECT 4

#define QSIZE 8

struct desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};

struct queue {
  uintptr_t transport;
  uint32_t index;
  struct desc *desc;
  volatile uint16_t *avail; /* flags, idx, ring[QSIZE], used_event */
  volatile uint16_t *used;  /* flags, idx, then {u32 id, u32 len}[QSIZE], avail_event */
  uint16_t last_used;
  int event_idx;
};

/* Each queue's rings: descriptors and available ring in the first page, the used ring in the next (legacy alignment 4096). */
static uint8_t rings[6][8192] __attribute__((aligned(4096)));
static struct desc indirect_table[4] __attribute__((aligned(16)));
static uint8_t sector[512] __attribute__((aligned(16)));
static uint8_t status_byte;
static uint8_t id_buf[20];
static uint8_t random_bytes[16];
static struct {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
} header;

static volatile int irq_taken;
static uintptr_t irq_transport;

static void barrier(void) { __asm__ volatile("dmb sy" ::: "memory"); }

void on_exception(uint64_t kind, struct frame *f) {
  uint32_t iar = acknowledge_irq(kind, f);
  field("  irq", iar & 0x3ff);
  uint32_t isr = REG(irq_transport, INTERRUPT_STATUS);
  field("  InterruptStatus", isr);
  REG(irq_transport, INTERRUPT_ACK) = isr;
  field("  InterruptStatus after ack", REG(irq_transport, INTERRUPT_STATUS));
  REG(GICC, 0x10) = iar;
  irq_taken = 1;
}

static uint64_t device_features(uintptr_t t) {
  REG(t, DEVICE_FEATURES_SEL) = 1;
  uint64_t high = REG(t, DEVICE_FEATURES);
  REG(t, DEVICE_FEATURES_SEL) = 0;
  return (high << 32) | REG(t, DEVICE_FEATURES);
}

/* Reset, ACKNOWLEDGE and DRIVER, features negotiated (FEATURES_OK on a modern transport); returns the accepted set. */
static uint64_t negotiate(uintptr_t t, uint32_t version, uint64_t wanted) {
  REG(t, STATUS) = 0;
  field("  Status after reset", REG(t, STATUS));
  REG(t, STATUS) = S_ACKNOWLEDGE;
  REG(t, STATUS) = S_ACKNOWLEDGE | S_DRIVER;
  uint64_t offered = device_features(t);
  field("  DeviceFeatures", offered);
  if (version == 2) wanted |= F_VERSION_1;
  uint64_t accepted = offered & wanted;
  REG(t, DRIVER_FEATURES_SEL) = 0;
  REG(t, DRIVER_FEATURES) = (uint32_t)accepted;
  REG(t, DRIVER_FEATURES_SEL) = 1;
  REG(t, DRIVER_FEATURES) = (uint32_t)(accepted >> 32);
  field("  accepted", accepted);
  if (version == 2) {
    REG(t, STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
    field("  Status after FEATURES_OK", REG(t, STATUS));
    field("  ConfigGeneration", REG(t, CONFIG_GENERATION));
  }
  return accepted;
}

static void setup_queue(struct queue *q, uintptr_t t, uint32_t version, uint8_t *mem, int event_idx, uint32_t index) {
  for (int i = 0; i < 8192; i++) mem[i] = 0;
  q->transport = t;
  q->index = index;
  q->desc = (struct desc *)mem;
  q->avail = (volatile uint16_t *)(mem + 16 * QSIZE);
  q->used = (volatile uint16_t *)(mem + 4096);
  q->last_used = 0;
  q->event_idx = event_idx;
  REG(t, QUEUE_SEL) = index;
  field("  QueueNumMax", REG(t, QUEUE_NUM_MAX));
  REG(t, QUEUE_NUM) = QSIZE;
  if (version == 1) {
    field("  QueuePFN before", REG(t, QUEUE_PFN));
    REG(t, QUEUE_ALIGN) = 4096;
    REG(t, QUEUE_PFN) = (uintptr_t)mem >> 12;
    field("  QueuePFN", REG(t, QUEUE_PFN));
  } else {
    field("  QueueReady before", REG(t, QUEUE_READY));
    REG(t, QUEUE_DESC_LOW) = (uintptr_t)q->desc;
    REG(t, QUEUE_DESC_HIGH) = 0;
    REG(t, QUEUE_DRIVER_LOW) = (uintptr_t)q->avail;
    REG(t, QUEUE_DRIVER_HIGH) = 0;
    REG(t, QUEUE_DEVICE_LOW) = (uintptr_t)q->used;
    REG(t, QUEUE_DEVICE_HIGH) = 0;
    REG(t, QUEUE_READY) = 1;
    field("  QueueReady", REG(t, QUEUE_READY));
  }
}

static void driver_ok(uintptr_t t, uint32_t version) {
  uint32_t status = S_ACKNOWLEDGE | S_DRIVER | S_DRIVER_OK | (version == 2 ? S_FEATURES_OK : 0);
  REG(t, STATUS) = status;
  field("  Status", REG(t, STATUS));
}

/* Makes descriptor chain 0..n-1 available, notifies, waits for the used entry (polling, or by interrupt); returns its length. */
static uint32_t submit(struct queue *q, int n, int by_interrupt) {
  volatile uint16_t *avail = q->avail;
  uint16_t idx = avail[1];
  avail[2 + idx % QSIZE] = 0;
  /* used_event: interrupt when the device has used this request. */
  if (q->event_idx) avail[2 + QSIZE] = idx;
  barrier();
  avail[1] = idx + 1;
  barrier();
  (void)n;
  if (by_interrupt) {
    irq_taken = 0;
    irq_transport = q->transport;
    REG(q->transport, QUEUE_NOTIFY) = q->index;
    while (!irq_taken) {
      __asm__ volatile("wfi");
      __asm__ volatile("msr daifclr, #2\n isb\n msr daifset, #2" ::: "memory");
    }
  } else {
    REG(q->transport, QUEUE_NOTIFY) = q->index;
    while (q->used[1] == q->last_used) barrier();
  }
  barrier();
  volatile uint32_t *elem = (volatile uint32_t *)(q->used + 2) + 2 * (q->last_used % QSIZE);
  q->last_used++;
  field("  used.idx", q->used[1]);
  field("  used.id", elem[0]);
  if (q->event_idx) field("  avail_event", q->used[2 + 4 * QSIZE]);
  if (!by_interrupt) REG(q->transport, INTERRUPT_ACK) = REG(q->transport, INTERRUPT_STATUS);
  return elem[1];
}

static void set_desc(struct desc *d, int i, void *addr, uint32_t len, uint16_t flags, int last) {
  d[i].addr = (uintptr_t)addr;
  d[i].len = len;
  d[i].flags = flags | (last ? 0 : D_NEXT);
  d[i].next = last ? 0 : i + 1;
}

/* A block request: header, optional data, status byte; through the indirect table when asked. */
static void blk_request(struct queue *q, uint32_t type, uint64_t lba, void *data, uint32_t len, int device_writes,
                        int indirect, int by_interrupt) {
  header.type = type;
  header.reserved = 0;
  header.sector = lba;
  status_byte = 0xff;
  struct desc *d = indirect ? indirect_table : q->desc;
  int n = 0;
  set_desc(d, n++, &header, sizeof header, 0, 0);
  if (len) set_desc(d, n++, data, len, device_writes ? D_WRITE : 0, 0);
  set_desc(d, n++, &status_byte, 1, D_WRITE, 1);
  if (indirect) set_desc(q->desc, 0, indirect_table, n * sizeof(struct desc), D_INDIRECT, 1);
  barrier();
  field("  used.len", submit(q, indirect ? 1 : n, by_interrupt));
  field("  status", status_byte);
}

static void print_line(const uint8_t *p, int max) {
  puts_("  \"");
  for (int i = 0; i < max && p[i] != '\n' && p[i] != 0; i++) putc_((char)p[i]);
  puts_("\"\n");
}

static uint32_t checksum(const uint8_t *p, int len) {
  uint32_t sum = 0;
  for (int i = 0; i < len; i++) sum = sum * 31 + p[i];
  return sum;
}

static void enable_interrupt(uint32_t intid) {
  REG(GICD, 0x000) = 1;
  REG(GICD, 0x100 + 4 * (intid / 32)) = 1u << (intid % 32);
  REG8(GICD, 0x400 + intid) = 0x80;
  REG8(GICD, 0x800 + intid) = 1;
  REG(GICC, 0x004) = 0xf0;
  REG(GICC, 0x000) = 1;
}

static void blk(uintptr_t t, uint32_t version, uint32_t intid) {
  uint64_t accepted =
      negotiate(t, version, F_INDIRECT_DESC | F_EVENT_IDX | BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH);
  uint64_t capacity = REG(t, CONFIG) | ((uint64_t)REG(t, CONFIG + 4) << 32);
  field("  capacity", capacity);
  field("  seg_max", REG(t, CONFIG + 12));
  field("  blk_size", REG(t, CONFIG + 20));
  field("  writeback", REG8(t, CONFIG + 32));
  field("  num_queues", *(volatile uint16_t *)(t + CONFIG + 34));
  puts_("  config words:");
  for (int off = 0; off < 60; off += 4) {
    putc_(' ');
    puthex(REG(t, CONFIG + off));
  }
  putc_('\n');
  struct queue q;
  setup_queue(&q, t, version, rings[0], (accepted & F_EVENT_IDX) != 0, 0);
  driver_ok(t, version);

  puts_(" read sector 0\n");
  blk_request(&q, 0, 0, sector, 512, 1, 0, 0);
  print_line(sector, 80);
  puts_(" write sector 2\n");
  for (int i = 0; i < 512; i++) sector[i] = (uint8_t)(i * 7 + 3);
  blk_request(&q, 1, 2, sector, 512, 0, 0, 0);
  for (int i = 0; i < 512; i++) sector[i] = 0;
  puts_(" read sector 2 through an indirect table, by interrupt\n");
  enable_interrupt(intid);
  blk_request(&q, 0, 2, sector, 512, 1, (accepted & F_INDIRECT_DESC) != 0, 1);
  field("  checksum", checksum(sector, 512));
  field("  sector[511]", sector[511]);
  puts_(" read sector 3\n");
  blk_request(&q, 0, 3, sector, 512, 1, 0, 0);
  print_line(sector, 80);
  puts_(" flush\n");
  blk_request(&q, 4, 0, 0, 0, 0, 0, 0);
  puts_(" get id\n");
  for (int i = 0; i < 20; i++) id_buf[i] = 0;
  blk_request(&q, 8, 0, id_buf, 20, 1, 0, 0);
  print_line(id_buf, 20);
  puts_(" read past the end\n");
  blk_request(&q, 0, capacity, sector, 512, 1, 0, 0);
  puts_(" unsupported request type\n");
  blk_request(&q, 0x99, 0, sector, 512, 1, 0, 0);
}

static void rng(uintptr_t t, uint32_t version) {
  uint64_t accepted = negotiate(t, version, F_INDIRECT_DESC | F_EVENT_IDX);
  struct queue q;
  setup_queue(&q, t, version, rings[1], (accepted & F_EVENT_IDX) != 0, 0);
  driver_ok(t, version);
  set_desc(q.desc, 0, random_bytes, sizeof random_bytes, D_WRITE, 1);
  barrier();
  field("  used.len", submit(&q, 1, 0));
}

#define CONSOLE_F_MULTIPORT (1ULL << 1)
#define CONSOLE_F_EMERG_WRITE (1ULL << 2)
#define CTRL_BUFFERS 4
static uint8_t control_in[CTRL_BUFFERS][64];
static struct {
  uint32_t id;
  uint16_t event;
  uint16_t value;
} control_out;
static const char console_line[] = "hello from virtio-console\n";
static uint8_t console_in[64];

/* Makes descriptor `head` available without waiting for it. */
static void make_available(struct queue *q, uint16_t head) {
  volatile uint16_t *avail = q->avail;
  uint16_t idx = avail[1];
  avail[2 + idx % QSIZE] = head;
  if (q->event_idx) avail[2 + QSIZE] = q->last_used;
  barrier();
  avail[1] = idx + 1;
  barrier();
  REG(q->transport, QUEUE_NOTIFY) = q->index;
}

/* Waits for the next used entry; returns its descriptor and length. */
static uint32_t next_used(struct queue *q, uint32_t *len) {
  while (q->used[1] == q->last_used) barrier();
  barrier();
  volatile uint32_t *elem = (volatile uint32_t *)(q->used + 2) + 2 * (q->last_used % QSIZE);
  q->last_used++;
  *len = elem[1];
  return elem[0];
}

static void control_send(struct queue *ctx, uint32_t id, uint16_t event, uint16_t value) {
  control_out.id = id;
  control_out.event = event;
  control_out.value = value;
  set_desc(ctx->desc, 0, &control_out, sizeof control_out, 0, 1);
  make_available(ctx, 0);
  uint32_t len;
  next_used(ctx, &len);
}

/* Prints control messages from the device until one with event `until`; each buffer goes back. */
static void control_receive(struct queue *crx, uint16_t until) {
  for (;;) {
    uint32_t len;
    uint32_t d = next_used(crx, &len);
    uint8_t *m = control_in[d];
    uint16_t event = m[4] | (m[5] << 8);
    puts_("  control");
    field(" len", len);
    field("   id", m[0] | (m[1] << 8));
    field("   event", event);
    field("   value", m[6] | (m[7] << 8));
    make_available(crx, (uint16_t)d);
    if (event == until) return;
  }
}

static void console(uintptr_t t, uint32_t version) {
  uint64_t accepted = negotiate(t, version, F_EVENT_IDX | CONSOLE_F_MULTIPORT | CONSOLE_F_EMERG_WRITE);
  field("  cols", *(volatile uint16_t *)(t + CONFIG));
  field("  rows", *(volatile uint16_t *)(t + CONFIG + 2));
  field("  max_nr_ports", REG(t, CONFIG + 4));
  int event_idx = (accepted & F_EVENT_IDX) != 0;
  struct queue rx, tx, crx, ctx;
  setup_queue(&rx, t, version, rings[2], event_idx, 0);
  setup_queue(&tx, t, version, rings[3], event_idx, 1);
  setup_queue(&crx, t, version, rings[4], event_idx, 2);
  setup_queue(&ctx, t, version, rings[5], event_idx, 3);
  driver_ok(t, version);
  for (int i = 0; i < CTRL_BUFFERS; i++) {
    set_desc(crx.desc, i, control_in[i], sizeof control_in[i], D_WRITE, 1);
    make_available(&crx, (uint16_t)i);
  }
  puts_(" DEVICE_READY\n");
  control_send(&ctx, 0, 0, 1);
  control_receive(&crx, 1);
  puts_(" PORT_READY\n");
  control_send(&ctx, 0, 3, 1);
  control_receive(&crx, 6);
  puts_(" PORT_OPEN\n");
  control_send(&ctx, 0, 6, 1);
  puts_(" write a line to port 0\n");
  set_desc(tx.desc, 0, (void *)console_line, sizeof console_line - 1, 0, 1);
  make_available(&tx, 0);
  uint32_t len;
  field("  used.id", next_used(&tx, &len));
  field("  used.len", len);
  puts_(" read a line from port 0\n");
  set_desc(rx.desc, 0, console_in, sizeof console_in, D_WRITE, 1);
  make_available(&rx, 0);
  field("  used.id", next_used(&rx, &len));
  field("  used.len", len);
  print_line(console_in, (int)len);
  puts_(" write it back\n");
  set_desc(tx.desc, 0, console_in, len, 0, 1);
  make_available(&tx, 0);
  field("  used.id", next_used(&tx, &len));
  puts_(" emergency write\n");
  REG(t, CONFIG + 8) = '!';
}

int main(void) {
  int empty = 0;
  for (int i = 0; i < VIRTIO_TRANSPORTS; i++) {
    uintptr_t t = VIRTIO_BASE + (uintptr_t)i * VIRTIO_STRIDE;
    uint32_t id = REG(t, DEVICE_ID);
    if (REG(t, MAGIC) != 0x74726976) {
      field("bad magic at transport", i);
      continue;
    }
    if (id == 0) {
      empty++;
      continue;
    }
    uint32_t version = REG(t, VERSION);
    field("transport", i);
    field(" Version", version);
    field(" DeviceID", id);
    field(" VendorID", REG(t, VENDOR_ID));
    /* As Linux does: the legacy page size once, at probe; the driver's resets must keep it. */
    if (version == 1) REG(t, GUEST_PAGE_SIZE) = 4096;
    if (id == 2) blk(t, version, VIRTIO_FIRST_INTID + i);
    else if (id == 4) rng(t, version);
    else if (id == 3) console(t, version);
  }
  field("empty transports", empty);
  field("version of an empty transport", REG(VIRTIO_BASE, VERSION));
#ifdef WAIT_FOR_Q
  /* WFI until the UART's receive interrupt is pending (IRQs stay masked: nothing is taken). */
  puts_("q ends\n");
  enable_interrupt(33);
  REG(UART_BASE, 0x38) = 1u << 4; /* UARTIMSC: receive */
  for (;;) {
    while (UART_FR & (1u << 4)) __asm__ volatile("wfi"); /* FR.RXFE: nothing received */
    char c = (char)(UART_DR & 0xff);
    putc_(c); /* echoed, so that each key typed has an answer */
    if (c == 'q') break;
  }
#endif
  system_off();
}
