/* Guest program of the binfmt tests: shows argv (argv[0] is what the P flag preserves) and exits 7. */
#include <stdio.h>

int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  return 7;
}
