/*
 * Runs the program its arguments name in a forked child, or with -n COUNT that many times one child
 * after the other (stopping at the first that fails), and exits with the last child's status.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int first = 1, times = 1;
  if (argc > 3 && strcmp(argv[1], "-n") == 0) {
    times = atoi(argv[2]);
    first = 3;
  }
  if (argc <= first) return 2;
  int result = 0;
  for (int i = 0; i < times && result == 0; i++) {
    pid_t child = fork();
    if (child == 0) {
      execv(argv[first], argv + first);
      _exit(127);
    }
    int status;
    if (child < 0 || waitpid(child, &status, 0) != child) return 1;
    result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return result;
}
