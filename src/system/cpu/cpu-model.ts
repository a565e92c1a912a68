/**
 * What `-cpu` names: the identification registers an EL1 guest reads and the optional instructions
 * the CPU decodes. Values are QEMU's for each model (Cortex-A53, A57, A72, max), with the feature
 * fields cut down to what tsemu implements (FP, Advanced SIMD, CRC32, AES with PMULL, SHA1 and
 * SHA256 at EL0 and EL1, AArch64 only, no EL2/EL3, no PMU). The Cortex models are ARMv8.0: no LSE atomics, which decode as
 * undefined instructions there as in QEMU; `max` has them.
 */
import { sysRegKey } from '../../translate/aarch64/insns/cpu-id';
import type { A64Feature } from '../../translate/aarch64/insns';

export interface CpuModel {
  name: string;
  /** The `compatible` string of the device tree's cpu node. */
  compatible: string;
  /** ID registers readable at EL1, by sysRegKey. Other registers of the ID space read as zero. */
  idRegisters: ReadonlyMap<number, bigint>;
  /** The optional instructions it decodes; ID_AA64ISAR0_EL1 must say the same. */
  features: ReadonlySet<A64Feature>;
}

const ARMV8_0: ReadonlySet<A64Feature> = new Set(['crc32', 'aes', 'pmull', 'sha1', 'sha256']);
const ID_AA64ISAR0_EL1 = sysRegKey(3, 0, 0, 6, 0);
const ID_AA64MMFR0_EL1 = sysRegKey(3, 0, 0, 7, 0);
const ID_AA64MMFR2_EL1 = sysRegKey(3, 0, 0, 7, 2);
/** ID_AA64MMFR0_EL1.PARange (bits 3:0) as physical address bits. */
const PA_RANGE_BITS = [32, 36, 40, 42, 44, 48, 52];
/** ID_AA64MMFR2_EL1.IDS (bits 39:36): FEAT_IDST, EL0's reads of the ID space trap with EC 0x18, not 0. */
const MMFR2_IDS_SHIFT = 36n;

const CORTEX_A57: CpuModel = {
  name: 'cortex-a57',
  compatible: 'arm,cortex-a57',
  idRegisters: new Map([
    [sysRegKey(3, 0, 0, 0, 0), 0x411fd070n], // MIDR_EL1: ARM Cortex-A57 r1p0
    [sysRegKey(3, 0, 0, 0, 5), 0x80000000n], // MPIDR_EL1 of CPU 0 (U = 0, Aff0 = 0; see withAffinity)
    [sysRegKey(3, 0, 0, 0, 6), 0n], // REVIDR_EL1
    [sysRegKey(3, 0, 0, 4, 0), 0x11n], // ID_AA64PFR0_EL1: EL0 and EL1 in AArch64, FP and AdvSIMD
    [sysRegKey(3, 0, 0, 5, 0), 0x10305006n], // ID_AA64DFR0_EL1 (PMUVer 0: no PMU)
    [ID_AA64ISAR0_EL1, 0x11120n], // ID_AA64ISAR0_EL1: AES = 2 (with PMULL), SHA1, SHA2, CRC32, as QEMU's
    [sysRegKey(3, 0, 0, 7, 0), 0x1124n], // ID_AA64MMFR0_EL1: 44-bit PA, 16-bit ASID, 4K and 64K granules
    [sysRegKey(3, 1, 0, 0, 1), 0x0a200023n], // CLIDR_EL1
    [sysRegKey(3, 3, 0, 0, 1), 0x8444c004n], // CTR_EL0
    [sysRegKey(3, 3, 0, 0, 7), 4n], // DCZID_EL0: DC ZVA blocks of 64 bytes
  ]),
  features: ARMV8_0,
};

/** The Cortex-A72 differs in its MIDR (r0p3) only, as far as the implemented features go. */
const CORTEX_A72: CpuModel = {
  name: 'cortex-a72',
  compatible: 'arm,cortex-a72',
  idRegisters: new Map([...CORTEX_A57.idRegisters, [sysRegKey(3, 0, 0, 0, 0), 0x410fd083n]]),
  features: ARMV8_0,
};

