/*
 * capget and capset through the raw syscalls (glibc has no wrappers; libcap and stress-ng make
 * them): the version probe (an unknown version is answered with the kernel's preferred one and
 * EINVAL), the sets of versions 1 and 3 for the process itself by pid 0 and by its pid, a NULL
 * data pointer, EFAULT, and in a forked child a capset that drops CAP_NET_RAW from the effective set.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int capget_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) { return syscall(SYS_capget, h, d); }
static int capset_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) { return syscall(SYS_capset, h, d); }

static void show(const char *what, int r, struct __user_cap_data_struct *d, int sets) {
  printf("%s: %d %s", what, r, r < 0 ? strerror(errno) : "ok");
  for (int i = 0; r == 0 && i < sets; i++) printf(" [%08x %08x %08x]", d[i].effective, d[i].permitted, d[i].inheritable);
  printf("\n");
}

int main(void) {
  struct __user_cap_header_struct h = { 0, 0 };
  struct __user_cap_data_struct d[2];
  int r = capget_(&h, NULL);
  printf("probe: %d %s version %08x\n", r, strerror(errno), h.version);
  h.version = _LINUX_CAPABILITY_VERSION_3;
  r = capget_(&h, NULL);
  printf("v3 with NULL data: %d\n", r);
  memset(d, 0xee, sizeof d);
  r = capget_(&h, d);
  show("v3 pid 0", r, d, 2);
  h.pid = getpid();
  r = capget_(&h, d);
  show("v3 own pid", r, d, 2);
  h.version = _LINUX_CAPABILITY_VERSION_1;
  h.pid = 0;
  memset(d, 0xee, sizeof d);
  r = capget_(&h, d);
  show("v1", r, d, 1);
  printf("v1 leaves the second set: %08x\n", d[1].effective);
  h.version = _LINUX_CAPABILITY_VERSION_3;
  errno = 0;
  r = capget_(&h, (struct __user_cap_data_struct *)16);
  printf("bad data: %d %s\n", r, strerror(errno));
  errno = 0;
  r = capget_((struct __user_cap_header_struct *)16, d);
  printf("bad header: %d %s\n", r, strerror(errno));
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    h.version = _LINUX_CAPABILITY_VERSION_3;
    h.pid = 0;
    capget_(&h, d);
    d[0].effective &= ~(1u << CAP_NET_RAW);
    r = capset_(&h, d);
    printf("child capset: %d\n", r);
    memset(d, 0xee, sizeof d);
    r = capget_(&h, d);
    show("child after", r, d, 2);
    h.version = 1;
    errno = 0;
    r = capset_(&h, d);
    printf("capset bad version: %d %s version %08x\n", r, strerror(errno), h.version);
    fflush(stdout);
    _exit(0);
  }
  waitpid(child, NULL, 0);
  return 0;
}
