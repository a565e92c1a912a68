/*
 * What a process learns about its system: uname (machine is the guest's, the rest the host's),
 * /proc/self/exe naming the guest program rather than the emulator, process and user ids,
 * processor count, resource limits, and the working directory.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv) {
  (void)argc;
  struct utsname u;
  uname(&u);
  printf("sysname=%s machine=%s\n", u.sysname, u.machine);
  printf("release=%s\n", u.release);
  printf("nodename=%s\n", u.nodename);
  char exe[4096] = {0};
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  printf("/proc/self/exe is the program %d\n", n > 0 && strcmp(exe, argv[0]) == 0);
  printf("pid>1 %d ppid>0 %d pid==tid %d\n", getpid() > 1, getppid() > 0, getpid() == gettid());
  printf("uid=%d euid=%d gid=%d egid=%d\n", getuid(), geteuid(), getgid(), getegid());
  printf("processors %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  printf("RLIMIT_NOFILE soft>=256 %d\n", rl.rlim_cur >= 256);
  char cwd[4096];
  printf("getcwd absolute %d\n", getcwd(cwd, sizeof cwd) != NULL && cwd[0] == '/');
  printf("chdir .. %d\n", chdir(".."));
  printf("chdir back %d\n", chdir(cwd));
  return 0;
}
