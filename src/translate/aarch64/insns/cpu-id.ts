/**
 * What user code sees when it identifies the CPU: the ID and cache-type registers an EL0 MRS can
 * read on Linux. The values describe a Cortex-A57 (as QEMU's `-cpu cortex-a57` reports it to a
 * linux-user guest) adjusted to the features tsemu implements: FP and Advanced SIMD, CRC32, AES
 * with PMULL, SHA1, SHA256, SHA512, SHA3 and the LSE atomics; no pointer authentication, no SVE. A `-cpu` model replaces the ones that
 * name it (withModelIds).
 */

/** A system register's encoding op0:op1:CRn:CRm:op2 packed into one number. */
export function sysRegKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** CNTFRQ_EL0: the generic timer's frequency, 62.5 MHz as in QEMU (one tick per 16 ns). */
export const COUNTER_HZ = 62_500_000;

/** The system counter (CNTVCT/CNTPCT): the host's monotonic clock in ticks of COUNTER_HZ. */
export function counterNow(): bigint {
  return (process.hrtime.bigint() * BigInt(COUNTER_HZ)) / 1_000_000_000n;
}

/** EL0-readable identification registers with fixed values. */
export const CPU_ID_REGISTERS: ReadonlyMap<number, bigint> = new Map([
  /** CTR_EL0: 64-byte I and D cache lines, VIPT I-cache, CWG/ERG 16 words. */
  [sysRegKey(3, 3, 0, 0, 1), 0x8444c004n],
  /** DCZID_EL0: DC ZVA permitted, blocks of 2^4 words = 64 bytes. */
  [sysRegKey(3, 3, 0, 0, 7), 4n],
  [sysRegKey(3, 3, 14, 0, 0), BigInt(COUNTER_HZ)],
  /** MIDR_EL1: ARM Cortex-A57 r1p0. */
  [sysRegKey(3, 0, 0, 0, 0), 0x411fd070n],
  /** MPIDR_EL1: Linux reports only the RES1 bit 31 to user space. */
  [sysRegKey(3, 0, 0, 0, 5), 0x80000000n],
  /** REVIDR_EL1: implementation defined, read as 0. */
  [sysRegKey(3, 0, 0, 0, 6), 0n],
  /** ID_AA64PFR0_EL1: EL0 and EL1 AArch64 only; FP and AdvSIMD implemented (0). */
  [sysRegKey(3, 0, 0, 4, 0), 0x11n],
  /** ID_AA64DFR0_EL1: debug architecture v8 (the value Linux and QEMU expose). */
  [sysRegKey(3, 0, 0, 5, 0), 0x6n],
  /** ID_AA64ISAR0_EL1: SHA3 = 1, Atomic = 2 (LSE), CRC32 = 1, SHA2 = 2 (SHA512), SHA1 = 1, AES = 2 (with PMULL). */
  [sysRegKey(3, 0, 0, 6, 0), 0x1_0021_2120n],
  /** ID_AA64MMFR0_EL1: the value user space sees (TGran64/TGran4 fields as exposed). */
  [sysRegKey(3, 0, 0, 7, 0), 0xff000000n],
]);

/** The registers a model's values replace: MIDR_EL1, CTR_EL0 and ID_AA64ISAR0_EL1 (its optional instructions). */
const MODEL_IDS = [sysRegKey(3, 0, 0, 0, 0), sysRegKey(3, 3, 0, 0, 1), sysRegKey(3, 0, 0, 6, 0)];

/**
 * The EL0-readable registers of a CPU model whose own ID registers are `model` (QEMU's values for
 * it as src/system/cpu/cpu-model.ts holds them): its identity, cache geometry and instruction set
 * attributes, the rest as CPU_ID_REGISTERS (what Linux lets user space see is the same for all).
 */
export function withModelIds(model: ReadonlyMap<number, bigint>): ReadonlyMap<number, bigint> {
  return new Map([...CPU_ID_REGISTERS, ...MODEL_IDS.flatMap((key) => (model.has(key) ? [[key, model.get(key)!] as const] : []))]);
}

/**
 * The value an EL0 read of system register `key` returns from the CPU's `registers`, or undefined
 * if it traps (SIGILL). As Linux does, every register of the ID space op0 = 3, op1 = 0, CRn = 0,
 * CRm = 2..7 is readable, those not listed reading as zero.
 */
export function cpuIdRegister(key: number, registers: ReadonlyMap<number, bigint> = CPU_ID_REGISTERS): bigint | undefined {
  const known = registers.get(key);
  if (known !== undefined) return known;
  const idSpace = key >> 7 === sysRegKey(3, 0, 0, 0, 0) >> 7;
  const crm = (key >> 3) & 15;
  return idSpace && crm >= 2 && crm <= 7 ? 0n : undefined;
}
