/* Stage-1 descriptor bits, TCR_EL1 fields and TLB maintenance for the MMU test programs (ARM ARM D8). */
#include <stdint.h>

#define DESC_TABLE 3UL
#define DESC_BLOCK 1UL
#define DESC_PAGE 3UL
#define ATTR_DEVICE (0UL << 2) /* MAIR attr0 */
#define ATTR_NORMAL (1UL << 2) /* MAIR attr1 */
#define AP_EL0 (1UL << 6)
#define AP_RO (1UL << 7)
#define SH_INNER (3UL << 8)
#define AF (1UL << 10)
#define NG (1UL << 11)
#define PXN (1UL << 53)
#define UXN (1UL << 54)
#define APTABLE_NO_EL0 (1UL << 61)
#define RAM_PAGE (DESC_PAGE | ATTR_NORMAL | SH_INNER | AF)
#define RAM_BLOCK (DESC_BLOCK | ATTR_NORMAL | SH_INNER | AF)
#define DEVICE_BLOCK (DESC_BLOCK | ATTR_DEVICE | AF)
#define DEVICE_PAGE (DESC_PAGE | ATTR_DEVICE | AF)

/* TCR_EL1: TnSZ, write-back inner shareable walks, granules, TBI and EPD bits. */
#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_WALKS ((1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 24) | (1UL << 26) | (3UL << 28))
#define TCR_TG0_4K (0UL << 14)
#define TCR_TG1_4K (2UL << 30)
#define TCR_TG1_64K (3UL << 30)
#define TCR_TG1_16K (1UL << 30)
#define TCR_EPD1 (1UL << 23)
#define TCR_TBI0 (1UL << 37)

#define SCTLR_M 1UL
#define SCTLR_C (1UL << 2)
#define SCTLR_I (1UL << 12)
#define SCTLR_WXN (1UL << 19)

static inline void isb(void) {
  __asm__ volatile("isb" ::: "memory");
}

/* MAIR attr0 device-nGnRnE, attr1 normal write-back; then the MMU on with these tables. */
static inline void mmu_on(uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1) {
  __asm__ volatile("msr mair_el1, %0" ::"r"(0xff00UL));
  __asm__ volatile("msr tcr_el1, %0" ::"r"(tcr));
  __asm__ volatile("msr ttbr0_el1, %0" ::"r"(ttbr0));
  __asm__ volatile("msr ttbr1_el1, %0" ::"r"(ttbr1));
  __asm__ volatile("dsb ish\n isb" ::: "memory");
  uint64_t sctlr;
  __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
  __asm__ volatile("msr sctlr_el1, %0\n isb" ::"r"(sctlr | SCTLR_M | SCTLR_C | SCTLR_I) : "memory");
}

static inline void tlbi_va(uint64_t va) {
  __asm__ volatile("dsb ishst\n tlbi vae1is, %0\n dsb ish\n isb" ::"r"((va >> 12) & 0xfffffffffffUL) : "memory");
}

static inline void tlbi_va_asid(uint64_t va, uint64_t asid) {
  __asm__ volatile("dsb ishst\n tlbi vae1is, %0\n dsb ish\n isb" ::"r"(((va >> 12) & 0xfffffffffffUL) | (asid << 48))
                   : "memory");
}

static inline void tlbi_asid(uint64_t asid) {
  __asm__ volatile("dsb ishst\n tlbi aside1is, %0\n dsb ish\n isb" ::"r"(asid << 48) : "memory");
}

static inline void tlbi_all(void) {
  __asm__ volatile("dsb ishst\n tlbi vmalle1is\n dsb ish\n isb" ::: "memory");
}

/* Makes instructions written to [p, p + n) visible to fetches through any alias. */
static inline void sync_code(volatile void *p) {
  __asm__ volatile("dc cvau, %0\n dsb ish\n ic iallu\n dsb ish\n isb" ::"r"(p) : "memory");
}
