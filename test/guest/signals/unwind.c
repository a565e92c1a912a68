/*
 * Unwinding out of a signal handler, through the signal frame, into the interrupted code: what
 * glibc's backtrace(), libgcc's _Unwind_Backtrace and pthread_cancel's forced unwind need from the
 * kernel's signal trampoline (on PowerPC64, the vDSO's __kernel_sigtramp_rt64 and its CFI; on
 * AArch64 the trampoline's instruction words; on ARM glibc's restorer and its unwind table entry).
 * The handler interrupts signal_self <- inner <- outer <- main and reports which of those
 * call sites, and whether the interrupted pc itself, each unwinder lists; once on the normal
 * stack, once on an alternate signal stack. Then a thread blocked in read() is cancelled: its
 * cleanup handlers (pthread_cleanup_push, and a cleanup attribute in the blocked function, both run
 * by the forced unwind when built with -fexceptions) must run. Prints facts, never addresses.
 * Build with -fexceptions -fno-optimize-sibling-calls (and -funwind-tables on ARM).
 */
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

#define MAX_FRAMES 64
#define SITES 3

static const char *const SITE_NAMES[SITES] = {"inner", "outer", "main"};
/* Return addresses into inner, outer and main, recorded on the way down. */
static uintptr_t sites[SITES];
/* What the handler found (volatile: written behind the compiler's back, by the handler). */
static volatile uintptr_t interrupted_pc;
static void *glibc_frames[MAX_FRAMES];
static volatile int glibc_count;
static uintptr_t unwind_frames[MAX_FRAMES];
static volatile int unwind_count;

#define RETURN_ADDRESS() ((uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0)))
/* Keeps a call from being the last thing a function does (so its frame stays). */
#define STAY() __asm__ volatile("" ::: "memory")

static uintptr_t pc_of(const ucontext_t *uc) {
#if defined(__aarch64__)
  return uc->uc_mcontext.pc;
#elif defined(__powerpc64__)
  return uc->uc_mcontext.gp_regs[32];
#elif defined(__arm__)
  return uc->uc_mcontext.arm_pc;
#else
#error "unknown target"
#endif
}

static _Unwind_Reason_Code collect(struct _Unwind_Context *context, void *arg) {
  (void)arg;
  if (unwind_count < MAX_FRAMES) unwind_frames[unwind_count++] = _Unwind_GetIP(context);
  return _URC_NO_REASON;
}

static void on_signal(int sig, siginfo_t *info, void *uc) {
  (void)sig;
  (void)info;
  interrupted_pc = pc_of(uc);
  glibc_count = backtrace(glibc_frames, MAX_FRAMES);
  unwind_count = 0;
  _Unwind_Backtrace(collect, NULL);
}

/* Thumb return addresses carry bit 0; _Unwind_GetIP clears it. */
static int same_pc(uintptr_t a, uintptr_t b) { return (a | 1) == (b | 1); }

static int lists(const uintptr_t *frames, int n, uintptr_t pc) {
  for (int i = 0; i < n; i++)
    if (same_pc(frames[i], pc)) return 1;
  return 0;
}

static void report(const char *how, const char *unwinder, const uintptr_t *frames, int n) {
  printf("%s, %s: interrupted pc %d", how, unwinder, lists(frames, n, interrupted_pc));
  for (int i = 0; i < SITES; i++) printf(", %s %d", SITE_NAMES[i], lists(frames, n, sites[i]));
  printf("\n");
}

__attribute__((noinline)) static void signal_self(int sig) {
  sites[0] = RETURN_ADDRESS();
  raise(sig);
  STAY();
}

__attribute__((noinline)) static void inner(int sig) {
  sites[1] = RETURN_ADDRESS();
  signal_self(sig);
  STAY();
}

__attribute__((noinline)) static void outer(int sig) {
  sites[2] = RETURN_ADDRESS();
  inner(sig);
  STAY();
}

static void backtraces(const char *how, int on_alt_stack) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | (on_alt_stack ? SA_ONSTACK : 0);
  sigaction(SIGUSR1, &sa, NULL);
  glibc_count = unwind_count = 0;
  outer(SIGUSR1);
  uintptr_t glibc[MAX_FRAMES];
  for (int i = 0; i < glibc_count; i++) glibc[i] = (uintptr_t)glibc_frames[i];
  report(how, "backtrace()", glibc, glibc_count);
  report(how, "_Unwind_Backtrace", unwind_frames, unwind_count);
}

static int pipe_fds[2];
static volatile int push_cleanup_ran, attribute_cleanup_ran;

static void on_push_cleanup(void *arg) {
  (void)arg;
  push_cleanup_ran = 1;
}

static void on_attribute_cleanup(int *unused) {
  (void)unused;
  attribute_cleanup_ran = 1;
}

__attribute__((noinline)) static void blocked_read(void) {
  __attribute__((cleanup(on_attribute_cleanup))) int guard = 0;
  char c;
  if (read(pipe_fds[0], &c, 1) >= 0) printf("read returned\n");
  STAY();
  (void)guard;
}

static void *reader(void *arg) {
  (void)arg;
  pthread_cleanup_push(on_push_cleanup, NULL);
  blocked_read();
  pthread_cleanup_pop(0);
  return NULL;
}

static void cancellation(void) {
  if (pipe(pipe_fds) != 0) {
    perror("pipe");
    exit(1);
  }
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  usleep(20000);
  pthread_cancel(t);
  void *result;
  pthread_join(t, &result);
  printf("pthread_cancel in read(): joined with PTHREAD_CANCELED %d, pthread_cleanup_push handler %d, "
         "cleanup attribute in the blocked function %d\n",
         result == PTHREAD_CANCELED, push_cleanup_ran, attribute_cleanup_ran);
}

int main(void) {
  backtraces("handler on the stack", 0);
  stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = 0};
  sigaltstack(&ss, NULL);
  backtraces("handler on sigaltstack", 1);
  cancellation();
  return 0;
}
