/* _umtx_op wait and wake within one thread: a changed value returns at once, timeouts expire. */
#include "fbsd.h"

#define UMTX_OP_WAIT 2
#define UMTX_OP_WAKE 3
#define UMTX_OP_WAIT_UINT_PRIVATE 15
#define UMTX_OP_WAKE_PRIVATE 16
#define UMTX_ABSTIME 1
#define CLOCK_MONOTONIC 4

struct timespec { long sec, nsec; };
struct umtx_time { struct timespec timeout; unsigned flags, clockid; };

static long umtx(void *obj, int op, unsigned long val, void *uaddr, void *uaddr2) {
  return sys5(SYS__umtx_op, obj, op, val, uaddr, uaddr2);
}

int fbsd_main(void) {
  unsigned word = 5;
  long wide = 7;
  show("changed", umtx(&word, UMTX_OP_WAIT_UINT_PRIVATE, 4, 0, 0));
  show("changed_long", umtx(&wide, UMTX_OP_WAIT, 6, 0, 0));
  struct timespec rel = {0, 30000000};
  show("relative_timeout", umtx(&word, UMTX_OP_WAIT_UINT_PRIVATE, 5, (void *)sizeof rel, &rel));
  struct umtx_time abs;
  sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &abs.timeout);
  abs.timeout.nsec += 30000000;
  if (abs.timeout.nsec >= 1000000000) abs.timeout.sec++, abs.timeout.nsec -= 1000000000;
  abs.flags = UMTX_ABSTIME;
  abs.clockid = CLOCK_MONOTONIC;
  show("absolute_timeout", umtx(&wide, UMTX_OP_WAIT, 7, (void *)sizeof abs, &abs));
  show("wake", umtx(&word, UMTX_OP_WAKE_PRIVATE, 1, 0, 0));
  show("wake_shared", umtx(&word, UMTX_OP_WAKE, 1, 0, 0));
  show("bad_op", umtx(&word, 999, 0, 0, 0));
  return 0;
}
