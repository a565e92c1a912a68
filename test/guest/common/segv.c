/*
 * Memory faults. "die": a null pointer store kills the process with SIGSEGV. "catch": a handler
 * installed with SA_SIGINFO reports si_code and si_addr for an unmapped address (SEGV_MAPERR) and
 * for a write to a read-only page (SEGV_ACCERR), and leaves through siglongjmp.
 * usage: segv die | catch
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile void *fault_addr;
static volatile int fault_code, fault_signo;

static void handler(int sig, siginfo_t *info, void *uc) {
  (void)uc;
  fault_signo = sig;
  fault_code = info->si_code;
  fault_addr = info->si_addr;
  siglongjmp(back, 1);
}

static void try_write(const char *what, volatile int *p) {
  fault_signo = 0;
  if (sigsetjmp(back, 1) == 0) {
    *p = 1;
    printf("%s: no fault\n", what);
  } else {
    printf("%s: signal %d code %d addr matches %d\n", what, fault_signo, fault_code,
           fault_addr == (void *)p);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "catch") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    try_write("null", (volatile int *)0);
    try_write("unmapped", (volatile int *)(uintptr_t)0x10);
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m + page, (size_t)page, PROT_READ);
    try_write("writable page", (volatile int *)m);
    try_write("read-only page", (volatile int *)(m + page + 64));
    munmap(m + 2 * page, (size_t)page);
    try_write("unmapped page", (volatile int *)(m + 2 * page + 8));
    mprotect(m + page, (size_t)page, PROT_READ | PROT_WRITE);
    try_write("page made writable", (volatile int *)(m + page + 64));
    puts("done");
    return 0;
  }
  printf("about to dereference NULL\n");
  fflush(stdout);
  *(volatile int *)0 = 42;
  puts("survived");
  return 0;
}
