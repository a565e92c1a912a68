/* The GICv3 of -M virt,gic-version=3: distributor, the redistributor of CPU 0 (its RD_base and
   SGI_base frames), and the CPU interface's system registers by their encodings (GIC architecture
   specification, ARM IHI 0069, 12.2). */
#include "virt.h"

#define GICR_RD 0x080a0000UL
#define GICR_SGI (GICR_RD + 0x10000UL)

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ISACTIVER 0x0300
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8
#define GICD_CTLR_ENABLE_GRP0 (1u << 0)
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_RWP (1u << 31)

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
/* In the SGI_base frame. */
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0c00
#define GICR_ICFGR1 0x0c04

#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR0_EL1 S3_0_C12_C8_0
#define ICC_EOIR0_EL1 S3_0_C12_C8_1
#define ICC_HPPIR0_EL1 S3_0_C12_C8_2
#define ICC_AP0R0_EL1 S3_0_C12_C8_4
#define ICC_AP1R0_EL1 S3_0_C12_C9_0
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_RPR_EL1 S3_0_C12_C11_3
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SGI0R_EL1 S3_0_C12_C11_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN0_EL1 S3_0_C12_C12_6
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

/* The system-register spellings expand before READ_SYSREG/WRITE_SYSREG stringify them. */
#define ICC_READ(name) READ_SYSREG_(name)
#define ICC_WRITE(name, v) WRITE_SYSREG_(name, v)
#define READ_SYSREG_(name) READ_SYSREG(name)
#define WRITE_SYSREG_(name, v) WRITE_SYSREG(name, v)

#define REG64(base, off) (*(volatile uint64_t *)((base) + (off)))
#define REG8(base, off) (*(volatile uint8_t *)((base) + (off)))
