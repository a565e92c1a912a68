/*
 * Memory-management syscalls as a program sees them: brk growth and shrink, anonymous and file
 * mappings (private copy-on-write and shared write-back), MAP_FIXED replacement, mremap growth,
 * mprotect, madvise(MADV_DONTNEED) and munmap. (Not MAP_FIXED_NOREPLACE: QEMU 7.2 treats it as a
 * hint and maps elsewhere where Linux fails with EEXIST, so it has no trustworthy oracle.)
 * Prints facts only, never addresses (placement may legitimately differ).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int all_equal(const unsigned char *p, size_t n, unsigned char v) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != v) return 0;
  return 1;
}

int main(void) {
  long page = sysconf(_SC_PAGESIZE);

  char *base = sbrk(0);
  char *grown = sbrk(3 * page + 123);
  memset(grown, 0x5a, (size_t)(3 * page + 123));
  printf("sbrk grow returns old break %d, new break %ld bytes higher\n", grown == base,
         (long)((char *)sbrk(0) - base));
  sbrk(-(2 * page));
  printf("sbrk shrink keeps the rest %d\n", all_equal((unsigned char *)grown, (size_t)page, 0x5a));

  size_t len = (size_t)page * 4;
  unsigned char *anon = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("anon mmap ok %d page aligned %d zeroed %d\n", anon != MAP_FAILED, ((uintptr_t)anon % (uintptr_t)page) == 0,
         all_equal(anon, len, 0));
  memset(anon, 0x11, len);
  unsigned char *fixed = mmap(anon + page, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  printf("MAP_FIXED replaces in place %d zeroed %d neighbours kept %d\n", fixed == anon + page,
         all_equal(fixed, (size_t)page, 0), all_equal(anon, (size_t)page, 0x11) && all_equal(anon + 2 * page, (size_t)page, 0x11));
  madvise(anon + 2 * page, (size_t)page, MADV_DONTNEED);
  printf("MADV_DONTNEED zero-fills private anon %d\n", all_equal(anon + 2 * page, (size_t)page, 0));
  unsigned char *moved = mremap(anon, len, len * 4, MREMAP_MAYMOVE);
  printf("mremap grow ok %d contents kept %d new part zeroed %d\n", moved != MAP_FAILED,
         all_equal(moved, (size_t)page, 0x11) && all_equal(moved + 3 * page, (size_t)page, 0x11),
         all_equal(moved + len, len * 3, 0));
  printf("mprotect PROT_READ %d\n", mprotect(moved, (size_t)page, PROT_READ));
  printf("mprotect PROT_NONE %d\n", mprotect(moved, (size_t)page, PROT_NONE));
  printf("mprotect back to RW %d\n", mprotect(moved, (size_t)page, PROT_READ | PROT_WRITE));
  printf("munmap %d\n", munmap(moved, len * 4));
  printf("munmap unaligned: %s\n", munmap(moved + 1, (size_t)page) == 0 ? "ok" : strerror(errno));
  printf("mmap length 0: %s\n",
         mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? strerror(errno) : "mapped");

  int fd = open("mapped.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
  unsigned char block[8192];
  for (int i = 0; i < 8192; i++) block[i] = (unsigned char)(i ^ (i >> 8));
  write(fd, block, sizeof block);
  unsigned char *priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  int same = memcmp(priv, block, 8192) == 0;
  priv[10] = 0xee;
  unsigned char b10;
  pread(fd, &b10, 1, 10);
  printf("private file mapping reads file %d, writes stay private %d\n", same, b10 == block[10]);
  unsigned char *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  shared[4097] = 0xab;
  msync(shared, 8192, MS_SYNC);
  unsigned char b4097;
  pread(fd, &b4097, 1, 4097);
  printf("shared file mapping writes reach the file %d\n", b4097 == 0xab);
  unsigned char w = 0x77;
  pwrite(fd, &w, 1, 5000);
  printf("file writes show in the shared mapping %d\n", shared[5000] == 0x77);
  unsigned char *offset = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
  printf("mapping at file offset 4096 sees byte 4097 %d\n", offset[1] == 0xab);
  printf("mapping at unaligned offset: %s\n",
         mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED ? strerror(errno) : "mapped");
  printf("mapping a write-only request of a read-only fd: ");
  int ro = open("mapped.bin", O_RDONLY);
  printf("%s\n", mmap(NULL, 4096, PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED ? strerror(errno) : "mapped");
  close(ro);
  close(fd);
  unlink("mapped.bin");
  return 0;
}
