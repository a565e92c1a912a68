/*
 * Loads and stores through tagged pointers: Linux runs AArch64 user code with the top byte of
 * data addresses ignored (TBI0), so a pointer with a tag in bits 63:56 reaches the same memory.
 * Each kind of access runs once (cold) and in a loop long enough to be compiled (tsemu then runs
 * each tagged access of compiled code again in its interpreter: slow, so the loops are short); then a tagged
 * pointer to unmapped memory must still fault.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *tag(void *p, unsigned t) { return (void *)(((uintptr_t)p & ~(0xffull << 56)) | ((uintptr_t)t << 56)); }

static uint64_t words[64];
static unsigned char bytes[4096] __attribute__((aligned(64)));

static uint64_t plain_loop(unsigned rounds) {
  uint64_t sum = 0;
  for (unsigned r = 0; r < rounds; r++) {
    uint64_t *w = tag(words, 0x5a + (r & 3));
    for (int i = 0; i < 64; i++) {
      w[i] += i + r;
      sum += w[i];
    }
    uint32_t *h = tag(words, 0xf0);
    sum += h[r & 127];
    unsigned char *b = tag(bytes, 0x01);
    b[r & 4095] = (unsigned char)r;
    sum += b[(r * 7) & 4095];
  }
  return sum;
}

static uint64_t pair_loop(unsigned rounds) {
  uint64_t sum = 0;
  for (unsigned r = 0; r < rounds; r++) {
    uint64_t *w = tag(words, 0x80);
    uint64_t a, b;
    __asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(w + (r & 31)) : "memory");
    __asm__ volatile("stp %0, %1, [%2]" : : "r"(b + 1), "r"(a), "r"(w + 32 + (r & 31)) : "memory");
    sum += a ^ b;
  }
  return sum;
}

static uint64_t exclusive_loop(unsigned rounds) {
  uint64_t *w = tag(&words[7], 0x33);
  for (unsigned r = 0; r < rounds; r++) {
    uint64_t old;
    uint32_t failed;
    do {
      __asm__ volatile("ldxr %0, [%2]\n\tadd %0, %0, #3\n\tstxr %w1, %0, [%2]" : "=&r"(old), "=&r"(failed) : "r"(w) : "memory");
    } while (failed);
    __atomic_fetch_add(w, 1, __ATOMIC_SEQ_CST);
  }
  return *w;
}

static void on_segv(int sig, siginfo_t *info, void *ctx) {
  (void)ctx;
  char line[96];
  int n = snprintf(line, sizeof line, "signal %d, fault address low 32 bits 0x%lx\n", sig, (unsigned long)((uintptr_t)info->si_addr & 0xffffffffu));
  write(1, line, n);
  _exit(0);
}

int main(void) {
  printf("cold: %llu\n", (unsigned long long)plain_loop(1));
  printf("plain: %llu\n", (unsigned long long)plain_loop(300));
  printf("pairs: %llu\n", (unsigned long long)pair_loop(300));
  printf("exclusive: %llu\n", (unsigned long long)exclusive_loop(300));
  char *buf = malloc(100000);
  char *tagged = tag(buf, 0x42);
  memset(tagged, 0xab, 100000);
  memcpy(tagged + 50000, "tagged", 7);
  printf("memset/memcpy: %d %d %s\n", buf[0] & 0xff, buf[99999] & 0xff, buf + 50000);
  printf("strlen: %zu\n", strlen(tagged + 50000));
  free(buf);
  fflush(stdout);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0);
  volatile uint64_t *nowhere = tag((void *)0x1000, 0x77);
  printf("unmapped: %llu\n", (unsigned long long)*nowhere);
  return 1;
}
