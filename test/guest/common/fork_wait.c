/*
 * Processes: fork with a pipe from child to parent, waitpid exit statuses (normal exit and death
 * by signal). (No execve of a guest binary: QEMU without binfmt_misc hands it to the host kernel,
 * which cannot run it.)
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  int fds[2];
  pipe(fds);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const char msg[] = "hello from the child";
    write(fds[1], msg, sizeof msg);
    _exit(17);
  }
  close(fds[1]);
  char buf[64] = {0};
  ssize_t n = read(fds[0], buf, sizeof buf);
  int status;
  pid_t w = waitpid(pid, &status, 0);
  printf("read %zd '%s' waited same pid %d exited %d code %d\n", n, buf, w == pid,
         WIFEXITED(status), WEXITSTATUS(status));

  pid = fork();
  if (pid == 0) {
    raise(SIGTERM);
    _exit(0);
  }
  waitpid(pid, &status, 0);
  printf("signalled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));

  return 0;
}
