/*
 * The PowerPC64 signal frame as a handler sees it, and rt_sigreturn restoring what the handler
 * changed. A tgkill is issued by an inline `sc` with known values in r20..r23, f14, v20 (a splat,
 * so its image is the same in both byte orders), CR2..CR4, CTR and LR, so the saved context is
 * predictable: the handler checks siginfo, the sigcontext header (signal, regs pointer; handler,
 * which Linux fills in and QEMU 7.2 leaves 0),
 * gp_regs (GPRs, r1, nip, ctr, link, ccr), fp_regs, v_regs (alignment, VR20), uc_sigmask, uc_stack,
 * then edits r21, f15, CR3, v21 and the mask, which must be in place after the handler returns.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static int info_ok, nip_ok, header_ok, handler_ok, regs_ok, spr_ok, cr_ok, fp_ok, vr_ok, mask_ok, stack_ok, align_ok;
static unsigned long seen_r1, seen_nip;

static void handler(int sig, siginfo_t *info, void *ctx) {
  ucontext_t *uc = ctx;
  mcontext_t *mc = &uc->uc_mcontext;
  info_ok = sig == SIGUSR1 && info->si_signo == SIGUSR1 && info->si_code == SI_TKILL && info->si_pid == getpid();
  header_ok = mc->signal == SIGUSR1 && (void *)mc->regs == (void *)mc->gp_regs;
  handler_ok = mc->handler == (unsigned long)handler;
  regs_ok = 1;
  for (int i = 20; i <= 23; i++) regs_ok &= mc->gp_regs[i] == 0x1000u + (unsigned long)i;
  regs_ok &= mc->gp_regs[PT_R0] == SYS_tgkill;
  seen_r1 = mc->gp_regs[PT_R1];
  seen_nip = mc->gp_regs[PT_NIP];
  spr_ok = mc->gp_regs[PT_CTR] == 0xc7c7 && mc->gp_regs[PT_LNK] == 0x1111;
  cr_ok = (mc->gp_regs[PT_CCR] & 0x00fff000) == 0x00234000;
  fp_ok = mc->fp_regs[14] == 1.5;
  vrregset_t *v = mc->v_regs;
  vr_ok = v != NULL && ((uintptr_t)v & 15) == 0 && (char *)v >= (char *)mc->vmx_reserve &&
          (char *)v < (char *)mc->vmx_reserve + 16;
  if (v) {
    for (int k = 0; k < 4; k++) vr_ok &= v->vrregs[20][k] == 5;
    for (int k = 0; k < 4; k++) v->vrregs[21][k] = 9;
  }
  mask_ok = sigismember(&uc->uc_sigmask, SIGUSR2) && !sigismember(&uc->uc_sigmask, SIGUSR1);
  stack_ok = uc->uc_stack.ss_flags == SS_DISABLE && uc->uc_link == NULL;
  align_ok = ((uintptr_t)uc & 15) == 0;
  mc->gp_regs[21] = 0x2121;
  mc->gp_regs[PT_CCR] = (mc->gp_regs[PT_CCR] & ~0x000f0000ul) | 0x00090000;
  mc->fp_regs[15] = 2.5;
  sigaddset(&uc->uc_sigmask, SIGUSR1);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, NULL);

  long pid = getpid();
  register long r0 __asm__("r0") = SYS_tgkill;
  register long r3 __asm__("r3") = pid;
  register long r4 __asm__("r4") = pid;
  register long r5 __asm__("r5") = SIGUSR1;
  unsigned long r21_after, cr_after, sp, here;
  double f15_after, one_and_half = 1.5;
  unsigned int v21_after[4] __attribute__((aligned(16)));
  __asm__ volatile(
      "li 20, 0x1014\n li 21, 0x1015\n li 22, 0x1016\n li 23, 0x1017\n"
      "fmr 14, %[onehalf]\n fmr 15, %[onehalf]\n vspltisw 20, 5\n vspltisw 21, 0\n"
      "lis 9, 0x0123\n ori 9, 9, 0x4567\n mtcrf 0x38, 9\n"
      "lis 9, 0\n ori 9, 9, 0xc7c7\n"
      "mtctr 9\n"
      "mflr 10\n bl 1f\n1: mflr 11\n addi 11, 11, 28\n li 9, 0x1111\n mtlr 9\n"
      "mr %[sp], 1\n mr %[here], 11\n"
      "sc\n"
      "mtlr 10\n"
      "mr %[r21], 21\n mfcr %[cr]\n fmr %[f15], 15\n li 9, 0\n stvx 21, %[v21], 9\n"
      : [r21] "=&r"(r21_after), [cr] "=&r"(cr_after), [f15] "=&d"(f15_after), [sp] "=&r"(sp),
        [here] "=&r"(here), "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
      : [onehalf] "d"(one_and_half), [v21] "b"(v21_after)
      : "r9", "r10", "r11", "r12", "r20", "r21", "r22", "r23", "fr14", "fr15", "v20", "v21", "cr0",
        "cr2", "cr3", "cr4", "ctr", "lr", "memory");
  nip_ok = seen_nip == here && seen_r1 == sp;
  printf("info %d header %d handler %d regs %d nip %d ctr/lr %d cr %d fp %d vr %d mask %d stack %d align %d\n",
         info_ok, header_ok, handler_ok, regs_ok, nip_ok, spr_ok, cr_ok, fp_ok, vr_ok, mask_ok, stack_ok, align_ok);
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  int v21_ok = 1;
  for (int k = 0; k < 4; k++) v21_ok &= v21_after[k] == 9;
  printf("after return: r21 %#lx cr3 %lu f15 %g v21 %d usr1 blocked %d\n", r21_after, (cr_after >> 16) & 15,
         f15_after, v21_ok, sigismember(&now, SIGUSR1));
  return 0;
}
