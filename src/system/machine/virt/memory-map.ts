/**
 * The `virt` board's physical memory map and interrupt assignments (QEMU hw/arm/virt.c's
 * base_memmap and a15irqmap facts): the devices tsemu models, at the addresses Linux and
 * bare-metal programs written for QEMU expect.
 */

/** The two flash banks (QEMU's pflash_cfi01 devices): bank 0 holds -bios firmware, the CPU starts there. */
export const VIRT_FLASH = { base: 0x00000000, size: 0x04000000 };
export const VIRT_FLASH_BANKS = 2;
/** Each bank as QEMU's virt configures its pflash_cfi01: 256 KiB blocks, two x16 parts side by side, Intel's IDs. */
export const VIRT_FLASH_GEOMETRY = {
  size: VIRT_FLASH.size,
  sectorLength: 256 * 1024,
  bankWidth: 4,
  deviceWidth: 2,
  ids: [0x89, 0x18],
} as const;
export const VIRT_GIC_DIST = { base: 0x08000000, size: 0x10000 };
export const VIRT_GIC_CPU = { base: 0x08010000, size: 0x10000 };
/** The GICv3 redistributor region (room for 123 CPUs' two 64 KiB frames; the device tree gives its size). */
export const VIRT_GIC_REDIST = { base: 0x080a0000, size: 0xf60000 };
export const VIRT_UART = { base: 0x09000000, size: 0x1000 };
export const VIRT_RTC = { base: 0x09010000, size: 0x1000 };
/** QEMU's firmware configuration device: data, selector and DMA registers. */
export const VIRT_FW_CFG = { base: 0x09020000, size: 0x18 };
/** The virtio-mmio transports: VIRT_MMIO_COUNT windows of `size` bytes, one after another. */
export const VIRT_MMIO = { base: 0x0a000000, size: 0x200 };
export const VIRT_MMIO_COUNT = 32;
export const VIRT_RAM_BASE = 0x40000000;
/**
 * The devices' part of the map, from the GIC to RAM: the CPUs reach it through the MMIO bus only,
 * never through the guest window, so its part of the window holds the engines' private words
 * (SystemCpu's CpuBoard.engineSpace; room for 179 vCPUs' areas).
 */
export const VIRT_DEVICE_SPACE = { base: VIRT_GIC_DIST.base, size: VIRT_RAM_BASE - VIRT_GIC_DIST.base };
/** RAM must end below the emulator's private area of the guest window. */
export const VIRT_RAM_MAX = 0xfe000000 - VIRT_RAM_BASE;
export const VIRT_RAM_DEFAULT = 128 * 2 ** 20;

/** SPI numbers (the device tree's interrupt numbers; GIC ID = 32 + SPI). */
export const VIRT_UART_SPI = 1;
export const VIRT_RTC_SPI = 2;
/** Transport n's SPI is VIRT_MMIO_SPI + n. */
export const VIRT_MMIO_SPI = 16;

/** Generic timer PPIs (GIC ID = 16 + PPI): secure and non-secure physical, virtual, hypervisor. */
export const TIMER_PPI = { secure: 13, physical: 14, virtual: 11, hypervisor: 10 };

/** The phandle QEMU gives the clock; the CPUs' and the interrupt controller's follow it (device-tree.ts). */
export const PHANDLE = { clock: 0x8000 };
