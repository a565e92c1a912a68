/* thr_new: a second thread sets a flag and wakes the main thread, which sleeps in _umtx_op. */
#include "fbsd.h"

#define UMTX_OP_WAIT_UINT_PRIVATE 15
#define UMTX_OP_WAKE_PRIVATE 16

struct thr_param {
  void (*start_func)(void *);
  void *arg;
  char *stack_base;
  size_t stack_size;
  char *tls_base;
  size_t tls_size;
  long *child_tid;
  long *parent_tid;
  int flags;
  void *rtp;
  void *spare[3];
};

static volatile unsigned flag;
static long child_tid, parent_tid;
static char stack[64 * 1024] __attribute__((aligned(16)));
static long thread_state;

static void thread_main(void *arg) {
  flag = (unsigned)(long)arg;
  sys5(SYS__umtx_op, &flag, UMTX_OP_WAKE_PRIVATE, 1, 0, 0);
  sys1(SYS_thr_exit, &thread_state);
}

int fbsd_main(void) {
  struct thr_param param = {thread_main, (void *)42, stack, sizeof stack, 0, 0, &child_tid, &parent_tid, 0, 0, {0}};
  long rc = sys2(SYS_thr_new, &param, sizeof param);
  show("thr_new", rc);
  if (rc != 0) return 1;
  while (flag == 0) sys5(SYS__umtx_op, &flag, UMTX_OP_WAIT_UINT_PRIVATE, 0, 0, 0);
  show("flag", flag);
  show("tids_match", child_tid == parent_tid && child_tid > 0);
  return 0;
}
