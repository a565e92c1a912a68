/*
 * Pseudo-terminals: posix_openpt, grantpt, unlockpt and ptsname (TIOCGPTN, TIOCSPTLCK), the
 * slave opened by name and by TIOCGPTPEER, data both ways through the line discipline (canonical
 * and raw), window size, tcdrain/tcflush/tcflow (TCSBRK, TCFLSH, TCXONC), TIOCOUTQ, FIOCLEX and
 * FIONCLEX, and a child that makes the slave its controlling terminal (setsid, TIOCSCTTY,
 * TIOCGSID; TIOCNOTTY). Prints what does not depend on the architecture (no pty numbers, no pids).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, int r) { printf("%s: %d%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : ""); }

/* Reads what is there now (the line discipline has had time to pass it on). */
static void drain(const char *what, int fd) {
  char buf[64];
  struct pollfd p = {.fd = fd, .events = POLLIN};
  ssize_t n = poll(&p, 1, 2000) == 1 ? (usleep(20000), read(fd, buf, sizeof buf)) : 0;
  printf("%s: %zd [", what, n);
  for (ssize_t i = 0; i < n; i++) printf(buf[i] >= 32 && buf[i] < 127 ? "%c" : "\\x%02x", (unsigned char)buf[i]);
  printf("]\n");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  show("posix_openpt ok", m >= 0 ? 0 : -1);
  int locked = -1;
  ioctl(m, TIOCGPTLCK, &locked);
  printf("locked before unlockpt: %d\n", locked);
  show("grantpt", grantpt(m));
  show("unlockpt", unlockpt(m));
  ioctl(m, TIOCGPTLCK, &locked);
  printf("locked after: %d\n", locked);
  unsigned n = 0;
  show("TIOCGPTN", ioctl(m, TIOCGPTN, &n));
  const char *name = ptsname(m);
  char expected[32];
  snprintf(expected, sizeof expected, "/dev/pts/%u", n);
  printf("ptsname matches TIOCGPTN: %d\n", name && strcmp(name, expected) == 0);
  int s = open(name, O_RDWR | O_NOCTTY);
  show("slave open ok", s >= 0 ? 0 : -1);
  printf("isatty master %d slave %d\n", isatty(m), isatty(s));

  /* Canonical mode with echo: the master sees its own input echoed, the slave a whole line. */
  write(m, "hello\n", 6);
  drain("slave reads", s);
  drain("master reads echo", m);
  write(s, "out\n", 4);
  drain("master reads output (onlcr)", m);

  /* Raw mode on the slave: bytes pass as they are, no echo. */
  struct termios t;
  tcgetattr(s, &t);
  printf("default: icanon %d echo %d isig %d iexten %d opost %d onlcr %d icrnl %d ixon %d cread %d vintr %d verase %d veof %d vsusp %d\n",
         !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_lflag & ISIG), !!(t.c_lflag & IEXTEN), !!(t.c_oflag & OPOST),
         !!(t.c_oflag & ONLCR), !!(t.c_iflag & ICRNL), !!(t.c_iflag & IXON), !!(t.c_cflag & CREAD), t.c_cc[VINTR],
         t.c_cc[VERASE], t.c_cc[VEOF], t.c_cc[VSUSP]);
  cfmakeraw(&t);
  show("tcsetattr raw", tcsetattr(s, TCSANOW, &t));
  struct termios back;
  tcgetattr(s, &back);
  printf("raw read back: icanon %d echo %d isig %d opost %d icrnl %d cs8 %d vmin %d vtime %d\n", !!(back.c_lflag & ICANON),
         !!(back.c_lflag & ECHO), !!(back.c_lflag & ISIG), !!(back.c_oflag & OPOST), !!(back.c_iflag & ICRNL),
         (back.c_cflag & CSIZE) == CS8, back.c_cc[VMIN], back.c_cc[VTIME]);
  write(m, "a\rb", 3);
  drain("slave reads raw", s);
  write(s, "x\ny", 3);
  drain("master reads raw output", m);

  struct winsize w = {.ws_row = 24, .ws_col = 80};
  show("TIOCSWINSZ on master", ioctl(m, TIOCSWINSZ, &w));
  struct winsize got = {0};
  show("TIOCGWINSZ on slave", ioctl(s, TIOCGWINSZ, &got));
  printf("rows %d cols %d\n", got.ws_row, got.ws_col);

  show("tcdrain", tcdrain(s));
  show("tcflush TCIOFLUSH", tcflush(s, TCIOFLUSH));
  show("tcflow TCOON", tcflow(s, TCOON));
  int queued = -1;
  show("TIOCOUTQ", ioctl(s, TIOCOUTQ, &queued));
  printf("queued %d\n", queued);
  show("FIOCLEX", ioctl(s, FIOCLEX));
  printf("cloexec %d\n", (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);
  show("FIONCLEX", ioctl(s, FIONCLEX));
  printf("cloexec %d\n", (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);

  int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  show("TIOCGPTPEER ok", peer >= 0 ? 0 : -1);
  printf("peer cloexec %d, isatty %d\n", (fcntl(peer, F_GETFD) & FD_CLOEXEC) != 0, isatty(peer));
  show("TIOCGPTPEER bad flags", ioctl(m, TIOCGPTPEER, 0x40000000));

  /* A child in a new session takes the slave as its controlling terminal. */
  pid_t child = fork();
  if (child == 0) {
    setsid();
    int r = ioctl(s, TIOCSCTTY, 0);
    pid_t sid = -1;
    ioctl(s, TIOCGSID, &sid);
    printf("child: TIOCSCTTY %d, TIOCGSID is own session %d, tcgetsid %d\n", r, sid == getsid(0), tcgetsid(s) == getsid(0));
    _exit(0);
  }
  int status;
  waitpid(child, &status, 0);
  printf("child exit %d\n", WEXITSTATUS(status));
  show("TIOCGSID without controlling tty", ioctl(s, TIOCGSID, &(pid_t){0}));
  show("TIOCNOTTY without controlling tty", ioctl(s, TIOCNOTTY));
  show("unknown request", ioctl(s, 0x5499, 0));
  return 0;
}
