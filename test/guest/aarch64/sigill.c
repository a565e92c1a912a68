/*
 * An undefined instruction (.inst 0x00000000, permanently UNDEFINED as UDF #0). "die": the
 * process is killed by SIGILL. "catch": a SA_SIGINFO handler reports si_code (Linux gives
 * ILL_ILLOPC, QEMU 7.2 ILL_ILLOPN: the oracle decides), checks that si_addr and the saved PC point
 * at the instruction, skips it by advancing the PC in the ucontext, and the program resumes after
 * it (a real sigreturn).
 * usage: sigill die | catch
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

extern char undefined_insn[];
void run_undefined(void);
__asm__(".text\n"
        ".global run_undefined\n"
        ".type run_undefined, %function\n"
        "run_undefined:\n"
        "  mov x0, #5\n"
        ".global undefined_insn\n"
        "undefined_insn:\n"
        "  .inst 0x00000000\n"
        "  ret\n");

static volatile int seen_sig, seen_code, addr_ok, pc_ok;

static void handler(int sig, siginfo_t *info, void *ctx) {
  ucontext_t *uc = ctx;
  seen_sig = sig;
  seen_code = info->si_code;
  addr_ok = info->si_addr == (void *)undefined_insn;
  pc_ok = uc->uc_mcontext.pc == (unsigned long)undefined_insn;
  uc->uc_mcontext.pc += 4;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "catch") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    run_undefined();
    printf("resumed: signal %d code %d (ILL_ILLOPC=%d) si_addr ok %d pc ok %d\n", seen_sig,
           seen_code, ILL_ILLOPC, addr_ok, pc_ok);
    return 0;
  }
  printf("about to execute an undefined instruction\n");
  fflush(stdout);
  run_undefined();
  puts("survived");
  return 0;
}
