/* A TCP echo over IPv4 loopback between two processes: the parent listens on an ephemeral port
 * and forks; the child connects, sends a line and prints the echo; the parent accepts, echoes and
 * reaps the child. Every wait is bounded (SO_RCVTIMEO, generously: a loaded machine is slow), so
 * a broken fork ends with a message instead of a hang. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct timeval limit = { .tv_sec = 30 };
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ls, 1) < 0 || getsockname(ls, (struct sockaddr *)&addr, &len) < 0) {
    perror("listen");
    return 1;
  }
  setsockopt(ls, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  pid_t child = fork();
  if (child < 0) {
    perror("fork");
    return 1;
  }
  if (child == 0) {
    close(ls);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    if (connect(c, (struct sockaddr *)&addr, sizeof addr) < 0) {
      perror("child connect");
      _exit(2);
    }
    const char line[] = "ping from the child";
    send(c, line, sizeof line, 0);
    char buf[64] = {0};
    ssize_t n = recv(c, buf, sizeof buf, MSG_WAITALL);
    printf("child: echo %zd '%s'\n", n, buf);
    _exit(n == sizeof line ? 0 : 3);
  }
  int s = accept(ls, NULL, NULL);
  if (s < 0) {
    perror("parent accept");
    return 1;
  }
  char buf[64] = {0};
  ssize_t n = recv(s, buf, sizeof buf, 0);
  printf("parent: got %zd '%s'\n", n, buf);
  send(s, buf, (size_t)n, 0);
  close(s);
  int status = 0;
  waitpid(child, &status, 0);
  printf("parent: child exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));
  return 0;
}
