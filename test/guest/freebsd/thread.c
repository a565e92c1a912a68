/*
 * thr_new: a second thread sets a flag and wakes the main thread, which sleeps in _umtx_op; a
 * third sleeps 200 ms and then writes to a pipe the main thread waits on in kevent.
 */
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
static char stack2[64 * 1024] __attribute__((aligned(16)));
static int pipe_fds[2];

struct timespec { long sec, nsec; };
struct kevent {
  unsigned long ident;
  short filter;
  unsigned short flags;
  unsigned fflags;
  long data;
  void *udata;
  unsigned long ext[4];
};

static void writer_main(void *arg) {
  struct timespec pause = {0, 200000000};
  (void)arg;
  sys2(SYS_nanosleep, &pause, 0);
  sys3(SYS_write, pipe_fds[1], "late", 4);
  sys1(SYS_thr_exit, 0);
}

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

  sys2(SYS_pipe2, pipe_fds, 0);
  int kq = sys0(362);
  struct kevent change = {pipe_fds[0], -1, 0x1, 0, 0, 0, {0}}, event;
  sys6(560, kq, &change, 1, 0, 0, 0);
  struct thr_param writer = {writer_main, 0, stack2, sizeof stack2, 0, 0, 0, 0, 0, 0, {0}};
  show("thr_new2", sys2(SYS_thr_new, &writer, sizeof writer));
  show("kevent_waited", sys6(560, kq, 0, 0, &event, 1, 0));
  show("kevent_bytes", event.data);
  return 0;
}
