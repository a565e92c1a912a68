/* Runs the program its arguments name by execv, replacing itself; without arguments it says so and exits. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    puts("nothing to exec");
    return 0;
  }
  execv(argv[1], argv + 1);
  perror("execv");
  return 127;
}
