/*
 * The 32-bit ARM signal frames as a handler sees them, and sigreturn/rt_sigreturn restoring what
 * the handler changed. known_tgkill issues tgkill by inline `svc 0` with known values in r3-r12,
 * lr, D0-D31 and the APSR (NZCV, Q, GE), so the saved context is predictable; the handler checks the sigcontext
 * (registers, sp, pc, cpsr), the VFP record in uc_regspace (magic, size, D registers, end marker),
 * uc_flags, uc_sigmask and siginfo, then edits r5, D9, D20 and the flags, which must come back.
 * "rt" installs an SA_SIGINFO handler (rt_sigframe), "plain" one without (sigframe, found from the
 * sp at entry). "-raw" variants install the handler with the raw rt_sigaction syscall and no
 * SA_RESTORER, so it returns through the kernel's sigreturn codes (ARM or Thumb per the handler).
 * usage: frame rt | plain | rt-raw | plain-raw
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

struct after_state {
  uint32_t r[13], apsr, sp, pad;
  uint64_t d[32];
};

struct vfp_record {
  uint32_t magic, size;
  uint64_t fpregs[32];
  uint32_t fpscr, pad, fpexc, fpinst, fpinst2;
};

uint64_t dvals[32];
uint32_t entry_sp, entry_lr;
extern char after_svc[];
void known_tgkill(int pid, int tid, int sig, struct after_state *out);
void plain_entry(int sig);

#ifdef __thumb__
#define MODE ".thumb\n .thumb_func\n"
#else
#define MODE ".arm\n"
#endif

__asm__(".syntax unified\n .arch armv7-a\n .fpu vfpv3\n .text\n .align 2\n"
        ".global known_tgkill\n .type known_tgkill, %function\n" MODE "known_tgkill:\n"
        " push {r4-r11, lr}\n vpush {d8-d15}\n"
        " mov lr, r3\n ldr r4, =dvals\n vldmia r4!, {d0-d15}\n vldmia r4, {d16-d31}\n"
        " movw r3, #0x1003\n movw r4, #0x1004\n movw r5, #0x1005\n movw r6, #0x1006\n"
        " movw r8, #0x1008\n movw r9, #0x1009\n movw r10, #0x100a\n movw r11, #0x100b\n movw r12, #0x100c\n"
        " movw r7, #0xa805\n lsl r7, r7, #16\n msr APSR_nzcvqg, r7\n"
        " movw r7, #268\n svc #0\n"
        ".global after_svc\n after_svc:\n"
        " stmia lr, {r0-r12}\n mrs r0, APSR\n str r0, [lr, #52]\n mov r0, sp\n str r0, [lr, #56]\n"
        " add r0, lr, #64\n vstmia r0!, {d0-d15}\n vstmia r0, {d16-d31}\n"
        " vpop {d8-d15}\n pop {r4-r11, pc}\n .ltorg\n"
        ".global plain_entry\n .type plain_entry, %function\n" MODE "plain_entry:\n"
        " ldr r1, =entry_sp\n str sp, [r1]\n ldr r1, =entry_lr\n str lr, [r1]\n b plain_handler\n .ltorg\n");

static struct after_state after;
static uint32_t svc_sp;
static volatile int handled;

/* Checks one frame's ucontext and makes the edits sigreturn must carry back. */
static void check_uc(ucontext_t *uc, int sig) {
  mcontext_t *mc = &uc->uc_mcontext;
  unsigned long *r = &mc->arm_r0;
  int regs_ok = mc->arm_r0 == 0 && mc->arm_r2 == (unsigned)sig && mc->arm_r7 == 268 && mc->arm_lr == (uintptr_t)&after;
  for (int i = 3; i <= 12; i++)
    if (i != 7) regs_ok &= r[i] == 0x1000u + (unsigned)i;
  printf("sig %d: regs %d pc at after_svc %d sp at svc %d cpsr %08lx\n", sig, regs_ok,
         mc->arm_pc == ((uintptr_t)after_svc & ~1u), mc->arm_sp == svc_sp, mc->arm_cpsr);
  printf("uc_flags %08lx link %p ss_flags %d mask USR1 %d USR2 %d oldmask %08lx\n", uc->uc_flags,
         (void *)uc->uc_link, uc->uc_stack.ss_flags, sigismember(&uc->uc_sigmask, SIGUSR1),
         sigismember(&uc->uc_sigmask, SIGUSR2), mc->oldmask);
  struct vfp_record *vfp = (struct vfp_record *)uc->uc_regspace;
  int d_ok = 1;
  for (int i = 0; i < 32; i++) d_ok &= vfp->fpregs[i] == dvals[i];
  uint32_t end = *(uint32_t *)((char *)vfp + vfp->size);
  printf("vfp magic %08x size %u d regs %d fpscr %08x end %u regspace align %u\n", vfp->magic, vfp->size,
         d_ok, vfp->fpscr, end, (unsigned)((uintptr_t)uc->uc_regspace & 7));
  mc->arm_r5 = 0xabcdef;
  vfp->fpregs[9] = 0x5151;
  vfp->fpregs[20] = 0x2020;
  mc->arm_cpsr = (mc->arm_cpsr & 0x0fffffff) | 0x60000000; /* Z and C */
  handled++;
}

