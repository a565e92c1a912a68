/*
 * Processes that become other programs, each in a forked child whose status the parent collects:
 * re-executing itself through /proc/self/exe with a changed argv[0] and argument, a `#!` script
 * whose interpreter is this program, a host shell through vfork + execve, posix_spawn of itself,
 * a two-process pipeline of itself, and the errors execve gives for a missing file, a directory
 * and a file without execute permission. Paths are printed as base names only, so the output is
 * the same for every architecture's build (the native build is the oracle).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wait_report.h"

extern char **environ;

static int child_mode(int argc, char **argv) {
  char *name = basename(argv[0]);
  if (strcmp(argv[1], "child") == 0) {
    printf("child: argv0=%s arg=%s\n", name, argc > 2 ? argv[2] : "-");
    return argc > 2 ? atoi(argv[2]) : 0;
  }
  if (strcmp(argv[1], "produce") == 0) {
    for (int i = 1; i <= 5; i++) printf("line %d\n", i * 3);
    return 0;
  }
  if (strcmp(argv[1], "consume") == 0) {
    char line[64];
    int sum = 0;
    while (fgets(line, sizeof line, stdin)) sum += atoi(line + 5);
    printf("consumer: sum %d\n", sum);
    return 0;
  }
  /* Run as a script interpreter: argv = self, the #! argument, the script, its arguments. */
  printf("interpreter: argv0=%s option=%s script=%s extra=%s\n", name, argv[1], argc > 2 ? basename(argv[2]) : "-",
         argc > 3 ? argv[3] : "-");
  return 9;
}

int main(int argc, char **argv) {
  if (argc > 1) return child_mode(argc, argv);
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n < 0) return 100;
  self[n] = 0;
  setvbuf(stdout, NULL, _IONBF, 0);

  pid_t pid = fork();
  if (pid == 0) {
    execl("/proc/self/exe", "renamed", "child", "7", (char *)NULL);
    _exit(127);
  }
  report("re-exec through /proc/self/exe", pid);

  const char *script = "exec_chain_script";
  int fd = open(script, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  dprintf(fd, "#!%s opt-1\necho this line is not run\n", self);
  close(fd);
  pid = fork();
  if (pid == 0) {
    execl(script, "script-argv0", "extra-arg", (char *)NULL);
    _exit(127);
  }
  report("#! script", pid);
  chmod(script, 0644);
  errno = 0;
  execl(script, script, (char *)NULL);
  printf("exec without execute permission: %s\n", strerror(errno));
  unlink(script);

  pid = vfork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", "echo host shell says hi; exit 5", (char *)NULL);
    _exit(127);
  }
  report("vfork + host shell", pid);

  char *spawn_argv[] = {"spawned", "child", "3", NULL};
  if (posix_spawn(&pid, self, NULL, NULL, spawn_argv, environ) == 0) report("posix_spawn", pid);

  int p[2];
  pipe(p);
  pid_t producer = fork();
  if (producer == 0) {
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    execl(self, "producer", "produce", (char *)NULL);
    _exit(127);
  }
  pid_t consumer = fork();
  if (consumer == 0) {
    dup2(p[0], 0);
    close(p[0]);
    close(p[1]);
    execl(self, "consumer", "consume", (char *)NULL);
    _exit(127);
  }
  close(p[0]);
  close(p[1]);
  /* The consumer prints before it exits, so waiting for it first keeps the output in one order. */
  report("consumer", consumer);
  report("producer", producer);

  errno = 0;
  execl("/nonexistent/program", "x", (char *)NULL);
  printf("exec of a missing file: %s\n", strerror(errno));
  errno = 0;
  execl("/", "x", (char *)NULL);
  printf("exec of a directory: %s\n", strerror(errno));
  return 0;
}
