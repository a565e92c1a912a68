/*
 * Preloaded into tsemu's Node by the launcher (LD_PRELOAD, native/launcher/launcher.c): has the
 * kernel fill each page of V8's heap whole when V8 makes it writable, instead of one 4 KiB page
 * fault at a time as V8 then writes it.
 *
 * V8 keeps its heap in pages of 256 KiB (its kRegularPageSize), mapped read-write or reserved and
 * then made read-write with mprotect, and writes nearly all of each soon after (objects
 * deserialised from the start-up snapshot, the young generation it allocates into). On the
 * virtual machines tsemu is measured on a page fault costs 15 to 20 us, and a start takes about
 * 4000 of them in these pages; MADV_POPULATE_WRITE (Linux 5.14) fills a range in one call at about
 * 1 us per 4 KiB page (docs/performance.md, "Start-up: V8's heap pages filled whole").
 *
 * Only fresh pages are filled: a range whose first page is already in memory (a page a forked
 * process shares with its parent, where filling would copy all of it) is left to fault as before.
 * Anything else, and every failure (an older kernel's EINVAL), changes nothing: the calls do what
 * they always did.
 */
#define _GNU_SOURCE
/* Both mmap and mmap64 are defined here: neither may be the other under another name. */
#undef _FILE_OFFSET_BITS
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define V8_PAGE_SIZE (256 * 1024)

static int is_v8_page(size_t length, int prot) {
  return length == V8_PAGE_SIZE && prot == (PROT_READ | PROT_WRITE);
}

/* Whether the range's first page is not in memory yet. */
static int fresh(void *addr) {
  unsigned char resident = 0;
  return syscall(SYS_mincore, addr, (size_t)4096, &resident) == 0 && !(resident & 1);
}

static void fill(void *addr, size_t length) {
  if (fresh(addr)) syscall(SYS_madvise, addr, length, MADV_POPULATE_WRITE);
}

static void *map(void *addr, size_t length, int prot, int flags, int fd, off64_t offset) {
  void *mapped = (void *)syscall(SYS_mmap, addr, length, prot, flags, fd, offset);
  int private_anonymous = (flags & MAP_ANONYMOUS) && !(flags & MAP_SHARED);
  if (mapped != MAP_FAILED && private_anonymous && is_v8_page(length, prot)) fill(mapped, length);
  return mapped;
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset) {
  return map(addr, length, prot, flags, fd, offset);
}

void *mmap64(void *addr, size_t length, int prot, int flags, int fd, off64_t offset) {
  return map(addr, length, prot, flags, fd, offset);
}

int mprotect(void *addr, size_t length, int prot) {
  int result = (int)syscall(SYS_mprotect, addr, length, prot);
  if (result == 0 && is_v8_page(length, prot)) fill(addr, length);
  return result;
}
