/* String search: Boyer-Moore-Horspool and a naive scan for several patterns over a generated
   text of words, plus glibc's strstr and memchr; byte loads and unpredictable branches. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXT (4 << 20)
#define REPEAT 8

static char text[TEXT + 1];

static long horspool(const char *t, long n, const char *p, long m) {
  long shift[256], count = 0;
  for (int i = 0; i < 256; i++) shift[i] = m;
  for (long i = 0; i < m - 1; i++) shift[(unsigned char)p[i]] = m - 1 - i;
  for (long i = 0; i + m <= n;) {
    long j = m - 1;
    while (j >= 0 && t[i + j] == p[j]) j--;
    if (j < 0) count++;
    i += shift[(unsigned char)t[i + m - 1]];
  }
  return count;
}

static long naive(const char *t, long n, const char *p, long m) {
  long count = 0;
  for (long i = 0; i + m <= n; i++) {
    long j = 0;
    while (j < m && t[i + j] == p[j]) j++;
    count += j == m;
  }
  return count;
}

int main(void) {
  static const char *syll[] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "dan", "gor", "x"};
  uint32_t x = 12345;
  long n = 0;
  while (n < TEXT - 8) {
    x = x * 1103515245u + 12345u;
    const char *s = syll[(x >> 16) % 12];
    while (*s && n < TEXT) text[n++] = *s++;
    if ((x >> 8) % 4 == 0 && n < TEXT) text[n++] = ' ';
  }
  text[n] = 0;
  static const char *pats[] = {"kalomi", "dangor x", "ripo", "sutaveneka", "xx", "gorgorgor"};
  uint64_t check = 0;
  for (int r = 0; r < REPEAT; r++) {
    for (int k = 0; k < 6; k++) {
      long m = (long)strlen(pats[k]);
      long h = horspool(text, n, pats[k], m);
      long v = r == 0 ? naive(text, n, pats[k], m) : h;
      if (h != v) { puts("search mismatch"); return 1; }
      long s = 0;
      for (const char *q = text; (q = strstr(q, pats[k])) != NULL; q++) s++;
      long spaces = 0;
      for (const char *q = text; (q = memchr(q, ' ', (size_t)(text + n - q))) != NULL; q++) spaces++;
      check = check * 1000003 + (uint64_t)(h * 7 + s * 3 + spaces);
      if (r == 0) printf("%-10s %ld\n", pats[k], h);
    }
  }
  printf("strsearch checksum %016llx\n", (unsigned long long)check);
  return 0;
}
