/* Prints what a FreeBSD process finds at entry: its arguments and the auxv entries the tests check. */
#include "fbsd.h"

#define AT_NULL 0
#define AT_PAGESZ 6
#define AT_EXECPATH 15
#define AT_CANARY 16
#define AT_CANARYLEN 17
#define AT_OSRELDATE 18
#define AT_NCPUS 19
#define AT_STACKPROT 23
#define AT_HWCAP 25

int fbsd_main(long *ap) {
  long argc = ap[0];
  char **argv = (char **)(ap + 1);
  char **envp = argv + argc + 1;
  show("argc", argc);
  for (long i = 0; i < argc; i++) {
    put("argv=");
    put(argv[i]);
    put("\n");
  }
  while (*envp) envp++;
  long *aux = (long *)(envp + 1);
  for (; aux[0] != AT_NULL; aux += 2) {
    switch (aux[0]) {
      case AT_PAGESZ: show("pagesz", aux[1]); break;
      case AT_OSRELDATE: show("osreldate", aux[1]); break;
      case AT_NCPUS: show("ncpus", aux[1]); break;
      case AT_STACKPROT: show("stackprot", aux[1]); break;
      case AT_CANARYLEN: show("canarylen", aux[1]); break;
      case AT_HWCAP: show("hwcap_fp_asimd", aux[1] & 3); break;
      case AT_CANARY: (void)*(volatile unsigned char *)aux[1]; show("canary_readable", 1); break;
      case AT_EXECPATH:
        put("execpath=");
        put((char *)aux[1]);
        put("\n");
        break;
    }
  }
  return 0;
}
