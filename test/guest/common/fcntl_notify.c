/*
 * fcntl's signal-driven commands: F_NOTIFY (dnotify) on a directory with F_SETSIG's real-time
 * signal, reported to an SA_SIGINFO handler when a file is made there; F_GETSIG; leases
 * (F_SETLEASE/F_GETLEASE). Prints only what does not depend on the architecture.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got_signo, got_code;

static void on_signal(int sig, siginfo_t *info, void *context) {
  (void)context;
  got_signo = sig;
  got_code = info->si_code;
}

int main(void) {
  char dir[] = "/tmp/fcntl_notify.XXXXXX";
  if (!mkdtemp(dir)) return 1;
  struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO};
  sigaction(SIGRTMIN + 2, &sa, NULL);
  int d = open(dir, O_RDONLY | O_DIRECTORY);
  printf("F_GETSIG before: %d\n", fcntl(d, F_GETSIG));
  printf("F_SETSIG: %d\n", fcntl(d, F_SETSIG, SIGRTMIN + 2));
  printf("F_GETSIG is SIGRTMIN+2: %d\n", fcntl(d, F_GETSIG) == SIGRTMIN + 2);
  printf("F_NOTIFY: %d\n", fcntl(d, F_NOTIFY, DN_CREATE | DN_MULTISHOT));
  char path[64];
  snprintf(path, sizeof path, "%s/new", dir);
  int f = open(path, O_CREAT | O_WRONLY, 0600);
  for (int i = 0; i < 100 && !got_signo; i++) usleep(10000);
  printf("signal is SIGRTMIN+2: %d, si_code %d\n", got_signo == SIGRTMIN + 2, got_code);
  int onFile = fcntl(f, F_NOTIFY, DN_CREATE);
  printf("F_NOTIFY on a file: %d %s\n", onFile, strerror(errno));
  close(f);

  int r = open(path, O_RDONLY);
  printf("F_GETLEASE: %d\n", fcntl(r, F_GETLEASE));
  printf("F_SETLEASE F_RDLCK: %d\n", fcntl(r, F_SETLEASE, F_RDLCK));
  printf("F_GETLEASE is F_RDLCK: %d\n", fcntl(r, F_GETLEASE) == F_RDLCK);
  printf("F_SETLEASE F_UNLCK: %d\n", fcntl(r, F_SETLEASE, F_UNLCK));
  close(r);
  unlink(path);
  rmdir(dir);
  return 0;
}
