/*
 * glibc's string and memory routines (hand-written SIMD on AArch64) over every length up to 300
 * and every source/destination alignment within 16 bytes, checked against simple byte loops;
 * strings ending right before an inaccessible page check that no routine reads past the end.
 * Built with -fno-builtin -fno-tree-loop-distribute-patterns so the reference loops stay loops.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAXLEN 300
static unsigned long checks, failures;

static void expect(int ok, const char *what, int len, int align) {
  checks++;
  if (!ok && failures++ < 20) printf("FAIL %s len=%d align=%d\n", what, len, align);
}

static size_t ref_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static const char *ref_strchr(const char *s, int c) {
  for (;; s++) { if (*s == (char)c) return s; if (!*s) return NULL; }
}
static const char *ref_strrchr(const char *s, int c) {
  const char *r = NULL;
  for (;; s++) { if (*s == (char)c) r = s; if (!*s) return r; }
}
static const void *ref_memchr(const void *p, int c, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) if (s[i] == (unsigned char)c) return s + i;
  return NULL;
}
static int sign(int x) { return (x > 0) - (x < 0); }
static int ref_memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++) if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}
static int ref_strcmp(const char *a, const char *b) {
  for (;; a++, b++) {
    if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    if (!*a) return 0;
  }
}

static unsigned char src_buf[MAXLEN + 64], dst_buf[MAXLEN + 64], ref_buf[MAXLEN + 64];

static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(1 + (i * 7 + seed) % 251);
}

int main(void) {
  for (int len = 0; len <= MAXLEN; len++) {
    for (int sa = 0; sa < 16; sa++) {
      for (int da = 0; da < 16; da += (len > 64 ? 5 : 1)) {
        fill(src_buf, sizeof src_buf, (unsigned)len);
        memset(dst_buf, 0xee, sizeof dst_buf);
        memcpy(dst_buf + da, src_buf + sa, (size_t)len);
        int ok = ref_memcmp(dst_buf + da, src_buf + sa, (size_t)len) == 0 &&
                 (da == 0 || dst_buf[da - 1] == 0xee) && dst_buf[da + len] == 0xee;
        expect(ok, "memcpy", len, sa * 16 + da);

        memset(dst_buf, 0x11, sizeof dst_buf);
        memset(dst_buf + da, sa, (size_t)len);
        ok = dst_buf[da + len] == 0x11 && (da == 0 || dst_buf[da - 1] == 0x11);
        for (int i = 0; i < len; i++) ok &= dst_buf[da + i] == sa;
        expect(ok, "memset", len, sa * 16 + da);
      }
      /* Overlapping moves both ways. */
      for (int shift = -9; shift <= 9; shift += 3) {
        int s = 24 + sa, d = 24 + sa + shift;
        fill(dst_buf, sizeof dst_buf, 3);
        memcpy(ref_buf, dst_buf, sizeof ref_buf);
        memmove(dst_buf + d, dst_buf + s, (size_t)len);
        unsigned char tmp[MAXLEN];
        for (int i = 0; i < len; i++) tmp[i] = ref_buf[s + i];
        for (int i = 0; i < len; i++) ref_buf[d + i] = tmp[i];
        expect(ref_memcmp(dst_buf, ref_buf, sizeof ref_buf) == 0, "memmove", len, sa * 100 + shift);
      }
      /* NUL-terminated strings at alignment sa. */
      char *s = (char *)src_buf + sa;
      fill(src_buf, sizeof src_buf, (unsigned)len + 5);
      s[len] = 0;
      expect(strlen(s) == ref_strlen(s), "strlen", len, sa);
      expect(strnlen(s, (size_t)len / 2) == (size_t)len / 2, "strnlen", len, sa);
      int c = len ? (unsigned char)s[len / 2] : 'x';
      expect(strchr(s, c) == ref_strchr(s, c), "strchr", len, sa);
      expect(strchr(s, 0) == s + len, "strchr nul", len, sa);
      expect(strrchr(s, c) == ref_strrchr(s, c), "strrchr", len, sa);
      expect(memchr(s, c, (size_t)len) == ref_memchr(s, c, (size_t)len), "memchr", len, sa);
      expect(memchr(s, 0xff, (size_t)len) == NULL, "memchr absent", len, sa);
      char *d = (char *)dst_buf + (15 - sa);
      memset(dst_buf, 0x55, sizeof dst_buf);
      char *end = stpcpy(d, s);
      expect(end == d + len && ref_strcmp(d, s) == 0, "stpcpy", len, sa);
      expect(strcmp(d, s) == 0, "strcmp equal", len, sa);
      expect(memcmp(d, s, (size_t)len) == 0, "memcmp equal", len, sa);
      if (len > 0) {
        int pos = (len * 5 + sa) % len;
        d[pos] = (char)(d[pos] + 1 + sa % 3);
        if (d[pos] == 0) d[pos] = 1;
        expect(sign(strcmp(d, s)) == ref_strcmp(d, s), "strcmp differ", len, sa);
        expect(sign(strncmp(d, s, (size_t)pos)) == 0, "strncmp prefix", len, sa);
        expect(sign(memcmp(d, s, (size_t)len)) == ref_memcmp(d, s, (size_t)len), "memcmp differ", len, sa);
        d[pos] = (char)0xf0; /* high bit set: comparison must be unsigned */
        expect(sign(memcmp(d, s, (size_t)len)) == ref_memcmp(d, s, (size_t)len), "memcmp unsigned", len, sa);
        expect(sign(strcmp(d, s)) == ref_strcmp(d, s), "strcmp unsigned", len, sa);
      }
    }
  }

  /* Strings that end exactly at the end of a readable page, followed by PROT_NONE. */
  long page = sysconf(_SC_PAGESIZE);
  unsigned char *m = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(m + page, (size_t)page, PROT_NONE);
  for (int len = 0; len < 100; len++) {
    char *s = (char *)m + page - len - 1;
    memset(s, 'q', (size_t)len);
    s[len] = 0;
    expect(strlen(s) == (size_t)len, "strlen at page end", len, 0);
    expect(strchr(s, 'z') == NULL, "strchr at page end", len, 0);
    expect(strrchr(s, 'q') == (len ? s + len - 1 : NULL), "strrchr at page end", len, 0);
    expect(memchr(s, 'z', (size_t)len + 1) == NULL, "memchr at page end", len, 0);
    expect(strcmp(s, s) == 0, "strcmp at page end", len, 0);
    char copy[128];
    strcpy(copy, s);
    expect(strcmp(copy, s) == 0, "strcpy at page end", len, 0);
  }

  char buf[64];
  strcpy(buf, "foo");
  strcat(buf, "bar");
  strncat(buf, "bazzz", 3);
  printf("strcat %s strspn %zu strcspn %zu strstr %s strpbrk %s\n", buf, strspn(buf, "fo"),
         strcspn(buf, "z"), strstr(buf, "rba"), strpbrk(buf, "zb"));
  char tok[] = "a,b,,c;d";
  char *save, *t = strtok_r(tok, ",;", &save);
  printf("tokens:");
  while (t) { printf(" [%s]", t); t = strtok_r(NULL, ",;", &save); }
  printf("\nstrcasecmp %d strncasecmp %d\n", strcasecmp("HeLLo", "hello"), sign(strncasecmp("abcD", "ABCE", 4)));
  char big[8192];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = 0;
  memcpy(big + 5000, "needle", 6);
  printf("strstr long %td memmem %td\n", strstr(big, "needle") - big,
         (char *)memmem(big, sizeof big, "aneedlea", 8) - big);
  printf("checks=%lu failures=%lu\n", checks, failures);
  return failures != 0;
}
