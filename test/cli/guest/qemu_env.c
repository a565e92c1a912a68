/*
 * What qemu-user's environment variables and -seed change for a program: its argv[0], two
 * variables of its environment, and the 16 AT_RANDOM bytes (which -seed makes reproducible).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>

int main(int argc, char **argv) {
  (void)argc;
  const char *set = getenv("TSEMU_TEST_SET");
  const char *unset = getenv("TSEMU_TEST_UNSET");
  printf("argv[0] %s\nset %s\nunset %s\nAT_RANDOM ", argv[0], set ? set : "(none)", unset ? unset : "(none)");
  const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
  for (int i = 0; i < 16; i++) printf("%02x", random[i]);
  printf("\n");
  return 0;
}
