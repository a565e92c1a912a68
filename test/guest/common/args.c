/*
 * The initial process state the loader builds: argc/argv, the environment (sorted), and the
 * auxiliary vector entries whose values both emulators must agree on (no AT_HWCAP: CPU feature
 * bits may legitimately differ; no AT_RANDOM value or stack addresses).
 * usage: args [ARG...] | args env-order (prints only envp, in the order the guest received it)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static void print_aux(const char *name, unsigned long type) {
  printf("%s=%#lx\n", name, getauxval(type));
}

static void print_aux_string(const char *name, unsigned long type) {
  const char *s = (const char *)getauxval(type);
  printf("%s=%s\n", name, s ? s : "(none)");
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv, char **envp) {
  int envc = 0;
  while (envp[envc]) envc++;
  if (argc == 2 && strcmp(argv[1], "env-order") == 0) {
    for (int i = 0; i < envc; i++) printf("envp[%d]=\"%s\"\n", i, envp[i]);
    return 0;
  }
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=\"%s\"\n", i, argv[i]);
  printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "not NULL");
  printf("envc=%d environ==envp %d\n", envc, environ == envp);
  char **sorted = malloc(sizeof(char *) * (size_t)envc);
  memcpy(sorted, envp, sizeof(char *) * (size_t)envc);
  qsort(sorted, (size_t)envc, sizeof(char *), cmp_str);
  for (int i = 0; i < envc; i++) printf("env (sorted) \"%s\"\n", sorted[i]);
  const char *v = getenv("TSEMU_TEST_VAR");
  printf("getenv(TSEMU_TEST_VAR)=%s\n", v ? v : "(unset)");
  v = getenv("TSEMU_TEST_UNSET");
  printf("getenv(TSEMU_TEST_UNSET)=%s\n", v ? v : "(unset)");

  print_aux("AT_PAGESZ", AT_PAGESZ);
  print_aux("AT_PHENT", AT_PHENT);
  print_aux("AT_PHNUM", AT_PHNUM);
  print_aux("AT_PHDR", AT_PHDR);
  print_aux("AT_ENTRY", AT_ENTRY);
  print_aux("AT_BASE", AT_BASE);
  print_aux("AT_FLAGS", AT_FLAGS);
  print_aux("AT_UID", AT_UID);
  print_aux("AT_EUID", AT_EUID);
  print_aux("AT_GID", AT_GID);
  print_aux("AT_EGID", AT_EGID);
  print_aux("AT_SECURE", AT_SECURE);
  print_aux("AT_CLKTCK", AT_CLKTCK);
  print_aux_string("AT_PLATFORM", AT_PLATFORM);
  print_aux_string("AT_EXECFN", AT_EXECFN);
  printf("AT_RANDOM present %d\n", getauxval(AT_RANDOM) != 0);

  printf("sysconf(_SC_PAGESIZE)=%ld\n", sysconf(_SC_PAGESIZE));
  printf("getuid==AT_UID %d\n", (unsigned long)getuid() == getauxval(AT_UID));
  /* The ABI requires a 16-byte aligned stack; argv and envp are 8-byte aligned pointers. */
  printf("argv aligned %d\n", ((uintptr_t)argv & 7) == 0);
  printf("argv strings after pointers %d\n", (uintptr_t)argv[0] > (uintptr_t)argv);
  return 0;
}
