/*
 * The little of libc the FreeBSD test programs need, written against the FreeBSD/arm64 kernel
 * interface itself: svc #0 with the number in x8; on return the carry flag says failure and x0
 * holds a positive errno. Calls return the result, or -errno. Numbers are syscalls.master's.
 */
#ifndef FBSD_H
#define FBSD_H

typedef unsigned long size_t;
typedef long ssize_t;

#define SYS_exit 1
#define SYS_read 3
#define SYS_write 4
#define SYS_open 5
#define SYS_close 6
#define SYS_getpid 20
#define SYS_kill 37
#define SYS_sigaltstack 53
#define SYS_ioctl 54
#define SYS_fcntl 92
#define SYS_getrlimit 194
#define SYS___sysctl 202
#define SYS_clock_gettime 232
#define SYS_nanosleep 240
#define SYS_issetugid 253
#define SYS_sigprocmask 340
#define SYS_sigpending 343
#define SYS_sigaction 416
#define SYS_thr_exit 431
#define SYS_thr_self 432
#define SYS_thr_kill 433
#define SYS__umtx_op 454
#define SYS_thr_new 455
#define SYS_mmap 477
#define SYS_lseek 478
#define SYS_cpuset_getaffinity 487
#define SYS_openat 499
#define SYS_unlinkat 503
#define SYS_pipe2 542
#define SYS_fstat 551
#define SYS_fstatat 552
#define SYS_getdirentries 554
#define SYS___sysctlbyname 570
#define SYS_kcmp 588

#define AT_FDCWD -100
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_NONBLOCK 0x4
#define O_CREAT 0x200
#define O_TRUNC 0x400
#define O_EXCL 0x800
#define O_DIRECTORY 0x20000
#define O_CLOEXEC 0x100000

static inline long fbsd_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
  register long x0 __asm__("x0") = a0;
  register long x1 __asm__("x1") = a1;
  register long x2 __asm__("x2") = a2;
  register long x3 __asm__("x3") = a3;
  register long x4 __asm__("x4") = a4;
  register long x5 __asm__("x5") = a5;
  register long x8 __asm__("x8") = nr;
  long carry;
  __asm__ volatile("svc #0\n\tcset %[c], cs"
                   : "+r"(x0), "+r"(x1), [c] "=r"(carry)
                   : "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x8)
                   : "memory", "cc");
  return carry ? -x0 : x0;
}
#define sys0(n) fbsd_syscall6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) fbsd_syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) fbsd_syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) fbsd_syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) fbsd_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(n, a, b, c, d, e) fbsd_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define sys6(n, a, b, c, d, e, f) fbsd_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static inline size_t fbsd_strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

static inline void put(const char *s) { sys3(SYS_write, 1, s, fbsd_strlen(s)); }

static inline void putnum(long v) {
  char buf[24];
  int i = sizeof buf;
  unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
  do {
    buf[--i] = '0' + u % 10;
    u /= 10;
  } while (u);
  if (v < 0) buf[--i] = '-';
  sys3(SYS_write, 1, buf + i, sizeof buf - i);
}

static inline void puthex(unsigned long v) {
  char buf[18];
  int i = sizeof buf;
  do {
    buf[--i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  buf[--i] = 'x';
  buf[--i] = '0';
  sys3(SYS_write, 1, buf + i, sizeof buf - i);
}

/* "label=value\n" lines, which the tests parse. */
static inline void show(const char *label, long v) {
  put(label);
  put("=");
  putnum(v);
  put("\n");
}

static inline void *fbsd_memset(void *p, int c, size_t n) {
  unsigned char *b = p;
  while (n--) *b++ = (unsigned char)c;
  return p;
}
static inline int fbsd_strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
}

/* gcc may emit calls to these for struct copies and initialisers. */
void *memset(void *p, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif
