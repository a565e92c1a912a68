/* The /proc files that describe a process, as the guest reads them: /proc/self/exe (readlink and
 * open), /proc/self/cmdline and /proc/<pid>/cmdline, /proc/self/maps (every line parses in the
 * kernel's format; main, a stack variable and an anonymous mapping lie in lines of the right kind),
 * /proc/self/stat (pid, comm), /proc/self/auxv (matches getauxval). Prints only what is the same
 * on every run. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t slurp(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    printf("open %s failed\n", path);
    return 0;
  }
  size_t n = 0;
  ssize_t r;
  while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0) n += (size_t)r;
  buf[n] = 0;
  close(fd);
  return n;
}

static void cmdline(const char *path) {
  char buf[4096];
  size_t n = slurp(path, buf, sizeof buf);
  for (size_t i = 0; i < n; i++) if (buf[i] == 0) buf[i] = '|';
  printf("%s: %zu bytes: %s\n", strncmp(path, "/proc/self", 10) == 0 ? "self cmdline" : "pid cmdline", n, buf);
}

static int maps(void) {
  static char buf[1 << 16];
  slurp("/proc/self/maps", buf, sizeof buf);
  int stackvar = 0;
  void *anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  slurp("/proc/self/maps", buf, sizeof buf);
  unsigned long code = (unsigned long)&maps, stack = (unsigned long)&stackvar, a = (unsigned long)anon;
  int lines = 0, bad = 0, code_ok = 0, stack_ok = 0, anon_ok = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    unsigned long start, end, offset, inode;
    unsigned major, minor;
    char perms[5];
    int name_at = 0;
    lines++;
    if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &start, &end, perms, &offset, &major, &minor, &inode, &name_at) < 7) {
      bad++;
      continue;
    }
    const char *name = name_at ? line + name_at : "";
    if (code >= start && code < end) code_ok = perms[0] == 'r' && perms[2] == 'x' && perms[3] == 'p' && inode != 0 && strstr(name, "procfs") != NULL;
    if (stack >= start && stack < end) stack_ok = strcmp(perms, "rw-p") == 0 && strcmp(name, "[stack]") == 0;
    if (a >= start && a < end) anon_ok = strcmp(perms, "rw-p") == 0 && inode == 0 && major == 0 && minor == 0 && end - a >= 3 * 4096;
  }
  printf("maps: lines>3=%d unparsed=%d code=%d stack=%d anonymous=%d\n", lines > 3, bad, code_ok, stack_ok, anon_ok);
  return 0;
}

static void stat_file(void) {
  char buf[4096];
  slurp("/proc/self/stat", buf, sizeof buf);
  int pid = 0;
  char comm[64] = "";
  char state = '?';
  sscanf(buf, "%d (%63[^)]) %c", &pid, comm, &state);
  printf("stat: pid-ok=%d comm=%s state=%c\n", pid == getpid(), comm, state);
}

static void auxv(void) {
  unsigned long buf[512];
  int fd = open("/proc/self/auxv", O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  int pairs = 0, pagesz = 0, hwcap = 0, entry = 0, ended = 0;
  for (ssize_t i = 0; (i + 2) * (ssize_t)sizeof(long) <= n; i += 2) {
    pairs++;
    if (buf[i] == AT_NULL) { ended = 1; break; }
    if (buf[i] == AT_PAGESZ) pagesz = buf[i + 1] == getauxval(AT_PAGESZ);
    if (buf[i] == AT_HWCAP) hwcap = buf[i + 1] == getauxval(AT_HWCAP);
    if (buf[i] == AT_ENTRY) entry = buf[i + 1] == getauxval(AT_ENTRY);
  }
  printf("auxv: pairs>5=%d ends-with-AT_NULL=%d size-is-pairs=%d AT_PAGESZ=%d AT_HWCAP=%d AT_ENTRY=%d\n", pairs > 5, ended,
         n == (ssize_t)(pairs * 2 * sizeof(long)), pagesz, hwcap, entry);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  char link[PATH_MAX] = "", real[PATH_MAX] = "";
  ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
  if (n >= 0) link[n] = 0;
  realpath(argv[0], real);
  printf("exe: readlink names the program=%d\n", strcmp(link, real) == 0);
  unsigned char ehdr[EI_NIDENT + 4];
  int fd = open("/proc/self/exe", O_RDONLY);
  int got = read(fd, ehdr, sizeof ehdr) == (ssize_t)sizeof ehdr;
  unsigned machine = ehdr[EI_DATA] == ELFDATA2LSB ? ehdr[18] | ehdr[19] << 8 : ehdr[19] | ehdr[18] << 8;
  printf("exe: open+read ELF magic=%d e_machine=%u\n", got && memcmp(ehdr, ELFMAG, SELFMAG) == 0, machine);
  close(fd);
  cmdline("/proc/self/cmdline");
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/cmdline", getpid());
  cmdline(path);
  maps();
  stat_file();
  if (argc > 1 && strcmp(argv[1], "auxv") == 0) auxv();
  if (argc > 1 && strcmp(argv[1], "cpuinfo") == 0) {
    char info[1 << 14];
    slurp("/proc/cpuinfo", info, sizeof info);
    fputs(info, stdout);
  }
  return 0;
}
