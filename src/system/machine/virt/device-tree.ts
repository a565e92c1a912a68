/**
 * The device tree `virt` hands its guest, with the nodes (names, properties, phandles) QEMU's
 * virt board generates for the devices tsemu models, in QEMU's order, so a kernel probes the same
 * drivers on both. Nodes for devices tsemu lacks (PCIe, GPIO, PMU) are left out.
 */
import { randomBytes } from 'node:crypto';
import { fdt, FdtNode } from '../fdt';
import type { SmpTopology } from '../machine';
import {
  PHANDLE,
  TIMER_PPI,
  VIRT_FLASH,
  VIRT_FLASH_BANKS,
  VIRT_FW_CFG,
  VIRT_GIC_CPU,
  VIRT_GIC_DIST,
  VIRT_GIC_REDIST,
  VIRT_MMIO,
  VIRT_MMIO_COUNT,
  VIRT_MMIO_SPI,
  VIRT_RAM_BASE,
  VIRT_RTC,
  VIRT_RTC_SPI,
  VIRT_UART,
  VIRT_UART_SPI,
} from './memory-map';

const GIC_SPI = 0;
const GIC_PPI = 1;
const IRQ_TYPE_EDGE_RISING = 1;
const IRQ_TYPE_LEVEL_HIGH = 4;
/** GICv2 PPI flags: the CPU mask in bits 15:8 (every CPU), then the trigger; a GICv3 binding has no mask. */
const ppiFlagsV2 = (cpus: number): number => (((1 << cpus) - 1) << 8) | IRQ_TYPE_LEVEL_HIGH;
const APB_CLOCK_HZ = 24_000_000;

export interface VirtTreeOptions {
  ramSize: number;
  cpuCompatible: string;
  smp: SmpTopology;
  /** Each CPU's MPIDR affinity fields (its node's `reg`). */
  cpuAffinities: readonly number[];
  /** Each CPU's place in the topology (its cpu-map node). */
  cpuPlaces: readonly { socket: number; cluster: number; core: number; thread: number }[];
  gicVersion: 2 | 3;
  bootargs?: string;
  initrd?: { start: number; end: number };
}

/** `parent`'s child called `name`, created if it has none. */
const childAt = (parent: FdtNode, name: string): FdtNode =>
  parent.children.find((c) => c.name === name) ?? parent.child(name);

const reg = (base: number, size: number): Uint8Array => fdt.cells(...fdt.u64(base), ...fdt.u64(size));
const hex = (n: number): string => n.toString(16);

