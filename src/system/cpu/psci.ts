/**
 * PSCI (ARM DEN 0022), the firmware interface a guest calls with HVC on `virt`, answered by the
 * emulator as QEMU answers it without firmware: the function ID in x0, arguments in x1..x3, the
 * result in x0. A call whose x0 is not a PSCI function is not a PSCI call (the HVC is then
 * UNDEFINED, there being no EL2). CPUs are named by their MPIDR's affinity fields.
 */
import { xreg } from '../../translate/aarch64/state';
import type { CpuRegisters } from './registers';

/** What PSCI calls do to the machine. */
export interface PsciPlatform {
  systemOff(): void;
  systemReset(): void;
  /** The calling CPU stops for good (CPU_OFF). */
  cpuOff(): void;
  /** CPU_SUSPEND: a power-down state the CPU may leave at any interrupt, like WFI. */
  cpuSuspend(): void;
  /** The index of the CPU whose MPIDR affinity is `affinity`, if there is one. */
  cpuByAffinity(affinity: bigint): number | undefined;
  /** Whether CPU `index` is off. */
  cpuIsOff(index: number): boolean;
  /** CPU_ON: CPU `index`, off, starts from reset at `entry` with x0 = `contextId`. */
  cpuOn(index: number, entry: bigint, contextId: bigint): void;
}

const PSCI_SUCCESS = 0n;
const NOT_SUPPORTED = -1n;
const INVALID_PARAMETERS = -2n;
const ALREADY_ON = -4n;
/** The version QEMU 7.2 reports: 1.1. */
const PSCI_VERSION = 0x10001n;
const MIGRATE_TYPE_NO_TRUSTED_OS = 2n;
/** MPIDR's affinity fields: Aff3 (bits 39:32) and Aff2-Aff0 (bits 23:0). */
const AFFINITY_MASK = 0xff00ffffffn;
/** AFFINITY_INFO's answers. */
const AFFINITY_ON = 0n;
const AFFINITY_OFF = 1n;

type PsciFunction = (args: bigint[], platform: PsciPlatform) => bigint;

/** CPU_ON (target MPIDR, entry point, context id): ALREADY_ON unless the target is off. */
const cpuOn: PsciFunction = ([target, entry, contextId], p) => {
  const index = p.cpuByAffinity(target! & AFFINITY_MASK);
  if (index === undefined) return INVALID_PARAMETERS;
  if (!p.cpuIsOff(index)) return ALREADY_ON;
  p.cpuOn(index, entry!, contextId!);
  return PSCI_SUCCESS;
};

/** AFFINITY_INFO (target MPIDR, lowest affinity level): as QEMU, every level above 0 is on. */
const affinityInfo: PsciFunction = ([target, level], p) => {
  if (level !== 0n) return AFFINITY_ON;
  const index = p.cpuByAffinity(target! & AFFINITY_MASK);
  if (index === undefined) return INVALID_PARAMETERS;
  return p.cpuIsOff(index) ? AFFINITY_OFF : AFFINITY_ON;
};

const FUNCTIONS: ReadonlyMap<number, PsciFunction> = new Map<number, PsciFunction>([
  [0x84000000, () => PSCI_VERSION],
  [0x84000001, (_a, p) => (p.cpuSuspend(), PSCI_SUCCESS)],
  [0xc4000001, (_a, p) => (p.cpuSuspend(), PSCI_SUCCESS)],
  [0x84000002, (_a, p) => (p.cpuOff(), PSCI_SUCCESS)],
  [0x84000003, cpuOn],
  [0xc4000003, cpuOn],
  [0x84000004, affinityInfo],
  [0xc4000004, affinityInfo],
  [0x84000006, () => MIGRATE_TYPE_NO_TRUSTED_OS],
  [0x84000008, (_a, p) => (p.systemOff(), PSCI_SUCCESS)],
  [0x84000009, (_a, p) => (p.systemReset(), PSCI_SUCCESS)],
  [0x8400000a, ([fn]) => (FUNCTIONS.has(Number(fn! & 0xffffffffn)) ? PSCI_SUCCESS : NOT_SUPPORTED)],
]);

/** Carries out the PSCI call in x0, leaving its result in x0. */
export function psciCall(cpu: CpuRegisters, platform: PsciPlatform): void {
  const reg = (n: number): bigint => cpu.view.getBigUint64(cpu.base + xreg(n), true);
  const id = reg(0);
  const fn = id >> 32n === 0n ? FUNCTIONS.get(Number(id)) : undefined;
  const result = fn ? fn([reg(1), reg(2), reg(3)], platform) : NOT_SUPPORTED;
  cpu.view.setBigUint64(cpu.base + xreg(0), BigInt.asUintN(64, result), true);
}
