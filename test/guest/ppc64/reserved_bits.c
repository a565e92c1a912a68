/*
 * Compares with their reserved bits set (the bit after BF, and cmp/cmpl's last bit): the ISA says
 * reserved fields in instructions are ignored, and QEMU 7.2 ignores these, so each compares as
 * its clean form does. Prints CR7 after each, for pairs of signed and unsigned edge values.
 */
#include <stdio.h>

#define CR7_AFTER(name, word)                                                                     \
  static unsigned name(long x, long y) {                                                          \
    register long a asm("r3") = x, b asm("r4") = y;                                               \
    unsigned long cr;                                                                             \
    asm volatile(".long " #word "\n\tmfcr %0" : "=r"(cr) : "r"(a), "r"(b) : "cr7");               \
    return (unsigned)(cr & 15);                                                                   \
  }

CR7_AFTER(cmpwi, 0x2fc30005) /* cmpwi cr7, r3, 5 */
CR7_AFTER(cmpdi, 0x2fe30005) /* cmpdi cr7, r3, 5 */
CR7_AFTER(cmplwi, 0x2bc30005) /* cmplwi cr7, r3, 5 */
CR7_AFTER(cmpldi, 0x2be30005) /* cmpldi cr7, r3, 5 */
CR7_AFTER(cmpw, 0x7fc32001) /* cmpw cr7, r3, r4 */
CR7_AFTER(cmpd, 0x7fe32001) /* cmpd cr7, r3, r4 */
CR7_AFTER(cmplw, 0x7fc32041) /* cmplw cr7, r3, r4 */
CR7_AFTER(cmpld, 0x7fe32041) /* cmpld cr7, r3, r4 */

int main(void) {
  static const long values[] = {-3, 0, 5, 7, 0x100000005l, -0x7fffffffffffffffl - 1};
  for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++)
    for (unsigned j = 0; j < sizeof values / sizeof values[0]; j++) {
      long x = values[i], y = values[j];
      printf("%lx %lx: %x %x %x %x  %x %x %x %x\n", x, y, cmpwi(x, y), cmpdi(x, y),
             cmplwi(x, y), cmpldi(x, y), cmpw(x, y), cmpd(x, y),
             cmplw(x, y), cmpld(x, y));
    }
  return 0;
}
