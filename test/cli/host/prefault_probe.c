/*
 * Host program for test/cli/prefault.test.ts: makes ranges read-write the ways V8 makes its heap
 * pages and prints how many of their 4 KiB pages are in memory at once (mincore), before anything
 * writes them. Run with and without tsemu's prefault library preloaded.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static int resident(void *addr, size_t length) {
  unsigned char pages[256];
  if (mincore(addr, length, pages) != 0) return -1;
  int count = 0;
  for (size_t i = 0; i < length / 4096; i++) count += pages[i] & 1;
  return count;
}

static void report(const char *what, void *addr, size_t length) { printf("%s: %d\n", what, resident(addr, length)); }

int main(void) {
  size_t page = 256 * 1024;
  void *mapped = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  report("mmap read-write 256 KiB", mapped, page);
  void *reserved = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  mprotect(reserved, page, PROT_READ | PROT_WRITE);
  report("mprotect read-write 256 KiB", reserved, page);
  void *smaller = mmap(NULL, page / 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  report("mmap read-write 128 KiB", smaller, page / 2);
  void *readonly = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  mprotect(readonly, page, PROT_READ);
  report("mprotect read-only 256 KiB", readonly, page);
  /* A page already in use (its first 4 KiB written) made writable again: left as it is. */
  char *used = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  used[0] = 1;
  mprotect(used, page, PROT_READ | PROT_WRITE);
  report("mprotect read-write 256 KiB, first page in use", used, page);
  return 0;
}
