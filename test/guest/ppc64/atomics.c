/*
 * Atomic read-modify-writes of every width in a hot loop (lbarx/lharx/lwarx/ldarx with their
 * store-conditionals, and a compare-and-swap that may fail), so the loop is compiled by the
 * WebAssembly backend, where stcx. is one compare-and-swap in the guest's byte order.
 * Built with -mcpu=power8 for the byte and halfword forms.
 */
#include <stdint.h>
#include <stdio.h>

static volatile uint64_t c64;
static volatile uint32_t c32;
static volatile uint16_t c16;
static volatile uint8_t c8;

int main(void) {
  unsigned failed = 0;
  for (int i = 0; i < 200000; i++) {
    __atomic_fetch_add(&c64, 0x100000003ull, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&c32, 5, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&c16, 7, __ATOMIC_SEQ_CST);
    __atomic_fetch_xor(&c8, (uint8_t)i, __ATOMIC_SEQ_CST);
    uint32_t expected = (i & 1) ? c32 : c32 + 1;
    failed += !__atomic_compare_exchange_n(&c32, &expected, expected + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  }
  printf("c64 %#llx c32 %u c16 %u c8 %u failed cas %u\n", (unsigned long long)c64, c32, c16, c8, failed);
  return 0;
}
