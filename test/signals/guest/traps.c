/*
 * Synchronous signals other than the plain SIGSEGV/SIGILL cases: brk (SIGTRAP, TRAP_BRKPT, si_addr
 * = pc), an unaligned exclusive load (SIGBUS, BUS_ADRALN, si_addr = the address), the handler
 * resuming after the instruction by editing the saved pc; a forced fault while the signal is
 * blocked, or ignored, still kills ("blocked"/"ignored" modes), as Linux's force_sig_fault does.
 * usage: traps brk | bus | blocked | ignored
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

extern char brk_insn[], ldxr_insn[];
void do_brk(void);
uint64_t do_ldxr(void *p);
__asm__(".text\n"
        ".global do_brk\n do_brk:\n"
        ".global brk_insn\n brk_insn: brk #0x7\n ret\n"
        ".global do_ldxr\n do_ldxr:\n"
        ".global ldxr_insn\n ldxr_insn: ldxr x0, [x0]\n ret\n");

static volatile int seen_sig, seen_code;
static void *volatile seen_addr;
static volatile uint64_t seen_pc;

static void handler(int sig, siginfo_t *info, void *ctx) {
  ucontext_t *uc = ctx;
  seen_sig = sig;
  seen_code = info->si_code;
  seen_addr = info->si_addr;
  seen_pc = uc->uc_mcontext.pc;
  uc->uc_mcontext.pc += 4;
}

static char buffer[32] __attribute__((aligned(16)));

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "brk";
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGTRAP, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
  if (strcmp(mode, "brk") == 0) {
    do_brk();
    printf("brk: signal %d code %d addr at insn %d pc at insn %d\n", seen_sig, seen_code,
           seen_addr == (void *)brk_insn, seen_pc == (uint64_t)(uintptr_t)brk_insn);
    return 0;
  }
  if (strcmp(mode, "bus") == 0) {
    do_ldxr(buffer + 3);
    printf("unaligned ldxr: signal %d code %d addr ok %d pc at insn %d\n", seen_sig, seen_code,
           seen_addr == (void *)(buffer + 3), seen_pc == (uint64_t)(uintptr_t)ldxr_insn);
    return 0;
  }
  if (strcmp(mode, "blocked") == 0) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSEGV);
    sigprocmask(SIG_BLOCK, &set, NULL);
  } else {
    signal(SIGSEGV, SIG_IGN);
  }
  printf("faulting with SIGSEGV %s\n", mode);
  fflush(stdout);
  *(volatile int *)8 = 1;
  puts("survived");
  return 0;
}
