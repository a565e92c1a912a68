/*
 * Which Power ISA 3.0 (POWER9) instructions a CPU model decodes: each one runs once under a SIGILL
 * handler and the program prints its name with "ok" or "SIGILL". POWER8 (ISA 2.07) lacks them all;
 * the ISA 2.07 instructions at the end run on both. First the PVR, which Linux's mfpvr emulation
 * gives user space; with the argument `cpuinfo`, then only the first processor's cpu and revision
 * lines of /proc/cpuinfo.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;

static void on_sigill(int sig) {
  (void)sig;
  siglongjmp(env, 1);
}

static unsigned char buffer[64] __attribute__((aligned(16)));

#define CLOBBERS "r9", "r10", "vs0", "vs1", "vs2", "v0", "v1", "v2", "v3", "cr0", "xer", "memory"
/*
 * Runs `insn` with r9 = 7, r10 = 3 and %0 = a 16-byte aligned buffer; assembled for POWER9, the
 * rest of the program for the target's baseline (POWER8 for ppc64el).
 */
#define TRY(name, insn)                                                                          \
  do {                                                                                         \
    if (sigsetjmp(env, 1) == 0) {                                                              \
      __asm__ volatile(".machine push\n\t.machine power9\n\tli 9, 7\n\tli 10, 3\n\t" insn        \
                       "\n\t.machine pop" : : "b"(buffer) : CLOBBERS);                              \
      printf("%s ok\n", name);                                                                 \
    } else {                                                                                   \
      printf("%s SIGILL\n", name);                                                             \
    }                                                                                          \
  } while (0)

int main(int argc, char **argv) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigill;
  sigaction(SIGILL, &sa, NULL);
  unsigned long pvr;
  __asm__ volatile("mfpvr %0" : "=r"(pvr));
  printf("pvr=%#lx\n", pvr);
  if (argc > 1 && strcmp(argv[1], "cpuinfo") == 0) {
    char line[256];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
      if (strncmp(line, "cpu\t", 4) == 0) fputs(line, stdout);
      if (strncmp(line, "revision", 8) == 0) {
        fputs(line, stdout);
        break;
      }
    }
    return 0;
  }
  fflush(stdout);
  /* Fixed point. */
  TRY("addpcis", "addpcis 9, 0");
  TRY("modsw", "modsw 9, 9, 10");
  TRY("moduw", "moduw 9, 9, 10");
  TRY("modsd", "modsd 9, 9, 10");
  TRY("modud", "modud 9, 9, 10");
  TRY("cnttzw", "cnttzw 9, 10");
  TRY("cnttzd", "cnttzd 9, 10");
  TRY("extswsli", "extswsli 9, 10, 3");
  TRY("mcrxrx", "mcrxrx 0");
  TRY("setb", "setb 9, 0");
  /* VSX loads and stores. */
  TRY("lxv", "lxv 0, 0(%0)");
  TRY("stxv", "stxv 0, 16(%0)");
  TRY("lxsd", "lxsd 2, 0(%0)");
  TRY("lxssp", "lxssp 2, 0(%0)");
  TRY("stxsd", "stxsd 2, 16(%0)");
  TRY("stxssp", "stxssp 2, 16(%0)");
  TRY("lxvx", "lxvx 0, 0, %0");
  TRY("stxvx", "stxvx 0, 0, %0");
  TRY("lxvwsx", "lxvwsx 0, 0, %0");
  TRY("lxvh8x", "lxvh8x 0, 0, %0");
  TRY("lxvb16x", "lxvb16x 0, 0, %0");
  TRY("stxvh8x", "stxvh8x 0, 0, %0");
  TRY("stxvb16x", "stxvb16x 0, 0, %0");
  TRY("lxsibzx", "lxsibzx 0, 0, %0");
  TRY("lxsihzx", "lxsihzx 0, 0, %0");
  TRY("stxsibx", "stxsibx 0, 0, %0");
  TRY("stxsihx", "stxsihx 0, 0, %0");
  TRY("mfvsrld", "mfvsrld 9, 0");
  TRY("mtvsrdd", "mtvsrdd 0, 9, 10");
  TRY("mtvsrws", "mtvsrws 0, 9");
  /* VMX and VSX. */
  TRY("vpermr", "vpermr 0, 1, 2, 3");
  TRY("xxperm", "xxperm 0, 1, 2");
  TRY("xxpermr", "xxpermr 0, 1, 2");
  TRY("xxspltib", "xxspltib 0, 5");
  TRY("xxbrh", "xxbrh 0, 1");
  TRY("xxbrw", "xxbrw 0, 1");
  TRY("xxbrd", "xxbrd 0, 1");
  TRY("xxbrq", "xxbrq 0, 1");
  TRY("xxextractuw", "xxextractuw 0, 1, 4");
  TRY("xxinsertw", "xxinsertw 0, 1, 4");
  TRY("vextractub", "vextractub 0, 1, 3");
  TRY("vextractuh", "vextractuh 0, 1, 2");
  TRY("vextractuw", "vextractuw 0, 1, 4");
  TRY("vextractd", "vextractd 0, 1, 8");
  TRY("vinsertb", "vinsertb 0, 1, 3");
  TRY("vinserth", "vinserth 0, 1, 2");
  TRY("vinsertw", "vinsertw 0, 1, 4");
  TRY("vinsertd", "vinsertd 0, 1, 8");
  TRY("vabsdub", "vabsdub 0, 1, 2");
  TRY("vabsduh", "vabsduh 0, 1, 2");
  TRY("vabsduw", "vabsduw 0, 1, 2");
  TRY("vnegw", "vnegw 0, 1");
  TRY("vnegd", "vnegd 0, 1");
  TRY("vextsb2w", "vextsb2w 0, 1");
  TRY("vextsh2w", "vextsh2w 0, 1");
  TRY("vextsb2d", "vextsb2d 0, 1");
  TRY("vextsh2d", "vextsh2d 0, 1");
  TRY("vextsw2d", "vextsw2d 0, 1");
  TRY("vcmpneb", "vcmpneb 0, 1, 2");
  TRY("vcmpneh", "vcmpneh 0, 1, 2");
  TRY("vcmpnew", "vcmpnew 0, 1, 2");
  TRY("vcmpnezb", "vcmpnezb 0, 1, 2");
  TRY("vcmpnezh", "vcmpnezh 0, 1, 2");
  TRY("vcmpnezw", "vcmpnezw 0, 1, 2");
  TRY("vctzb", "vctzb 0, 1");
  TRY("vctzh", "vctzh 0, 1");
  TRY("vctzw", "vctzw 0, 1");
  TRY("vctzd", "vctzd 0, 1");
  TRY("vprtybw", "vprtybw 0, 1");
  TRY("vprtybd", "vprtybd 0, 1");
  TRY("vprtybq", "vprtybq 0, 1");
  /* Floating-point status (ISA 3.0B). */
  TRY("mffsl", "mffsl 0");
  TRY("mffsce", "mffsce 0");
  TRY("mffscrn", "mffs 1\n\tmffscrn 0, 1");
  TRY("mffscrni", "mffscrni 0, 0");
  /* ISA 2.07, on both. */
  TRY("vpmsumd", "vpmsumd 0, 1, 2");
  TRY("mtvsrd", "mtvsrd 0, 9");
  TRY("vpopcntd", "vpopcntd 0, 1");
  TRY("popcntd", "popcntd 9, 10");
  return 0;
}
