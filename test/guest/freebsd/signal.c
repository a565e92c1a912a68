/* Signal handlers: sigaction with SA_SIGINFO, delivery by kill and thr_kill, blocking, sigreturn. */
#include "fbsd.h"

#define SIGSEGV 11
#define SIGUSR1 30
#define SIGUSR2 31
#define SA_SIGINFO 0x40
#define SIG_BLOCK 1
#define SIG_UNBLOCK 2

typedef struct { unsigned bits[4]; } sigset_t;
typedef struct {
  int signo, errno_, code, pid;
  unsigned uid;
  int status;
  void *addr;
  long value;
  long reason[5];
} siginfo_t;
struct sigaction {
  void (*handler)(int, siginfo_t *, void *);
  int flags;
  sigset_t mask;
};
/* The parts of ucontext_t the handlers touch: uc_sigmask, then mcontext's gpregs. */
struct ucontext_head {
  sigset_t sigmask;
  unsigned long x[30];
  unsigned long lr, sp, elr;
  unsigned spsr;
};

static volatile int last_signo, last_code, last_pid, calls;

static void handler(int sig, siginfo_t *info, void *uc) {
  last_signo = sig;
  last_code = info->code;
  last_pid = info->pid;
  calls++;
  struct ucontext_head *ctx = uc;
  /* The interrupted svc returned 0 in x0: sigreturn must restore what the context says instead. */
  if (sig == SIGUSR2) ctx->x[0] = 1234;
}

static volatile long fault_addr, fault_code;

/* A fault handler that steps over the faulting load by moving the saved pc (elr) on. */
static void segv(int sig, siginfo_t *info, void *uc) {
  (void)sig;
  fault_addr = (long)info->addr;
  fault_code = info->code;
  ((struct ucontext_head *)uc)->elr += 4;
}

int fbsd_main(void) {
  struct sigaction sa = {handler, SA_SIGINFO, {{0}}};
  show("sigaction", sys3(SYS_sigaction, SIGUSR1, &sa, 0));
  show("sigaction2", sys3(SYS_sigaction, SIGUSR2, &sa, 0));
  struct sigaction old;
  sys3(SYS_sigaction, SIGUSR1, 0, &old);
  show("old.flags", old.flags);
  show("old.same_handler", old.handler == handler);

  long pid = sys0(SYS_getpid);
  show("kill", sys2(SYS_kill, pid, SIGUSR1));
  show("signo", last_signo);
  puthex(last_code);
  put("\n");
  show("pid_matches", last_pid == pid);

  long tid = 0;
  show("thr_self", sys1(SYS_thr_self, &tid));
  show("tid_positive", tid > 0);
  show("thr_kill_result", sys2(SYS_thr_kill, tid, SIGUSR2));
  show("signo", last_signo);
  puthex(last_code);
  put("\n");

  sigset_t set = {{1u << (SIGUSR1 - 1), 0, 0, 0}};
  show("block", sys3(SYS_sigprocmask, SIG_BLOCK, &set, 0));
  sys2(SYS_kill, pid, SIGUSR1);
  show("calls_while_blocked", calls);
  sigset_t pending;
  sys1(SYS_sigpending, &pending);
  show("pending_usr1", (pending.bits[0] >> (SIGUSR1 - 1)) & 1);
  show("unblock", sys3(SYS_sigprocmask, SIG_UNBLOCK, &set, 0));
  show("calls_after_unblock", calls);
  show("bad_signal", sys3(SYS_sigaction, 129, &sa, 0));

  struct sigaction fault = {segv, SA_SIGINFO, {{0}}};
  sys3(SYS_sigaction, SIGSEGV, &fault, 0);
  long value;
  __asm__ volatile("mov %0, #5\n\tldr %0, [%1]" : "=&r"(value) : "r"(0x10));
  show("segv.skipped_load_value", value);
  show("segv.addr", fault_addr);
  show("segv.code", fault_code);
  return calls;
}
