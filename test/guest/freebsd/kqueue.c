/* kqueue/kevent on a pipe and a user event: readiness, byte counts, receipts, errors, timeouts, EOF. */
#include "fbsd.h"

#define SYS_kqueue 362
#define SYS_kevent 560
#define EVFILT_READ -1
#define EVFILT_USER -11
#define EV_ADD 0x1
#define EV_DELETE 0x2
#define EV_CLEAR 0x20
#define EV_RECEIPT 0x40
#define EV_ERROR 0x4000
#define EV_EOF 0x8000
#define NOTE_TRIGGER 0x01000000

struct kevent {
  unsigned long ident;
  short filter;
  unsigned short flags;
  unsigned fflags;
  long data;
  void *udata;
  unsigned long ext[4];
};
struct timespec { long sec, nsec; };

static long kevent(int kq, struct kevent *changes, int n, struct kevent *events, int m, struct timespec *t) {
  return sys6(SYS_kevent, kq, changes, n, events, m, t);
}

static void set(struct kevent *e, unsigned long ident, short filter, unsigned short flags, unsigned fflags, void *udata) {
  fbsd_memset(e, 0, sizeof *e);
  e->ident = ident;
  e->filter = filter;
  e->flags = flags;
  e->fflags = fflags;
  e->udata = udata;
}

int fbsd_main(void) {
  int kq = sys0(SYS_kqueue);
  show("kqueue.ok", kq >= 0);
  int fds[2];
  sys2(SYS_pipe2, fds, 0);
  struct kevent change, ev[4];
  struct timespec zero = {0, 0}, short_wait = {0, 20000000};
  set(&change, fds[0], EVFILT_READ, EV_ADD, 0, (void *)0x1234);
  show("register", kevent(kq, &change, 1, 0, 0, 0));
  show("idle", kevent(kq, 0, 0, ev, 4, &zero));
  show("timeout", kevent(kq, 0, 0, ev, 4, &short_wait));
  sys3(SYS_write, fds[1], "abc", 3);
  show("ready", kevent(kq, 0, 0, ev, 4, 0));
  show("ready.ident_ok", ev[0].ident == (unsigned long)fds[0]);
  show("ready.filter", ev[0].filter);
  show("ready.data", ev[0].data);
  show("ready.udata_ok", ev[0].udata == (void *)0x1234);

  set(&change, 7, EVFILT_USER, EV_ADD | EV_CLEAR, 0, (void *)0x77);
  show("user.add", kevent(kq, &change, 1, 0, 0, 0));
  char buf[4];
  sys3(SYS_read, fds[0], buf, 3);
  show("user.idle", kevent(kq, 0, 0, ev, 4, &zero));
  set(&change, 7, EVFILT_USER, 0, NOTE_TRIGGER, 0);
  show("user.trigger", kevent(kq, &change, 1, ev, 4, &zero));
  show("user.filter", ev[0].filter);
  show("user.ident", ev[0].ident);
  show("user.cleared", kevent(kq, 0, 0, ev, 4, &zero));

  set(&change, 99, EVFILT_READ, EV_DELETE, 0, 0);
  show("error.count", kevent(kq, &change, 1, ev, 4, &zero));
  show("error.flag", (ev[0].flags & EV_ERROR) != 0);
  show("error.data", ev[0].data);
  show("error.noroom", kevent(kq, &change, 1, 0, 0, &zero));
  set(&change, fds[1], EVFILT_READ, EV_ADD | EV_RECEIPT, 0, 0);
  show("receipt.count", kevent(kq, &change, 1, ev, 4, &zero));
  show("receipt.data", ev[0].data);

  sys1(SYS_close, fds[1]);
  show("eof.count", kevent(kq, 0, 0, ev, 4, &zero));
  show("eof.flag", (ev[0].flags & EV_EOF) != 0);
  show("badkq", kevent(0, 0, 0, ev, 4, &zero));
  return 0;
}
