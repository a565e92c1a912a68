/**
 * The CPU models `-cpu` (or TSEMU_CPU) names in user mode, per target, under QEMU's names: what
 * the model decides (AT_HWCAP and, where tsemu's frontend has optional instructions, the
 * decoder: an instruction the model lacks is undefined and raises SIGILL, as under QEMU). Only the
 * models tsemu can honour are listed: one whose instructions it does not all implement is refused
 * like an unknown name. `-cpu help` prints the list in QEMU's format for the target.
 *
 * Loaded by the command line before any frontend: a model's frontend is built on demand.
 */
import type { Frontend } from '../translate/frontend';
import type { A64Feature } from '../translate/aarch64/insns';

export interface UserCpuModel {
  /** QEMU's name. */
  readonly name: string;
  /** The model this name is an alias of (listed as such by PowerPC's `-cpu help`). */
  readonly aliasOf?: string;
  /** The model's AT_HWCAP from the target's full one (src/loader/targets.ts); absent: the full one. */
  readonly hwcap?: (full: number) => number;
  /** Its AT_HWCAP2 from the target's full one; absent: the full one. */
  readonly hwcap2?: (full: number) => number;
  /** A decoder for exactly this model's instructions; absent: the target's own frontend. */
  readonly frontend?: () => Frontend;
  /** The main identification register (AArch64 MIDR_EL1, PowerPC PVR), which /proc/cpuinfo decodes; absent: the target's. */
  readonly identity?: () => number;
}

export interface UserCpuModels {
  /** The model run when no -cpu is given. */
  readonly defaultModel: string;
  readonly models: readonly UserCpuModel[];
  /** The text of `-cpu help`. */
  help(models: readonly UserCpuModel[]): string;
}

/** arch/arm64/include/uapi/asm/hwcap.h: the bits of the features only some models have. */
const HWCAP_OF_FEATURE: readonly [feature: A64Feature, bit: number][] = [
  ['lse', 1 << 8],
  ['sha3', 1 << 17],
  ['sha512', 1 << 21],
];

/** MIDR_EL1's sysRegKey (src/translate/aarch64/insns/cpu-id.ts). */
const MIDR_EL1 = 0xc000;
/** CTR_EL0's sysRegKey. */
const CTR_EL0 = 0xd801;

/**
 * What QEMU's linux-user gives a model besides its system-mode registers: `max` has 32-byte I and
 * D cache lines and a VIPT I-cache (CONFIG_USER_ONLY in QEMU's aarch64_max_initfn, which also
 * makes DC ZVA blocks 512 bytes; tsemu's stay 64), where system mode keeps the A57's.
 */
const USER_ONLY_IDS: Readonly<Record<string, ReadonlyMap<number, bigint>>> = {
  max: new Map([[CTR_EL0, 0x80038003n]]),
};

/**
 * AArch64: the system-mode models (src/system/cpu/cpu-model.ts) decide the optional instructions
 * and the ID registers EL0 reads (MIDR_EL1, CTR_EL0, ID_AA64ISAR0_EL1, as QEMU's linux-user gives
 * them, with the fields of what tsemu does not implement cleared). The Cortex models are ARMv8.0,
 * without the LSE atomics, SHA512 and SHA3 (and their HWCAP bits); `max` has everything. Every model
 * has AES, PMULL, SHA1 and SHA2 (QEMU's Cortex models' HWCAP 0x8fb).
 */
function aarch64Model(name: string): UserCpuModel {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const model = (): import('../system/cpu/cpu-model').CpuModel =>
    (require('../system/cpu/cpu-model') as typeof import('../system/cpu/cpu-model')).findCpuModel(name)!;
  const frontendFor = (): typeof import('../translate/aarch64/frontend').aarch64FrontendFor =>
    (require('../translate/aarch64/frontend') as typeof import('../translate/aarch64/frontend')).aarch64FrontendFor;
  const withModelIds = (): typeof import('../translate/aarch64/insns/cpu-id').withModelIds =>
    (require('../translate/aarch64/insns/cpu-id') as typeof import('../translate/aarch64/insns/cpu-id')).withModelIds;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    name,
    hwcap: (full) =>
      HWCAP_OF_FEATURE.reduce((hwcap, [feature, bit]) => (model().features.has(feature) ? hwcap : hwcap & ~bit), full),
    frontend: () => frontendFor()(model().features, withModelIds()(new Map([...model().idRegisters, ...(USER_ONLY_IDS[name] ?? [])]))),
    identity: () => Number(model().idRegisters.get(MIDR_EL1)!),
  };
}

