/* What the process test programs print about a child they wait for: its exit status or the signal that killed it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

static void report(const char *what, pid_t pid) {
  int status;
  if (waitpid(pid, &status, 0) != pid) {
    printf("%s: waitpid failed: %s\n", what, strerror(errno));
    return;
  }
  if (WIFEXITED(status)) printf("%s: exited %d\n", what, WEXITSTATUS(status));
  else if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", what, WTERMSIG(status));
  fflush(stdout);
}
