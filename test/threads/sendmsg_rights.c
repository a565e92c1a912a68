/*
 * A sendmsg larger than a stream socket takes at once, carrying a descriptor (SCM_RIGHTS), while
 * another thread of the same process reads the peer end slowly: the send completes, every byte
 * arrives in order, and the descriptor passed reads back what was written to it.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
/* Far more than a Unix stream socket buffers (about 200 KiB by default). */
#define BIG (1 << 20)
static int sv[2];
static char out[BIG], in[BIG];
static void *reader(void *arg) {
  (void)arg;
  size_t got = 0; int fd = -1;
  while (got < BIG) {
    usleep(2000);
    struct iovec iov = {in + got, 4096};
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
    struct msghdr m = {0}; m.msg_iov = &iov; m.msg_iovlen = 1; m.msg_control = c.buf; m.msg_controllen = sizeof c.buf;
    ssize_t r = recvmsg(sv[1], &m, 0);
    if (r <= 0) break;
    if (m.msg_controllen > 0 && CMSG_FIRSTHDR(&m)->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof fd);
    got += r;
  }
  char msg[32] = {0};
  if (fd >= 0) { lseek(fd, 0, SEEK_SET); read(fd, msg, sizeof msg - 1); }
  printf("reader: %zu bytes, same=%d, fd passed=%d, file says %s", got, memcmp(in, out, BIG) == 0, fd >= 0, msg);
  return 0;
}
int main(void) {
  for (int i = 0; i < BIG; i++) out[i] = (char)(i * 31);
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  FILE *f = tmpfile(); fputs("passed along\n", f); fflush(f);
  int fd = fileno(f);
  pthread_t t; pthread_create(&t, 0, reader, 0);
  struct iovec iov = {out, BIG};
  union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
  memset(&c, 0, sizeof c);
  struct msghdr m = {0}; m.msg_iov = &iov; m.msg_iovlen = 1; m.msg_control = c.buf; m.msg_controllen = sizeof c.buf;
  struct cmsghdr *h = CMSG_FIRSTHDR(&m); h->cmsg_level = SOL_SOCKET; h->cmsg_type = SCM_RIGHTS; h->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(h), &fd, sizeof fd);
  ssize_t r = sendmsg(sv[0], &m, 0);
  printf("sender: sendmsg returned %zd\n", r);
  fflush(stdout);
  pthread_join(t, 0);
  return 0;
}