export function virtDeviceTree(o: VirtTreeOptions): FdtNode {
  const cpuCount = o.smp.cpus;
  // QEMU hands out phandles as it builds: the clock, the CPUs from the last down, then the GIC.
  const cpuPhandle = (index: number): number => PHANDLE.clock + cpuCount - index;
  const gicPhandle = PHANDLE.clock + cpuCount + 1;
  const root = new FdtNode('');
  root
    .prop('interrupt-parent', fdt.cells(gicPhandle))
    .prop('model', fdt.strings('linux,dummy-virt'))
    .prop('#size-cells', fdt.cells(2))
    .prop('#address-cells', fdt.cells(2))
    .prop('compatible', fdt.strings('linux,dummy-virt'));

  root
    .child('psci')
    .prop('migrate', fdt.cells(0xc4000005))
    .prop('cpu_on', fdt.cells(0xc4000003))
    .prop('cpu_off', fdt.cells(0x84000002))
    .prop('cpu_suspend', fdt.cells(0xc4000001))
    .prop('method', fdt.strings('hvc'))
    .prop('compatible', fdt.strings('arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'));

  root
    .child(`memory@${hex(VIRT_RAM_BASE)}`)
    .prop('reg', reg(VIRT_RAM_BASE, o.ramSize))
    .prop('device_type', fdt.strings('memory'));

  root
    .child(`fw-cfg@${hex(VIRT_FW_CFG.base)}`)
    .prop('dma-coherent', fdt.empty())
    .prop('reg', reg(VIRT_FW_CFG.base, VIRT_FW_CFG.size))
    .prop('compatible', fdt.strings('qemu,fw-cfg-mmio'));

  // Every transport, with or without a device behind it, lowest address first.
  for (let i = 0; i < VIRT_MMIO_COUNT; i++) {
    const base = VIRT_MMIO.base + i * VIRT_MMIO.size;
    root
      .child(`virtio_mmio@${hex(base)}`)
      .prop('dma-coherent', fdt.empty())
      .prop('interrupts', fdt.cells(GIC_SPI, VIRT_MMIO_SPI + i, IRQ_TYPE_EDGE_RISING))
      .prop('reg', reg(base, VIRT_MMIO.size))
      .prop('compatible', fdt.strings('virtio,mmio'));
  }

  const primecell = (
    name: string,
    at: { base: number; size: number },
    spi: number,
    compatible: string,
    clockNames: string[],
  ): void => {
    root
      .child(`${name}@${hex(at.base)}`)
      .prop('clock-names', fdt.strings(...clockNames))
      .prop('clocks', fdt.cells(...clockNames.map(() => PHANDLE.clock)))
      .prop('interrupts', fdt.cells(GIC_SPI, spi, IRQ_TYPE_LEVEL_HIGH))
      .prop('reg', reg(at.base, at.size))
      .prop('compatible', fdt.strings(compatible, 'arm,primecell'));
  };
  primecell('pl031', VIRT_RTC, VIRT_RTC_SPI, 'arm,pl031', ['apb_pclk']);
  primecell('pl011', VIRT_UART, VIRT_UART_SPI, 'arm,pl011', ['uartclk', 'apb_pclk']);

  const intc = root.child(`intc@${hex(VIRT_GIC_DIST.base)}`).prop('phandle', fdt.cells(gicPhandle));
  // The distributor, then the CPU interface (GICv2) or the one redistributor region (GICv3).
  const second = o.gicVersion === 3 ? VIRT_GIC_REDIST : VIRT_GIC_CPU;
  intc.prop(
    'reg',
    fdt.cells(
      ...fdt.u64(VIRT_GIC_DIST.base),
      ...fdt.u64(VIRT_GIC_DIST.size),
      ...fdt.u64(second.base),
      ...fdt.u64(second.size),
    ),
  );
  if (o.gicVersion === 3) intc.prop('#redistributor-regions', fdt.cells(1));
  intc
    .prop('compatible', fdt.strings(o.gicVersion === 3 ? 'arm,gic-v3' : 'arm,cortex-a15-gic'))
    .prop('ranges', fdt.empty())
    .prop('#size-cells', fdt.cells(2))
    .prop('#address-cells', fdt.cells(2))
    .prop('interrupt-controller', fdt.empty())
    .prop('#interrupt-cells', fdt.cells(3));

  // Both flash banks in one node, 32 bits wide.
  root
    .child(`flash@${hex(VIRT_FLASH.base)}`)
    .prop('bank-width', fdt.cells(4))
    .prop(
      'reg',
      fdt.cells(
        ...Array.from({ length: VIRT_FLASH_BANKS }, (_, i) => [
          ...fdt.u64(VIRT_FLASH.base + i * VIRT_FLASH.size),
          ...fdt.u64(VIRT_FLASH.size),
        ]).flat(),
      ),
    )
    .prop('compatible', fdt.strings('cfi-flash'));

  const cpus = root.child('cpus').prop('#size-cells', fdt.cells(0)).prop('#address-cells', fdt.cells(1));
  const cpuMap = cpus.child('cpu-map');
  o.cpuPlaces.forEach((place, index) => {
    const core = childAt(childAt(childAt(cpuMap, `socket${place.socket}`), `cluster${place.cluster}`), `core${place.core}`);
    (o.smp.threads > 1 ? childAt(core, `thread${place.thread}`) : core).prop('cpu', fdt.cells(cpuPhandle(index)));
  });
  o.cpuAffinities.forEach((affinity, index) => {
    const cpu = cpus
      .child(`cpu@${index}`)
      .prop('phandle', fdt.cells(cpuPhandle(index)))
      .prop('reg', fdt.cells(affinity));
    // With several CPUs the secondaries are started through PSCI.
    if (cpuCount > 1) cpu.prop('enable-method', fdt.strings('psci'));
    cpu.prop('compatible', fdt.strings(o.cpuCompatible)).prop('device_type', fdt.strings('cpu'));
  });

  const ppis = [TIMER_PPI.secure, TIMER_PPI.physical, TIMER_PPI.virtual, TIMER_PPI.hypervisor];
  const ppiFlags = o.gicVersion === 3 ? IRQ_TYPE_LEVEL_HIGH : ppiFlagsV2(cpuCount);
  root
    .child('timer')
    .prop('interrupts', fdt.cells(...ppis.flatMap((ppi) => [GIC_PPI, ppi, ppiFlags])))
    .prop('always-on', fdt.empty())
    .prop('compatible', fdt.strings('arm,armv8-timer', 'arm,armv7-timer'));

  root
    .child('apb-pclk')
    .prop('phandle', fdt.cells(PHANDLE.clock))
    .prop('clock-output-names', fdt.strings('clk24mhz'))
    .prop('clock-frequency', fdt.cells(APB_CLOCK_HZ))
    .prop('#clock-cells', fdt.cells(0))
    .prop('compatible', fdt.strings('fixed-clock'));

  const chosen = root.child('chosen');
  if (o.initrd) {
    chosen.prop('linux,initrd-end', fdt.cells(...fdt.u64(o.initrd.end)));
    chosen.prop('linux,initrd-start', fdt.cells(...fdt.u64(o.initrd.start)));
  }
  if (o.bootargs !== undefined) chosen.prop('bootargs', fdt.strings(o.bootargs));
  chosen
    .prop('stdout-path', fdt.strings(`/pl011@${hex(VIRT_UART.base)}`))
    .prop('rng-seed', new Uint8Array(randomBytes(32)))
    .prop('kaslr-seed', new Uint8Array(randomBytes(8)));
  return root;
}