/** The Cortex-A53 r0p4: its MIDR, 40-bit physical addresses and 32-byte instruction cache lines. */
const CORTEX_A53: CpuModel = {
  name: 'cortex-a53',
  compatible: 'arm,cortex-a53',
  idRegisters: new Map([
    ...CORTEX_A57.idRegisters,
    [sysRegKey(3, 0, 0, 0, 0), 0x410fd034n], // MIDR_EL1
    [sysRegKey(3, 0, 0, 7, 0), 0x1122n], // ID_AA64MMFR0_EL1: 40-bit PA
    [sysRegKey(3, 3, 0, 0, 1), 0x84448004n], // CTR_EL0
  ]),
  features: ARMV8_0,
};

/**
 * `max`: every feature the emulator has. QEMU's names no real core (MIDR 0x000f0510) and is built
 * on its A57 (device tree `arm,cortex-a57`); here it is the A57 model above with the LSE atomics and
 * FEAT_IDST.
 */
const MAX: CpuModel = {
  name: 'max',
  compatible: 'arm,cortex-a57',
  idRegisters: new Map([
    ...CORTEX_A57.idRegisters,
    [sysRegKey(3, 0, 0, 0, 0), 0x000f0510n],
    [ID_AA64ISAR0_EL1, 0x1_0021_2120n], // the A57's, SHA2 = 2 (SHA512), the LSE atomics (Atomic = 2), SHA3
    [ID_AA64MMFR2_EL1, 1n << MMFR2_IDS_SHIFT], // FEAT_IDST, as QEMU's max
  ]),
  features: new Set([...ARMV8_0, 'lse', 'sha512', 'sha3']),
};

export const CPU_MODELS: readonly CpuModel[] = [CORTEX_A53, CORTEX_A57, CORTEX_A72, MAX];

export function findCpuModel(name: string): CpuModel | undefined {
  return CPU_MODELS.find((m) => m.name === name);
}

/** The value of an ID-space register (op0 = 3, op1 = 0, CRn = 0) or a listed one; undefined if neither. */
export function idRegister(model: CpuModel, key: number): bigint | undefined {
  const known = model.idRegisters.get(key);
  if (known !== undefined) return known;
  return key >> 7 === sysRegKey(3, 0, 0, 0, 0) >> 7 ? 0n : undefined;
}

/** Whether the model has FEAT_IDST (as its ID_AA64MMFR2_EL1 says). */
export function hasIdSpaceTraps(model: CpuModel): boolean {
  return ((idRegister(model, ID_AA64MMFR2_EL1)! >> MMFR2_IDS_SHIFT) & 0xfn) !== 0n;
}

const ID_AA64PFR0_EL1 = sysRegKey(3, 0, 0, 4, 0);
/** ID_AA64PFR0_EL1.GIC (bits 27:24): 1 = the GICv3 CPU interface's system registers are implemented. */
const PFR0_GIC_SYSREGS = 1n << 24n;

/** `model` with the GICv3 CPU interface switched on, as when the board has a GICv3 (virt, gic-version=3). */
export function withGicCpuInterface(model: CpuModel): CpuModel {
  const pfr0 = (model.idRegisters.get(ID_AA64PFR0_EL1) ?? 0n) | PFR0_GIC_SYSREGS;
  return { ...model, idRegisters: new Map([...model.idRegisters, [ID_AA64PFR0_EL1, pfr0]]) };
}

const MPIDR_EL1 = sysRegKey(3, 0, 0, 0, 5);
/** MPIDR_EL1 bit 31: RES1 (U, bit 30, and MT, bit 24, are clear on virt's CPUs, as QEMU reports them). */
const MPIDR_RES1 = 1n << 31n;

/** `model` as the CPU with MPIDR affinity fields `affinity` sees itself. */
export function withAffinity(model: CpuModel, affinity: bigint): CpuModel {
  return { ...model, idRegisters: new Map([...model.idRegisters, [MPIDR_EL1, MPIDR_RES1 | affinity]]) };
}

/** The physical address size the model implements (PAMax, from ID_AA64MMFR0_EL1.PARange). */
export function physicalAddressBits(model: CpuModel): number {
  return PA_RANGE_BITS[Number(idRegister(model, ID_AA64MMFR0_EL1)! & 0xfn)] ?? 52;
}
