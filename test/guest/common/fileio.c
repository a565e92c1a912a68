/*
 * File I/O round trip in the current directory (the test runs each emulator in a fresh temporary
 * directory): write/read in odd chunk sizes, lseek, pread/pwrite, readv/writev, ftruncate, stat,
 * stdio, dup/fcntl, rename, symlink/readlink, and the errno values of failing calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define SIZE 100003

static unsigned char pattern(size_t i) { return (unsigned char)(i * 131 + (i >> 7)); }

static uint32_t fnv1a(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static void report(const char *what, long ret) {
  if (ret < 0) printf("%s -> -1 %s\n", what, strerror(errno));
  else printf("%s -> %ld\n", what, ret);
}

int main(void) {
  umask(022);
  static unsigned char data[SIZE], back[SIZE];
  for (size_t i = 0; i < SIZE; i++) data[i] = pattern(i);

  int fd = open("data.bin", O_CREAT | O_EXCL | O_WRONLY, 0640);
  report("open O_CREAT|O_EXCL", fd < 0 ? -1 : 0);
  size_t off = 0, chunk = 1;
  while (off < SIZE) {
    size_t n = chunk < SIZE - off ? chunk : SIZE - off;
    ssize_t w = write(fd, data + off, n);
    if (w <= 0) { perror("write"); return 1; }
    off += (size_t)w;
    chunk = chunk * 3 + 1;
  }
  close(fd);
  report("open O_EXCL again", open("data.bin", O_CREAT | O_EXCL | O_WRONLY, 0640));

  struct stat st;
  report("stat", stat("data.bin", &st));
  printf("size=%lld reg=%d mode=%o nlink=%lu\n", (long long)st.st_size, S_ISREG(st.st_mode),
         st.st_mode & 07777, (unsigned long)st.st_nlink);

  fd = open("data.bin", O_RDONLY);
  off = 0;
  for (;;) {
    ssize_t r = read(fd, back + off, 4093);
    if (r < 0) { perror("read"); return 1; }
    if (r == 0) break;
    off += (size_t)r;
  }
  printf("read back %zu bytes, equal %d, fnv %08x\n", off, memcmp(data, back, SIZE) == 0,
         fnv1a(back, off));
  report("lseek SEEK_END", lseek(fd, 0, SEEK_END));
  report("lseek SEEK_SET 1000", lseek(fd, 1000, SEEK_SET));
  report("lseek SEEK_CUR -10", lseek(fd, -10, SEEK_CUR));
  unsigned char b4[4];
  report("read 4", read(fd, b4, 4));
  printf("bytes %02x %02x %02x %02x expect %02x\n", b4[0], b4[1], b4[2], b4[3], pattern(990));
  report("pread 8 at 50000", pread(fd, b4, 4, 50000));
  printf("pread ok %d, offset still %ld\n", b4[0] == pattern(50000), (long)lseek(fd, 0, SEEK_CUR));
  report("write on O_RDONLY", write(fd, "x", 1));
  close(fd);

  fd = open("data.bin", O_RDWR);
  report("pwrite", pwrite(fd, "HELLO", 5, 7));
  report("ftruncate 20", ftruncate(fd, 20));
  struct stat fst;
  fstat(fd, &fst);
  printf("fstat size=%lld\n", (long long)fst.st_size);
  char small[32] = {0};
  report("pread all", pread(fd, small, sizeof small, 0));
  printf("bytes 7..11 = %.5s\n", small + 7);
  report("ftruncate 5000 (sparse)", ftruncate(fd, 5000));
  report("pread past old end", pread(fd, small, 8, 4000));
  printf("zeros %d\n", small[0] == 0 && small[7] == 0);
  close(fd);

  /* Scatter/gather. */
  fd = open("vec.txt", O_CREAT | O_TRUNC | O_WRONLY, 0600);
  struct iovec iov[3] = {{"alpha ", 6}, {"", 0}, {"beta\n", 5}};
  report("writev", writev(fd, iov, 3));
  close(fd);
  char a[4], b[16] = {0};
  struct iovec riov[2] = {{a, sizeof a}, {b, sizeof b - 1}};
  fd = open("vec.txt", O_RDONLY);
  report("readv", readv(fd, riov, 2));
  printf("readv parts '%.4s' '%s'", a, b);
  close(fd);

  /* stdio on top. */
  FILE *f = fopen("stdio.txt", "w+");
  for (int i = 0; i < 100; i++) fprintf(f, "line %d %s\n", i, i % 3 ? "x" : "yy");
  rewind(f);
  char line[64];
  int count = 0, sum = 0, k;
  while (fgets(line, sizeof line, f)) {
    count++;
    if (sscanf(line, "line %d", &k) == 1) sum += k;
  }
  printf("stdio lines=%d sum=%d ftell=%ld\n", count, sum, ftell(f));
  fclose(f);

  /* Descriptors. */
  fd = open("vec.txt", O_RDONLY | O_CLOEXEC);
  printf("cloexec %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  int d = dup(fd);
  printf("dup cloexec %d, shares offset: ", (fcntl(d, F_GETFD) & FD_CLOEXEC) != 0);
  lseek(fd, 3, SEEK_SET);
  printf("%ld\n", (long)lseek(d, 0, SEEK_CUR));
  report("dup2 to 50", dup2(fd, 50));
  report("close 50", close(50));
  report("close 50 again", close(50));
  close(d);
  close(fd);
  fd = open("vec.txt", O_WRONLY | O_APPEND);
  printf("append flag %d accmode wronly %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0,
         (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY);
  write(fd, "gamma\n", 6);
  report("lseek end after append", lseek(fd, 0, SEEK_END));
  close(fd);

  /* Names. */
  report("rename", rename("vec.txt", "renamed.txt"));
  report("access old", access("vec.txt", F_OK));
  report("access new R_OK", access("renamed.txt", R_OK));
  report("symlink", symlink("renamed.txt", "link"));
  char target[64] = {0};
  report("readlink", readlink("link", target, sizeof target - 1));
  printf("readlink='%s'\n", target);
  struct stat lst;
  lstat("link", &lst);
  printf("lstat islnk %d, stat size %lld\n", S_ISLNK(lst.st_mode),
         (long long)(stat("link", &st) == 0 ? st.st_size : -1));
  report("link (hard)", link("renamed.txt", "hard"));
  stat("renamed.txt", &st);
  printf("nlink=%lu\n", (unsigned long)st.st_nlink);
  report("mkdir sub", mkdir("sub", 0755));
  report("mkdir sub again", mkdir("sub", 0755));
  report("open dir for writing", open("sub", O_WRONLY));
  report("open through file", open("renamed.txt/x", O_RDONLY));
  report("rmdir sub", rmdir("sub"));
  report("unlink link", unlink("link"));
  report("unlink hard", unlink("hard"));
  report("unlink renamed", unlink("renamed.txt"));
  report("open missing", open("renamed.txt", O_RDONLY));
  report("unlink missing", unlink("renamed.txt"));
  report("read bad fd", read(77, small, 1));
  char cwd[4096];
  printf("getcwd ok %d\n", getcwd(cwd, sizeof cwd) != NULL);
  unlink("data.bin");
  unlink("stdio.txt");
  return 0;
}
