/* Sockets within one process: a TCP echo over IPv4 loopback (listen on an ephemeral port,
 * getsockname, connect, accept4, send/recv, getpeername, shutdown), UDP sendto/recvfrom with the
 * sender's address, AF_UNIX socketpair with SCM_RIGHTS (a pipe's read end passed and read through)
 * and SCM_CREDENTIALS, a truncated control buffer (MSG_CTRUNC), socket options of several levels
 * and value kinds, and error cases. Prints only what is the same on every run. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define CHECK(x) do { if ((x) < 0) { printf("%s failed: %s\n", #x, strerror(errno)); return 1; } } while (0)

static int tcp_echo(void) {
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK(ls);
  int one = 1;
  CHECK(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  CHECK(bind(ls, (struct sockaddr *)&addr, sizeof addr));
  CHECK(listen(ls, 4));
  socklen_t len = sizeof addr;
  CHECK(getsockname(ls, (struct sockaddr *)&addr, &len));
  printf("tcp: bound family=%d len=%u addr=%s port-nonzero=%d\n", addr.sin_family, len, inet_ntoa(addr.sin_addr), addr.sin_port != 0);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(c);
  CHECK(connect(c, (struct sockaddr *)&addr, sizeof addr));
  struct sockaddr_in peer;
  len = sizeof peer;
  int s = accept4(ls, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
  CHECK(s);
  printf("tcp: accepted family=%d len=%u addr=%s cloexec=%d\n", peer.sin_family, len, inet_ntoa(peer.sin_addr), (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);
  struct sockaddr_in cpeer;
  len = sizeof cpeer;
  CHECK(getpeername(c, (struct sockaddr *)&cpeer, &len));
  printf("tcp: client peer port matches=%d\n", cpeer.sin_port == addr.sin_port);
  const char msg[] = "hello over tcp";
  printf("tcp: send %zd\n", send(c, msg, sizeof msg, 0));
  char buf[64] = {0};
  ssize_t n = recv(s, buf, sizeof buf, 0);
  printf("tcp: server got %zd '%s'\n", n, buf);
  printf("tcp: echo %zd\n", send(s, buf, n, 0));
  memset(buf, 0, sizeof buf);
  n = recv(c, buf, (size_t)n, MSG_WAITALL);
  printf("tcp: client got %zd '%s'\n", n, buf);
  CHECK(shutdown(c, SHUT_WR));
  printf("tcp: after shutdown server reads %zd\n", recv(s, buf, sizeof buf, 0));
  int nodelay = 1, got = 0;
  len = sizeof got;
  CHECK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay));
  CHECK(getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &got, &len));
  printf("tcp: TCP_NODELAY=%d len=%u\n", got != 0, len);
  int type = 0;
  len = sizeof type;
  CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len));
  int acc = 0;
  socklen_t alen = sizeof acc;
  CHECK(getsockopt(ls, SOL_SOCKET, SO_ACCEPTCONN, &acc, &alen));
  printf("tcp: SO_TYPE=%d SO_ACCEPTCONN=%d\n", type, acc);
  struct linger lg = { .l_onoff = 1, .l_linger = 7 }, lg2;
  len = sizeof lg2;
  CHECK(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
  CHECK(getsockopt(c, SOL_SOCKET, SO_LINGER, &lg2, &len));
  printf("tcp: SO_LINGER onoff=%d linger=%d len=%u\n", lg2.l_onoff != 0, lg2.l_linger, len);
  struct timeval tv = { .tv_sec = 3, .tv_usec = 250000 }, tv2;
  len = sizeof tv2;
  CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  CHECK(getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len));
  printf("tcp: SO_RCVTIMEO %ld.%06ld len-ok=%d\n", (long)tv2.tv_sec, (long)tv2.tv_usec, len == sizeof tv2);
  close(c);
  close(s);
  close(ls);
  return 0;
}

static int udp(void) {
  int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  CHECK(a);
  CHECK(b);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  CHECK(bind(b, (struct sockaddr *)&addr, sizeof addr));
  socklen_t len = sizeof addr;
  CHECK(getsockname(b, (struct sockaddr *)&addr, &len));
  char buf[32];
  errno = 0;
  printf("udp: empty nonblocking recv %zd %s\n", recv(b, buf, sizeof buf, 0), errno == EAGAIN ? "EAGAIN" : strerror(errno));
  printf("udp: sendto %zd\n", sendto(a, "datagram", 8, 0, (struct sockaddr *)&addr, sizeof addr));
  struct sockaddr_in from;
  len = sizeof from;
  memset(buf, 0, sizeof buf);
  ssize_t n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
  printf("udp: recvfrom %zd '%s' family=%d len=%u addr=%s\n", n, buf, from.sin_family, len, inet_ntoa(from.sin_addr));
  CHECK(connect(a, (struct sockaddr *)&addr, sizeof addr));
  char *words[3] = { "one", "three", "seventeen" };
  struct iovec iov[3];
  struct mmsghdr out[3], in[4];
  char bufs[4][16];
  struct iovec riov[4];
  memset(out, 0, sizeof out);
  memset(in, 0, sizeof in);
  memset(bufs, 0, sizeof bufs);
  for (int i = 0; i < 3; i++) {
    iov[i] = (struct iovec){ words[i], strlen(words[i]) };
    out[i].msg_hdr.msg_iov = &iov[i];
    out[i].msg_hdr.msg_iovlen = 1;
  }
  for (int i = 0; i < 4; i++) {
    riov[i] = (struct iovec){ bufs[i], sizeof bufs[i] - 1 };
    in[i].msg_hdr.msg_iov = &riov[i];
    in[i].msg_hdr.msg_iovlen = 1;
  }
  printf("udp: sendmmsg %d lens %u %u %u\n", sendmmsg(a, out, 3, 0), out[0].msg_len, out[1].msg_len, out[2].msg_len);
  int got = recvmmsg(b, in, 4, MSG_WAITFORONE, NULL);
  printf("udp: recvmmsg %d:", got);
  for (int i = 0; i < got; i++) printf(" %u '%s'", in[i].msg_len, bufs[i]);
  printf("\n");
  close(a);
  close(b);
  return 0;
}

static int unix_rights(void) {
  int sv[2], p[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  CHECK(pipe(p));
  CHECK(write(p[1], "through the pipe", 16));
  close(p[1]);
  int on = 1;
  CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
  char cbuf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
  memset(cbuf, 0, sizeof cbuf);
  struct iovec iov = { .iov_base = "x", .iov_len = 1 };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = CMSG_SPACE(sizeof(int)) };
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &p[0], sizeof(int));
  printf("unix: sendmsg %zd\n", sendmsg(sv[0], &m, 0));
  close(p[0]);

  char data[4] = {0};
  struct iovec riov = { .iov_base = data, .iov_len = sizeof data };
  char rbuf[256];
  struct msghdr r = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rbuf, .msg_controllen = sizeof rbuf };
  ssize_t n = recvmsg(sv[1], &r, MSG_CMSG_CLOEXEC);
  printf("unix: recvmsg %zd '%s' flags=%#x\n", n, data, r.msg_flags);
  for (struct cmsghdr *h = CMSG_FIRSTHDR(&r); h; h = CMSG_NXTHDR(&r, h)) {
    if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
      int fd;
      memcpy(&fd, CMSG_DATA(h), sizeof fd);
      char text[32] = {0};
      ssize_t got = read(fd, text, sizeof text - 1);
      printf("unix: SCM_RIGHTS len=%zu fd-is-lowest-free=%d cloexec=%d read %zd '%s'\n", (size_t)h->cmsg_len, fd == p[0], (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, got, text);
      close(fd);
    } else if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS) {
      struct ucred cr;
      memcpy(&cr, CMSG_DATA(h), sizeof cr);
      printf("unix: SCM_CREDENTIALS len=%zu pid-ok=%d uid-ok=%d gid-ok=%d\n", (size_t)h->cmsg_len, cr.pid == getpid(), cr.uid == getuid(), cr.gid == getgid());
    } else {
      printf("unix: other cmsg level=%d type=%d\n", h->cmsg_level, h->cmsg_type);
    }
  }

  /* Sending our own credentials explicitly. */
  struct ucred me = { .pid = getpid(), .uid = getuid(), .gid = getgid() };
  char cred[CMSG_SPACE(sizeof me)];
  memset(cred, 0, sizeof cred);
  struct msghdr cm = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cred, .msg_controllen = sizeof cred };
  struct cmsghdr *ch = CMSG_FIRSTHDR(&cm);
  ch->cmsg_level = SOL_SOCKET;
  ch->cmsg_type = SCM_CREDENTIALS;
  ch->cmsg_len = CMSG_LEN(sizeof me);
  memcpy(CMSG_DATA(ch), &me, sizeof me);
  printf("unix: sendmsg with credentials %zd\n", sendmsg(sv[0], &cm, 0));
  struct msghdr r2 = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rbuf, .msg_controllen = sizeof rbuf };
  n = recvmsg(sv[1], &r2, 0);
  struct cmsghdr *h2 = CMSG_FIRSTHDR(&r2);
  struct ucred cr2;
  if (h2) memcpy(&cr2, CMSG_DATA(h2), sizeof cr2);
  printf("unix: recvmsg %zd cmsg=%d type=%d pid-ok=%d\n", n, h2 != NULL, h2 ? h2->cmsg_type : -1, h2 && cr2.pid == getpid());

  /* A descriptor that does not fit: MSG_CTRUNC and nothing delivered. */
  int q[2];
  CHECK(pipe(q));
  m.msg_controllen = CMSG_SPACE(sizeof(int));
  c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &q[0], sizeof(int));
  int on0 = 0;
  CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on0, sizeof on0));
  printf("unix: sendmsg %zd\n", sendmsg(sv[0], &m, 0));
  struct msghdr r3 = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rbuf, .msg_controllen = 4 };
  n = recvmsg(sv[1], &r3, 0);
  printf("unix: small control buffer recvmsg %zd ctrunc=%d controllen=%zu\n", n, (r3.msg_flags & MSG_CTRUNC) != 0, (size_t)r3.msg_controllen);
  int probe = dup(0);
  printf("unix: no descriptor leaked=%d\n", probe == q[1] + 1);
  close(probe);

  errno = 0;
  memcpy(CMSG_DATA(c), &(int){ 999 }, sizeof(int));
  printf("unix: SCM_RIGHTS of a closed descriptor %zd %s\n", sendmsg(sv[0], &m, 0), strerror(errno));
  struct sockaddr_un un;
  socklen_t ulen = sizeof un;
  CHECK(getsockname(sv[0], (struct sockaddr *)&un, &ulen));
  printf("unix: unnamed getsockname family=%d len=%u\n", un.sun_family, ulen);
  close(q[0]);
  close(q[1]);
  close(sv[0]);
  close(sv[1]);
  return 0;
}

static int errors(void) {
  errno = 0;
  printf("errors: socket(bad family) %d %s\n", socket(12345, SOCK_STREAM, 0), strerror(errno));
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(1), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  errno = 0;
  printf("errors: connect on a bad fd %d %s\n", connect(77, (struct sockaddr *)&addr, sizeof addr), strerror(errno));
  int s = socket(AF_INET, SOCK_STREAM, 0);
  errno = 0;
  int v;
  socklen_t len = sizeof v;
  printf("errors: getsockopt unknown option %d %s\n", getsockopt(s, SOL_SOCKET, 9999, &v, &len), strerror(errno));
  errno = 0;
  printf("errors: connect to a closed port %d %s\n", connect(s, (struct sockaddr *)&addr, sizeof addr), strerror(errno));
  close(s);
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (tcp_echo() || udp() || unix_rights() || errors()) return 1;
  printf("done\n");
  return 0;
}
