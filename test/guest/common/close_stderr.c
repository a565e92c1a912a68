/*
 * A forked child that closes its standard error before it exits, as coreutils and xz do (gnulib's
 * close_stdout): the parent reports how the child ended. Under -strace or -d stats, tsemu's log
 * lines after the close have nowhere to go; the child must still end as it does natively.
 */
#include <stdio.h>
#include <unistd.h>

#include "wait_report.h"

int main(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(2);
    _exit(3);
  }
  report("child", pid);
  return 0;
}