/** An ARMv7 model of the arm target: the A32/T32 decoder without ARMv8's rows, no HWCAP2. */
function armV7Model(name: string): UserCpuModel {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const frontend = (): typeof import('../translate/arm/frontend') => require('../translate/arm/frontend');
  const insns = (): typeof import('../translate/arm/insns') => require('../translate/arm/insns');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { name, hwcap2: () => 0, frontend: () => frontend().armFrontendFor(insns().ARMV7_TABLES) };
}

/** QEMU's list for ARM targets: "Available CPUs:" and the names, indented. */
const listHelp = (models: readonly UserCpuModel[]): string =>
  ['Available CPUs:', ...models.map((m) => `  ${m.name}`)].join('\n');

/** PowerPC's list: one line per model with its PVR, or the model it is an alias for. */
function powerPcHelp(pvrs: Readonly<Record<string, number>>): (models: readonly UserCpuModel[]) => string {
  return (models) =>
    models
      .map((m) =>
        m.aliasOf !== undefined
          ? `PowerPC ${m.name.padEnd(16)} (alias for ${m.aliasOf})`
          : `PowerPC ${m.name.padEnd(16)} PVR ${(pvrs[m.name] ?? 0).toString(16).padStart(8, '0')}`,
      )
      .join('\n');
}

/** A PowerPC model: QEMU's name and PVR, and whether it has the ISA 3.0 (POWER9) instructions. */
interface PpcModel {
  readonly name: string;
  readonly pvr: number;
  readonly isa300: boolean;
  /** QEMU's alias naming this model. */
  readonly alias?: string;
}

/**
 * PowerPC64: the POWER8 (ISA 2.07: the ISA 3.0 instructions are illegal) and POWER9 (ISA 3.0)
 * models QEMU has, with their PVRs, which mfpvr reads and /proc/cpuinfo shows; QEMU's HWCAP is the
 * same for all of them and its HWCAP2 bits name features tsemu does not advertise yet (see
 * src/loader/targets.ts). POWER10 is not offered: tsemu does not decode ISA 3.1's instructions
 * (prefixed ones among them), which glibc uses on a CPU whose HWCAP2 says ARCH_3_1.
 */
const PPC_MODELS: readonly PpcModel[] = [
  { name: 'power8e_v2.1', pvr: 0x004b0201, isa300: false, alias: 'power8e' },
  { name: 'power8nvl_v1.0', pvr: 0x004c0100, isa300: false, alias: 'power8nvl' },
  { name: 'power8_v2.0', pvr: 0x004d0200, isa300: false, alias: 'power8' },
  { name: 'power9_v1.0', pvr: 0x004e0100, isa300: true },
  { name: 'power9_v2.0', pvr: 0x004e1200, isa300: true, alias: 'power9' },
];

function ppcModel({ name, pvr, isa300 }: PpcModel, aliasOf?: string): UserCpuModel {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const frontend = (): typeof import('../translate/ppc64/frontend') => require('../translate/ppc64/frontend');
  return {
    name,
    ...(aliasOf !== undefined ? { aliasOf } : {}),
    frontend: () => frontend().ppc64FrontendFor({ isa300, pvr }),
    identity: () => pvr,
  };
}

const PPC64_MODELS: UserCpuModels = {
  defaultModel: 'power9_v2.0',
  models: PPC_MODELS.flatMap((m) => [ppcModel(m), ...(m.alias !== undefined ? [ppcModel({ ...m, name: m.alias }, m.name)] : [])]),
  help: powerPcHelp(Object.fromEntries(PPC_MODELS.map((m) => [m.name, m.pvr]))),
};

export const USER_CPU_MODELS: Readonly<Record<string, UserCpuModels>> = {
  aarch64: {
    defaultModel: 'max',
    models: ['cortex-a53', 'cortex-a57', 'cortex-a72', 'max'].map(aarch64Model),
    help: listHelp,
  },
  /**
   * ARM: Cortex-A7 and A15 are ARMv7-A CPUs with NEON, VFPv3-D32 and hardware divide, without
   * ARMv8's cryptographic extension and CRC32 (no HWCAP2, the instructions undefined); `max` and
   * `any` (QEMU's alias of max) name everything tsemu implements.
   */
  arm: {
    defaultModel: 'max',
    models: [armV7Model('cortex-a15'), armV7Model('cortex-a7'), { name: 'max' }, { name: 'any' }],
    help: listHelp,
  },
  ppc64: PPC64_MODELS,
  ppc64le: PPC64_MODELS,
};

/** The model `-cpu` names on `arch` (the default for undefined); undefined when the name is unknown there. */
export function findUserCpuModel(arch: string, name: string | undefined): UserCpuModel | undefined {
  const table = USER_CPU_MODELS[arch];
  if (!table) return undefined;
  const wanted = name ?? table.defaultModel;
  return table.models.find((m) => m.name === wanted);
}
