/**
 * The guest architecture tsemu-system emulates, as QEMU's target-specific QMP commands describe
 * it: one target, aarch64 (qemu-system-aarch64). Generic monitor code reads these facts here.
 */
import { CPU_MODELS } from './cpu/cpu-model';
import type { GicVersion } from './machine/virt/gic';

export interface SystemTarget {
  /** QEMU's SysEmuTarget name (query-target, query-cpus-fast). */
  arch: string;
  /** The QOM type of -cpu MODEL is MODEL + this (cortex-a57-arm-cpu). */
  cpuTypeSuffix: string;
  /** The abstract QOM types above the CPU models, each with its parent, from the top (arm-cpu is a cpu). */
  cpuTypeAncestors: readonly { name: string; parent: string }[];
  /** The -cpu models. */
  cpuModels: readonly string[];
  /** The GIC versions the boards emulate, newest first (query-gic-capabilities). */
  gicVersions: readonly GicVersion[];
}

export const SYSTEM_TARGET: SystemTarget = {
  arch: 'aarch64',
  cpuTypeSuffix: '-arm-cpu',
  cpuTypeAncestors: [
    { name: 'arm-cpu', parent: 'cpu' },
    { name: 'aarch64-cpu', parent: 'arm-cpu' },
  ],
  cpuModels: CPU_MODELS.map((m) => m.name),
  gicVersions: [3, 2],
};
