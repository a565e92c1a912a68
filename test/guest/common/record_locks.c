/*
 * fcntl record locks between two processes: the parent write-locks bytes 10-29 and read-locks
 * 100 to the end; a forked child asks F_GETLK about several ranges (the conflicting lock's type,
 * start, length and owner come back), fails F_SETLK with EAGAIN on a locked range, takes an
 * unlocked one, and F_SETLKW waits until the parent unlocks. Built twice: with 32-bit file offsets
 * (struct flock of F_GETLK on 32-bit ABIs) and with -D_FILE_OFFSET_BITS=64 (F_GETLK64 and struct
 * flock64 there).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct flock range(short type, off_t start, off_t len) {
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = start;
  fl.l_len = len;
  return fl;
}

static int lock(int fd, int cmd, short type, off_t start, off_t len) {
  struct flock fl = range(type, start, len);
  return fcntl(fd, cmd, &fl);
}

static void query(int fd, pid_t parent, short type, off_t start, off_t len) {
  struct flock fl = range(type, start, len);
  int r = fcntl(fd, F_GETLK, &fl);
  printf("getlk %s %ld+%ld: %d type %s start %ld len %ld owner is parent %d\n", type == F_RDLCK ? "rd" : "wr", (long)start, (long)len, r,
         fl.l_type == F_UNLCK ? "unlck" : fl.l_type == F_RDLCK ? "rdlck" : "wrlck", (long)fl.l_start, (long)fl.l_len, fl.l_type != F_UNLCK && fl.l_pid == parent);
}

int main(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/tsemu-locks-%d", (int)getpid());
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  unlink(path);
  printf("parent locks: %d %d\n", lock(fd, F_SETLK, F_WRLCK, 10, 20), lock(fd, F_SETLK, F_RDLCK, 100, 0));
  int go[2], done[2];
  if (pipe(go) != 0 || pipe(done) != 0) return 1;
  fflush(stdout);
  pid_t parent = getpid();
  pid_t child = fork();
  if (child == 0) {
    query(fd, parent, F_RDLCK, 0, 5);
    query(fd, parent, F_RDLCK, 0, 15);
    query(fd, parent, F_WRLCK, 25, 100);
    query(fd, parent, F_RDLCK, 200, 10);
    query(fd, parent, F_WRLCK, 5000, 0);
    errno = 0;
    int r = lock(fd, F_SETLK, F_WRLCK, 15, 1);
    printf("setlk on locked: %d %s\n", r, strerror(errno));
    printf("setlk free: %d\n", lock(fd, F_SETLK, F_WRLCK, 40, 10));
    fflush(stdout);
    char c = 'g';
    if (write(go[1], &c, 1) != 1) _exit(1);
    r = lock(fd, F_SETLKW, F_WRLCK, 10, 20);
    printf("setlkw after the parent's unlock: %d\n", r);
    fflush(stdout);
    _exit(0);
  }
  char c;
  if (read(go[0], &c, 1) != 1) return 1;
  query(fd, parent, F_WRLCK, 45, 1);
  usleep(100000);
  printf("parent unlocks\n");
  fflush(stdout);
  int r = lock(fd, F_SETLK, F_UNLCK, 10, 20);
  int status;
  waitpid(child, &status, 0);
  printf("unlock %d, child exit %d\n", r, WEXITSTATUS(status));
  return 0;
}
