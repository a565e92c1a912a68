/*
 * Directory listing: creates a few hundred entries of assorted name lengths and types in the
 * current directory, then lists them with readdir (many getdents64 calls) and scandir, sorted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILES 300

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char type_char(unsigned char t) {
  switch (t) {
    case DT_REG: return 'f';
    case DT_DIR: return 'd';
    case DT_LNK: return 'l';
    case DT_UNKNOWN: return '?';
    default: return 'o';
  }
}

int main(void) {
  umask(022);
  mkdir("tree", 0755);
  char name[300];
  for (int i = 0; i < FILES; i++) {
    int len = 1 + (i * 37) % 200;
    int n = snprintf(name, sizeof name, "tree/%03d_", i);
    for (int j = 0; j < len; j++) name[n + j] = (char)('a' + (i + j) % 26);
    name[n + len] = 0;
    int fd = open(name, O_CREAT | O_WRONLY, 0644);
    write(fd, name, (size_t)(i % 50));
    close(fd);
  }
  mkdir("tree/subdir", 0700);
  symlink("000_a", "tree/zz_link");
  symlink("dangling-target", "tree/zz_dangling");

  DIR *d = opendir("tree");
  if (!d) { perror("opendir"); return 1; }
  char **names = malloc(sizeof(char *) * (FILES + 10));
  int count = 0;
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d)) != NULL) {
    char *s = malloc(strlen(e->d_name) + 3);
    sprintf(s, "%s %c", e->d_name, type_char(e->d_type));
    names[count++] = s;
  }
  printf("readdir end errno=%d\n", errno);
  closedir(d);
  qsort(names, (size_t)count, sizeof *names, cmp);
  printf("entries=%d\n", count);
  for (int i = 0; i < count; i++) {
    char path[512];
    char *sp = strrchr(names[i], ' ');
    *sp = 0;
    snprintf(path, sizeof path, "tree/%s", names[i]);
    struct stat st;
    long long size = lstat(path, &st) == 0 ? (long long)st.st_size : -1;
    if (strcmp(names[i], ".") == 0 || strcmp(names[i], "..") == 0 || S_ISDIR(st.st_mode)) size = 0;
    printf("%s %c %lld\n", names[i], sp[1], size);
  }

  struct dirent **list;
  int n = scandir("tree", &list, NULL, alphasort);
  printf("scandir=%d first=%s last=%s\n", n, list[0]->d_name, list[n - 1]->d_name);
  for (int i = 0; i < n; i++) free(list[i]);
  free(list);
  printf("opendir missing: %s\n", opendir("no-such-dir") ? "opened" : strerror(errno));
  printf("opendir file: %s\n", opendir("tree/000_a") ? "opened" : strerror(errno));
  return 0;
}
