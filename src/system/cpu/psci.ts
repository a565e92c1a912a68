/**
 * PSCI (ARM DEN 0022), the firmware interface a guest calls with HVC on `virt`, answered by the
 * emulator as QEMU answers it without firmware: the function ID in x0, arguments in x1..x3, the
 * result in x0. A call whose x0 is not a PSCI function is not a PSCI call (the HVC is then
 * UNDEFINED, there being no EL2). One CPU: CPU_ON can only name CPUs that do not exist or are on.
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
}

const PSCI_SUCCESS = 0n;
const NOT_SUPPORTED = -1n;
const INVALID_PARAMETERS = -2n;
const ALREADY_ON = -4n;
/** The version QEMU 7.2 reports: 1.1. */
const PSCI_VERSION = 0x10001n;
const MIGRATE_TYPE_NO_TRUSTED_OS = 2n;
/** MPIDR of the one CPU (affinity fields only). */
const CPU0_AFFINITY = 0n;

type PsciFunction = (args: bigint[], platform: PsciPlatform) => bigint;

const onlyCpu = (mpidr: bigint): boolean => (mpidr & 0xff00ffffffn) === CPU0_AFFINITY;

const FUNCTIONS: ReadonlyMap<number, PsciFunction> = new Map<number, PsciFunction>([
  [0x84000000, () => PSCI_VERSION],
  [0x84000001, (_a, p) => (p.cpuSuspend(), PSCI_SUCCESS)],
  [0xc4000001, (_a, p) => (p.cpuSuspend(), PSCI_SUCCESS)],
  [0x84000002, (_a, p) => (p.cpuOff(), PSCI_SUCCESS)],
  [0x84000003, ([target]) => (onlyCpu(target!) ? ALREADY_ON : INVALID_PARAMETERS)],
  [0xc4000003, ([target]) => (onlyCpu(target!) ? ALREADY_ON : INVALID_PARAMETERS)],
  [0x84000004, ([target]) => (onlyCpu(target!) ? 0n : INVALID_PARAMETERS)],
  [0xc4000004, ([target]) => (onlyCpu(target!) ? 0n : INVALID_PARAMETERS)],
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
