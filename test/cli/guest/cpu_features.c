/*
 * What a CPU model decides, as a program sees it: AT_HWCAP and AT_HWCAP2; with the argument
 * `cpuinfo` the Features and CPU identification lines of /proc/cpuinfo; with `lse` (AArch64) an
 * LSE atomic add, which a CPU without the atomics (ARMv8.0, HWCAP_ATOMICS clear) does not decode:
 * the program then dies by SIGILL; with `id` (AArch64) the ID registers EL0 reads (Linux emulates
 * the MRS).
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

int main(int argc, char **argv) {
  printf("hwcap=%#lx hwcap2=%#lx\n", getauxval(AT_HWCAP), getauxval(AT_HWCAP2));
  fflush(stdout);
  if (argc > 1 && strcmp(argv[1], "cpuinfo") == 0) {
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
      if (strncmp(line, "Features", 8) == 0 || strncmp(line, "CPU ", 4) == 0) fputs(line, stdout);
      if (strncmp(line, "CPU revision", 12) == 0) break;
    }
  }
#ifdef __aarch64__
  if (argc > 1 && strcmp(argv[1], "lse") == 0) {
    long value = 40, old;
    long *p = &value;
    /* ldadd x1, x0, [x2]: encoded by hand so the baseline -march assembles it. */
    __asm__ volatile("mov x1, #2\n\tmov x2, %1\n\t.inst 0xf8210040\n\tmov %0, x0"
                     : "=r"(old)
                     : "r"(p)
                     : "x0", "x1", "x2", "memory");
    printf("ldadd: old %ld new %ld\n", old, value);
  }
  if (argc > 1 && strcmp(argv[1], "id") == 0) {
    unsigned long midr, ctr, isar0;
    __asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
    printf("midr=%#lx ctr=%#lx isar0=%#lx\n", midr, ctr, isar0);
  }
#endif
  return 0;
}
