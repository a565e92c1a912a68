/* Reads all of stdin with read(2) in small pieces, then reports sizes and echoes each line reversed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (len + 100 > cap) buf = realloc(buf, cap *= 2);
    ssize_t n = read(0, buf + len, 37);
    if (n < 0) { perror("read"); return 1; }
    if (n == 0) break;
    len += (size_t)n;
  }
  size_t lines = 0;
  for (size_t i = 0; i < len; i++) lines += buf[i] == '\n';
  printf("bytes=%zu lines=%zu\n", len, lines);
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || buf[i] == '\n') {
      for (size_t j = i; j > start; j--) putchar(buf[j - 1]);
      putchar('\n');
      start = i + 1;
    }
  }
  return 0;
}
