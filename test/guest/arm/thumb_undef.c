/*
 * Thumb encodings QEMU makes UNDEFINED where the ARM ARM says UNPREDICTABLE or should-be-zero
 * (found by the differential fuzzer, docs/fuzzing.md): a conditional branch (16-bit T1 or 32-bit
 * T3) inside an IT block, and BX/BLX with bits 2..0 not zero. Each dies by SIGILL; a branch in
 * an IT block whose condition fails is skipped, as any instruction there. Built for Thumb only.
 * `handled`: a SIGILL handler sees si_addr at the undefined instruction, an even address as the
 * kernel gives it (Thumb state is in CPSR.T, not in the pc).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char undefined_thumb_insn[];

static void on_sigill(int sig, siginfo_t *info, void *ctx) {
  (void)ctx;
  char line[96];
  uintptr_t at = (uintptr_t)undefined_thumb_insn & ~(uintptr_t)1;
  int n = snprintf(line, sizeof line, "handled: signal %d, si_addr at the instruction %d\n", sig, (uintptr_t)info->si_addr == at);
  write(1, line, n);
  _exit(0);
}

int main(int argc, char **argv) {
  const char *which = argc > 1 ? argv[1] : "";
  if (!strcmp(which, "b-in-it")) /* cmp r0, r0; it eq; beq.n +0; nop */
    asm volatile("cmp r0, r0\n\t.short 0xbf08, 0xd000, 0xbf00" : : : "cc");
  if (!strcmp(which, "b-in-it-skipped")) /* cmp r0, r0; it ne; bne.n +0; nop */
    asm volatile("cmp r0, r0\n\t.short 0xbf18, 0xd100, 0xbf00" : : : "cc");
  if (!strcmp(which, "bw-in-it")) /* cmp r0, r0; it eq; beq.w +0 */
    asm volatile("cmp r0, r0\n\t.short 0xbf08, 0xf000, 0x8000" : : : "cc");
  if (!strcmp(which, "handled")) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, 0);
    asm volatile(".global undefined_thumb_insn\n\t.type undefined_thumb_insn, %function\n\t.thumb_func\nundefined_thumb_insn:\n\tudf #0");
  }
  if (!strcmp(which, "bx-sbz")) /* bx lr with bit 1 set */
    asm volatile(".short 0x4772");
  printf("%s: no trap\n", which);
  return 0;
}
