/*
 * Signal-numbered syscall arguments for -strace: kill, tkill and tgkill aimed at a process that does
 * not exist (every signal number 0..64, so none is delivered), rt_sigaction reading each signal's
 * action, and rt_sigprocmask with each `how` (3 is invalid) reading the mask.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NOBODY 999999

int main(void) {
  for (int sig = 0; sig <= 64; sig++) syscall(SYS_kill, NOBODY, sig);
  for (int sig = 0; sig <= 65; sig++) {
    unsigned char old[64];
    syscall(SYS_rt_sigaction, sig, 0, old, 8);
  }
  for (int how = 0; how <= 3; how++) {
    unsigned char old[8];
    syscall(SYS_rt_sigprocmask, how, 0, old, 8);
  }
  syscall(SYS_tgkill, NOBODY, NOBODY, SIGABRT);
  syscall(SYS_tkill, NOBODY, SIGKILL);
  return 0;
}
