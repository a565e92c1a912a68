/*
 * Ignored signals and the signal mask across execve, which the kernel keeps (a handled signal goes
 * back to its default action): `exec PROGRAM [ARG...]` ignores SIGINT and SIGALRM, handles SIGQUIT,
 * blocks SIGUSR1 and SIGTERM, then runs `PROGRAM [ARG...] report`, which prints what it was given
 * (SIGPIPE, which Node ignores for itself, must be at its default). PROGRAM may be a build for
 * another target or for the host, or an emulator given a build (`exec tsemu-aarch64 BUILD`).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_quit(int sig) { (void)sig; }

static const char *disposition(int sig) {
  struct sigaction sa;
  sigaction(sig, NULL, &sa);
  return sa.sa_handler == SIG_DFL ? "default" : sa.sa_handler == SIG_IGN ? "ignored" : "handled";
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "report") == 0) {
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("SIGINT %s, SIGQUIT %s, SIGUSR2 %s, SIGHUP %s, SIGPIPE %s, SIGALRM %s\n", disposition(SIGINT),
           disposition(SIGQUIT), disposition(SIGUSR2), disposition(SIGHUP), disposition(SIGPIPE), disposition(SIGALRM));
    printf("blocked: SIGUSR1 %d, SIGTERM %d, SIGUSR2 %d, SIGHUP %d\n", sigismember(&mask, SIGUSR1),
           sigismember(&mask, SIGTERM), sigismember(&mask, SIGUSR2), sigismember(&mask, SIGHUP));
    return 0;
  }
  if (argc > 2 && strcmp(argv[1], "exec") == 0) {
    signal(SIGINT, SIG_IGN);
    signal(SIGALRM, SIG_IGN);
    signal(SIGQUIT, on_quit);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    char *args[argc];
    for (int i = 2; i < argc; i++) args[i - 2] = argv[i];
    args[argc - 2] = "report";
    args[argc - 1] = NULL;
    execv(argv[2], args);
    perror("execv");
    return 1;
  }
  fprintf(stderr, "usage: %s report | exec PROGRAM\n", argv[0]);
  return 2;
}
