/**
 * The interrupt controller of `virt`, chosen by `-M virt,gic-version=...` as QEMU's virt does:
 * a GICv2 (the default; distributor and memory-mapped CPU interface) or a GICv3 (distributor,
 * redistributor, and the CPU interface as system registers of the CPU, announced in
 * ID_AA64PFR0_EL1.GIC). Either way the board sees an InterruptController.
 */
import type { CpuModel } from '../../cpu/cpu-model';
import { withGicCpuInterface } from '../../cpu/cpu-model';
import type { CpuRegisters } from '../../cpu/registers';
import { defineDeviceSysRegs } from '../../cpu/sysregs';
import { GICV2_MAX_CPUS, Gicv2CpuInterface, Gicv2Distributor, Gicv2State } from '../../devices/gicv2';
import { Gicv3State } from '../../devices/gicv3';
import { gicv3CpuInterfaceRegisters } from '../../devices/gicv3-cpu-interface';
import { Gicv3Distributor } from '../../devices/gicv3-distributor';
import { GICV3_REDIST_SIZE, Gicv3Redistributor } from '../../devices/gicv3-redistributor';
import type { InterruptController } from '../../devices/interrupts';
import type { MmioBus } from '../../devices/mmio';
import { MachineError } from '../machine';
import { VIRT_GIC_CPU, VIRT_GIC_DIST, VIRT_GIC_REDIST } from './memory-map';

export type GicVersion = 2 | 3;

/**
 * The `gic-version` property: 2 (the default) or 3; `max` is the newest one tsemu has (3, as QEMU
 * with TCG picks), and so is `host` (QEMU refuses it without KVM: "gic-version=host requires KVM").
 * 4 needs EL2, as in QEMU. Anything else gets QEMU's message.
 */
export function gicVersionOf(value: string | undefined): GicVersion {
  switch (value) {
    case undefined:
    case '2':
      return 2;
    case '3':
    case 'host':
    case 'max':
      return 3;
    case '4':
      throw new MachineError('gic-version=4 requires virtualization enabled');
    default:
      throw new MachineError('Invalid gic-version value\nValid values are 3, 2, host, max.');
  }
}

export interface VirtGic {
  readonly version: GicVersion;
  readonly controller: InterruptController;
  /** The CPU as it is with this GIC (GICv3: its CPU interface in ID_AA64PFR0_EL1). */
  cpuModel(model: CpuModel): CpuModel;
  /** Connects a CPU (GICv3: its ICC_*_EL1 registers). */
  attachCpu(cpu: CpuRegisters): void;
}

/**
 * How many CPUs each GIC serves on virt, as QEMU's virt_max_cpus: 8 (a GICv2's target lists),
 * and for a GICv3 the redistributors that fit its region below 4 GiB (QEMU adds a second region
 * above 256 GiB, outside tsemu's 4 GiB window).
 */
export function gicMaxCpus(version: GicVersion): number {
  return version === 3 ? VIRT_GIC_REDIST.size / GICV3_REDIST_SIZE : GICV2_MAX_CPUS;
}

/**
 * The affinity fields of CPU `index`'s MPIDR_EL1 as QEMU's virt numbers its CPUs: clusters of as
 * many CPUs as an SGI target list reaches (8 with a GICv2, 16 with a GICv3), Aff1 the cluster and
 * Aff0 the CPU in it.
 */
export function mpidrAffinity(index: number, version: GicVersion): bigint {
  const clusterSize = version === 3 ? 16 : 8;
  return (BigInt(Math.floor(index / clusterSize)) << 8n) | BigInt(index % clusterSize);
}

/**
 * Creates the GIC and maps its registers on `bus`. `changed` hears of anything that may change the
 * IRQ signal; `sampleTimers` puts the timers' outputs on their PPIs and runs before the CPU
 * interface answers, so an acknowledge after a handler reprogrammed its timer sees the new level.
 */
export function createGic(
  version: GicVersion,
  cpuCount: number,
  bus: MmioBus,
  /** The index of the CPU running (making device accesses). */
  currentCpu: () => number,
  changed: () => void,
  sampleTimers: () => void,
): VirtGic {
  if (version === 3) {
    const state = new Gicv3State(cpuCount, (cpu) => Number(mpidrAffinity(cpu, version)), changed);
    bus.map(VIRT_GIC_DIST.base, new Gicv3Distributor(state));
    bus.map(VIRT_GIC_REDIST.base, new Gicv3Redistributor(state));
    return {
      version,
      controller: state,
      cpuModel: withGicCpuInterface,
      attachCpu: (cpu) => defineDeviceSysRegs(cpu, gicv3CpuInterfaceRegisters(state, cpu.index, sampleTimers)),
    };
  }
  const state = new Gicv2State(cpuCount, changed);
  bus.map(VIRT_GIC_DIST.base, new Gicv2Distributor(state, currentCpu));
  const cpuInterface = new Gicv2CpuInterface(state, currentCpu);
  bus.map(VIRT_GIC_CPU.base, {
    name: cpuInterface.name,
    size: cpuInterface.size,
    read: (offset) => (sampleTimers(), cpuInterface.read(offset)),
    write: (offset, size, value) => (sampleTimers(), cpuInterface.write(offset, size, value)),
    reset: () => cpuInterface.reset(),
  });
  return { version, controller: state, cpuModel: (model) => model, attachCpu: () => undefined };
}