static void rt_handler(int sig, siginfo_t *info, void *ctx) {
  ucontext_t *uc = ctx;
  printf("info signo %d code %d (SI_TKILL %d) pid ok %d uc - info %d below svc sp %u\n", info->si_signo,
         info->si_code, SI_TKILL, info->si_pid == getpid(), (int)((char *)uc - (char *)info),
         svc_sp - (uint32_t)(uintptr_t)info);
  check_uc(uc, sig);
}

void plain_handler(int sig) {
  ucontext_t *uc = (ucontext_t *)(uintptr_t)entry_sp;
  printf("plain frame below svc sp %u\n", svc_sp - entry_sp);
  check_uc(uc, sig);
}

struct kernel_sigaction {
  void *handler;
  unsigned long flags;
  void *restorer;
  uint32_t mask[2];
};

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "rt";
  int rt = strncmp(mode, "rt", 2) == 0, raw = strstr(mode, "-raw") != NULL;
  for (int i = 0; i < 32; i++) dvals[i] = 0x4000000000000000ull + (uint64_t)i * 0x10001;
  if (raw) {
    struct kernel_sigaction ksa = {rt ? (void *)rt_handler : (void *)plain_entry, rt ? SA_SIGINFO : 0, NULL, {0, 0}};
    if (syscall(SYS_rt_sigaction, SIGUSR1, &ksa, NULL, 8) != 0) perror("rt_sigaction");
  } else {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (rt) sa.sa_sigaction = rt_handler;
    else sa.sa_handler = plain_entry;
    sa.sa_flags = rt ? SA_SIGINFO : 0;
    sigaction(SIGUSR1, &sa, NULL);
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);

  /* The sp at the svc: known_tgkill pushes 9 words and 8 doublewords below the caller's sp. */
  uint32_t here;
  __asm__ volatile("mov %0, sp" : "=r"(here));
  svc_sp = here - 9 * 4 - 8 * 8;
  known_tgkill(getpid(), (int)syscall(SYS_gettid), SIGUSR1, &after);
  if (after.sp != svc_sp) printf("svc sp estimate off by %d\n", (int)(after.sp - svc_sp));
  int d_ok = 1;
  for (int i = 0; i < 32; i++)
    if (i != 9 && i != 20) d_ok &= after.d[i] == dvals[i];
  printf("handled %d after return: r5 %x r4 %x r6 %x r12 %x apsr %08x d9 %llx d20 %llx others %d\n", handled,
         after.r[5], after.r[4], after.r[6], after.r[12], after.apsr, (unsigned long long)after.d[9],
         (unsigned long long)after.d[20], d_ok);
  if (!rt && raw) printf("plain raw handler returns in the handler's state %d\n", (entry_lr & 1) == ((uintptr_t)plain_entry & 1));
  sigprocmask(SIG_BLOCK, NULL, &set);
  printf("mask after: USR1 %d USR2 %d\n", sigismember(&set, SIGUSR1), sigismember(&set, SIGUSR2));
  return 0;
}
