/*
 * The Power ISA 2.07 vector instructions Go's runtime and crypto use: vbpermq (edge indices below
 * and at/above 128), vgbbd (glibc's POWER8 string functions), vpopcnt{b,h,w,d}, vrl{b,h,w,d},
 * vpmsum{b,h,w,d} and vsl (Go's crc32),
 * vsr, vslo, vsro, vshasigma{w,d} with every ST and SIX, and the AES rounds vcipher, vcipherlast,
 * vncipher, vncipherlast and vsbox (Go's crypto/aes), over pseudo-random sources. The whole-register
 * shifts take their count from the last byte of VRB, as QEMU and POWER hardware do. Prints results as doublewords in element order, so both byte orders print
 * the same text.
 */
#include "vec128.h"

#define SIGMA(insn, st, six, a)                                \
  do {                                                         \
    v16 t;                                                     \
    __asm__(#insn " %0,%1," #st "," #six : "=v"(t) : "v"(a));  \
    show(#insn "/" #st "/" #six, t);                           \
  } while (0)

static void run(v16 a, v16 b) {
  show("a", a);
  show("b", b);
  BINARY(vbpermq, a, b);
  BINARY(vrlb, a, b);
  BINARY(vrlh, a, b);
  BINARY(vrlw, a, b);
  BINARY(vrld, a, b);
  BINARY(vpmsumb, a, b);
  BINARY(vpmsumh, a, b);
  BINARY(vpmsumw, a, b);
  BINARY(vpmsumd, a, b);
  BINARY(vsl, a, b);
  BINARY(vsr, a, b);
  BINARY(vslo, a, b);
  BINARY(vsro, a, b);
  BINARY(vcipher, a, b);
  BINARY(vcipherlast, a, b);
  BINARY(vncipher, a, b);
  BINARY(vncipherlast, a, b);
  UNARY(vsbox, a);
  UNARY(vgbbd, a);
  UNARY(vgbbd, b);
  UNARY(vpopcntb, b);
  UNARY(vpopcnth, b);
  UNARY(vpopcntw, b);
  UNARY(vpopcntd, b);
  SIGMA(vshasigmaw, 0, 0, a);
  SIGMA(vshasigmaw, 0, 5, a);
  SIGMA(vshasigmaw, 1, 10, a);
  SIGMA(vshasigmaw, 1, 15, a);
  SIGMA(vshasigmad, 0, 0, a);
  SIGMA(vshasigmad, 0, 8, a);
  SIGMA(vshasigmad, 1, 2, a);
  SIGMA(vshasigmad, 1, 15, a);
  printf("\n");
}

int main(void) {
  v16 a, b;
  for (int k = 0; k < 16; k++) {
    a[k] = (unsigned char)(0x80 >> (k & 7));
    b[k] = (unsigned char)(k * 8);
  }
  run(a, b);
  for (int k = 0; k < 16; k++) b[k] = (unsigned char)(120 + k);
  run(a, b);
  for (int n = 0; n < 200; n++) {
    uint64_t r[4] = {next(), next(), next(), next()};
    memcpy(&a, r, 16);
    memcpy(&b, r + 2, 16);
    if (n % 2) for (int k = 0; k < 16; k++) b[k] &= 0x7f;
    run(a, b);
  }
  return 0;
}
