/*
 * The arm64 signal frame as a handler sees it, and rt_sigreturn restoring what the handler
 * changed. A tgkill is issued by inline `svc` with known values in x19..x28, v8..v15 and NZCV, so
 * the saved context is predictable: the handler checks uc_mcontext (regs, sp, pc, pstate), the
 * __reserved records (fpsimd_context magic/size, then the null terminator), siginfo, uc_sigmask,
 * uc_stack, alignment, and edits x20, v9 and pc-independent state that must come back after return.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

struct ctx_head { uint32_t magic, size; };

static volatile int checks_run;
static uint64_t regs_at_svc[31];
static uint64_t saved_pc, saved_sp, saved_pstate, after_svc;
static int regs_ok, v_ok, fp_magic_ok, end_ok, mask_has_usr2, mask_has_usr1, info_ok, uc_align, frame_gap_ok;
static int stack_flags, link_null;
static long frame_depth, fp_is_record;
static uint32_t fp_size;

static void handler(int sig, siginfo_t *info, void *ctx) {
  ucontext_t *uc = ctx;
  mcontext_t *mc = &uc->uc_mcontext;
  regs_ok = 1;
  for (int i = 19; i <= 28; i++) regs_ok &= mc->regs[i] == 0x1000u + (uint64_t)i;
  saved_pc = mc->pc;
  saved_sp = mc->sp;
  saved_pstate = mc->pstate;
  struct ctx_head *head = (struct ctx_head *)mc->__reserved;
  fp_magic_ok = head->magic == 0x46508001;
  fp_size = head->size;
  struct fpsimd_context *fp = (struct fpsimd_context *)head;
  v_ok = 1;
  for (int i = 8; i <= 15; i++) v_ok &= (uint64_t)fp->vregs[i] == 0x2000u + (uint64_t)i;
  struct ctx_head *end = (struct ctx_head *)((char *)head + head->size);
  end_ok = end->magic == 0 && end->size == 0;
  mask_has_usr1 = sigismember(&uc->uc_sigmask, SIGUSR1);
  mask_has_usr2 = sigismember(&uc->uc_sigmask, SIGUSR2);
  info_ok = sig == SIGUSR1 && info->si_signo == SIGUSR1 && info->si_code == SI_TKILL && info->si_pid == getpid();
  uc_align = (int)((uintptr_t)uc & 15) | (int)((uintptr_t)info & 15) << 8;
  frame_gap_ok = (char *)uc - (char *)info == 128 && (uintptr_t)info < mc->sp;
  stack_flags = uc->uc_stack.ss_flags;
  frame_depth = (long)(mc->sp - (uintptr_t)info);
  /* The frame record {fp, lr} above the frame (what x29 points at on entry) holds the interrupted x29/x30. */
  uint64_t *record = (uint64_t *)((char *)info + frame_depth - 16);
  fp_is_record = record[0] == mc->regs[29] && record[1] == mc->regs[30];
  link_null = uc->uc_link == NULL;
  /* Changes that rt_sigreturn must carry back. */
  mc->regs[20] = 0xabcdef;
  fp->vregs[9] = 0x5151;
  mc->pstate = (mc->pstate & ~0xf0000000ul) | 0x60000000ul; /* Z and C */
  checks_run++;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);

  long pid = getpid(), tid = syscall(SYS_gettid);
  uint64_t x20_after, v9_after, nzcv_after, sp_before;
  __asm__ volatile(
      "mov x0, %[pid]\n mov x1, %[tid]\n mov x2, #10\n"
      "mov x19, #0x1013\n mov x20, #0x1014\n mov x21, #0x1015\n mov x22, #0x1016\n mov x23, #0x1017\n"
      "mov x24, #0x1018\n mov x25, #0x1019\n mov x26, #0x101a\n mov x27, #0x101b\n mov x28, #0x101c\n"
      "mov x9, #0x2008\n fmov d8, x9\n mov x9, #0x2009\n fmov d9, x9\n mov x9, #0x200a\n fmov d10, x9\n"
      "mov x9, #0x200b\n fmov d11, x9\n mov x9, #0x200c\n fmov d12, x9\n mov x9, #0x200d\n fmov d13, x9\n"
      "mov x9, #0x200e\n fmov d14, x9\n mov x9, #0x200f\n fmov d15, x9\n"
      "mov x9, sp\n str x9, %[spb]\n"
      "mov x8, #131\n"
      "cmp x8, #200\n" /* N set, Z and C clear */
      "svc #0\n"
      "1: adr x9, 1b\n str x9, %[after]\n"
      "mrs x9, nzcv\n str x9, %[nzcv]\n"
      "str x20, %[x20]\n fmov x9, d9\n str x9, %[v9]\n"
      : [x20] "=m"(x20_after), [v9] "=m"(v9_after), [nzcv] "=m"(nzcv_after), [spb] "=m"(sp_before), [after] "=m"(after_svc)
      : [pid] "r"(pid), [tid] "r"(tid)
      : "x0", "x1", "x2", "x8", "x9", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
        "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "memory", "cc");

  printf("handler ran %d\n", checks_run);
  printf("siginfo ok %d, ucontext/info alignment %#x, uc follows info %d\n", info_ok, uc_align, frame_gap_ok);
  printf("frame starts %ld bytes below sp, frame record holds x29/x30 %ld\n", frame_depth, fp_is_record);
  printf("uc_link NULL %d, uc_stack flags %d, uc_sigmask usr1 %d usr2 %d\n", link_null, stack_flags, mask_has_usr1, mask_has_usr2);
  printf("regs x19..x28 saved %d, v8..v15 saved %d\n", regs_ok, v_ok);
  printf("pc is after the svc %d, sp saved %d, pstate NZCV %#lx\n", saved_pc == after_svc, saved_sp == sp_before,
         (unsigned long)(saved_pstate >> 28));
  printf("fpsimd record magic ok %d size %u, null record after it %d\n", fp_magic_ok, fp_size, end_ok);
  printf("after sigreturn: x20 %#lx v9 %#lx nzcv %#lx\n", (unsigned long)x20_after, (unsigned long)v9_after,
         (unsigned long)(nzcv_after >> 28));
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("mask restored: usr1 %d usr2 %d\n", sigismember(&now, SIGUSR1), sigismember(&now, SIGUSR2));
  return 0;
}
