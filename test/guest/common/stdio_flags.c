/*
 * The standard descriptors as the guest inherits them: their status flags (O_NONBLOCK above all: a
 * guest must not find its stdout pipe non-blocking because the emulator's runtime touched it) and
 * that a large write to a pipe completes in full.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  for (int fd = 0; fd <= 2; fd++) {
    int flags = fcntl(fd, F_GETFL);
    printf("fd %d nonblock %d append %d\n", fd, flags >= 0 && (flags & O_NONBLOCK) != 0,
           flags >= 0 && (flags & O_APPEND) != 0);
  }
  fflush(stdout);
  static char big[1 << 20];
  memset(big, 'x', sizeof big);
  big[sizeof big - 1] = '\n';
  size_t done = 0;
  while (done < sizeof big) {
    ssize_t n = write(1, big + done, sizeof big - done);
    if (n <= 0) {
      perror("write");
      return 1;
    }
    done += (size_t)n;
  }
  return 0;
}
