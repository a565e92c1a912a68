/*
 * The standard descriptors as the guest inherits them: their status flags (O_NONBLOCK above all: a
 * guest must not find its stdout pipe non-blocking because the emulator's runtime touched it, at
 * start or when the first thread starts) and that a large write to a pipe completes in full.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_flags(const char *when) {
  for (int fd = 0; fd <= 2; fd++) {
    int flags = fcntl(fd, F_GETFL);
    printf("%s: fd %d nonblock %d append %d\n", when, fd, flags >= 0 && (flags & O_NONBLOCK) != 0,
           flags >= 0 && (flags & O_APPEND) != 0);
  }
  fflush(stdout);
}

static void *thread_start(void *arg) { return arg; }

int main(void) {
  print_flags("start");
  pthread_t thread;
  if (pthread_create(&thread, NULL, thread_start, NULL) != 0 || pthread_join(thread, NULL) != 0) {
    perror("pthread");
    return 1;
  }
  print_flags("after a thread");
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
