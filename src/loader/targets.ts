/**
 * Per-target facts the loader needs: which ELF files a target runs and what its Linux kernel
 * tells a new process through the auxiliary vector.
 */
import { AuxType, type AuxEntry, type AuxvInputs } from './auxv';
import { ppc64Vdso } from './vdso/ppc64';
import type { VdsoImage } from './vdso/shared-object';

export interface LoaderTarget {
  /** As in tsemu-<name>. */
  readonly name: string;
  /** e_machine of the binaries this target runs. */
  readonly machine: number;
  /** elfy's name for that e_machine. */
  readonly machineName: string;
  /** ELF class: 64- or 32-bit words. */
  readonly elfClass: 32 | 64;
  /** Byte orders accepted (the ELF file's own decides guest memory's). */
  readonly byteOrders: readonly ('little' | 'big')[];
  /** AT_HWCAP and AT_HWCAP2: the features tsemu's frontend implements. */
  readonly hwcap: number;
  readonly hwcap2: number;
  /** AT_PLATFORM string. */
  readonly platform: string;
  /** AT_MINSIGSTKSZ, where the kernel reports it (undefined: the entry is omitted). */
  readonly minSigStkSz: number | undefined;
  /** Size of the initial stack when the user gives none (bytes). */
  readonly defaultStackSize: number;
  /** Entries the architecture puts first in the auxv (Linux's ARCH_DLINFO), if any. */
  readonly archAuxv?: readonly AuxEntry[];
  /** The whole auxv, for a target whose kernel is not Linux (FreeBSD's numbering and entries); default buildAuxv. */
  readonly auxv?: (target: LoaderTarget, inputs: AuxvInputs) => AuxEntry[];
  /** The vDSO the target's kernel maps in every process (AT_SYSINFO_EHDR), if tsemu provides one. */
  readonly vdso?: () => VdsoImage;
}

/** arch/arm64/include/uapi/asm/hwcap.h */
const HWCAP_FP = 1 << 0;
const HWCAP_ASIMD = 1 << 1;
const HWCAP_AES = 1 << 3;
const HWCAP_PMULL = 1 << 4;
const HWCAP_SHA1 = 1 << 5;
const HWCAP_SHA2 = 1 << 6;
const HWCAP_CRC32 = 1 << 7;
const HWCAP_ATOMICS = 1 << 8;
const HWCAP_CPUID = 1 << 11;
const HWCAP_SHA3 = 1 << 17;
const HWCAP_SHA512 = 1 << 21;

/** arch/powerpc/include/uapi/asm/cputable.h */
const PPC_FEATURE_64 = 0x40000000;
const PPC_FEATURE_HAS_FPU = 0x08000000;
const PPC_FEATURE_HAS_MMU = 0x04000000;
const PPC_FEATURE_TRUE_LE = 0x00000002;
const PPC_FEATURE_HAS_ALTIVEC = 0x10000000;
const PPC_FEATURE_ARCH_2_06 = 0x00000100;
const PPC_FEATURE_HAS_VSX = 0x00000080;
const PPC_FEATURE2_ARCH_2_07 = 0x80000000;
const PPC_FEATURE2_HAS_ISEL = 0x08000000;

/**
 * PowerPC's ARCH_DLINFO as Linux and QEMU give it: two AT_IGNOREPPC entries (old glibc skipped
 * them), then the cache block sizes glibc's memset uses for dcbz (128 bytes, tsemu's dcbz size).
 */
const PPC_ARCH_AUXV: readonly AuxEntry[] = [
  [AuxType.AT_IGNOREPPC, AuxType.AT_IGNOREPPC],
  [AuxType.AT_IGNOREPPC, AuxType.AT_IGNOREPPC],
  [AuxType.AT_DCACHEBSIZE, 128],
  [AuxType.AT_ICACHEBSIZE, 128],
  [AuxType.AT_UCACHEBSIZE, 0],
];

/**
 * PowerPC64: HWCAP lists what the frontend implements (translate/ppc64) up to Power ISA 2.07
 * (POWER8, Debian ppc64el's baseline): 64-bit, FPU, MMU (always set by Linux), AltiVec, VSX, ISA
 * 2.06, and TRUE_LE for the little-endian target; HWCAP2 ISA 2.07 and isel. Not the vector crypto
 * instructions, though decoded: their rounds go through a helper, and OpenSSL's AES with them ran 11
 * times slower than its AltiVec vpaes code; not ISA 3.0 (some of its instructions are not decoded,
 * so glibc and numpy keep to their POWER8 routines), nor decimal FP, transactional memory or SCV
 * (glibc makes syscalls with sc).
 */
function ppc64Target(name: 'ppc64' | 'ppc64le'): LoaderTarget {
  const le = name === 'ppc64le';
  return {
    name,
    machine: 21,
    machineName: 'ppc64',
    elfClass: 64,
    byteOrders: [le ? 'little' : 'big'],
    hwcap:
      PPC_FEATURE_64 |
      PPC_FEATURE_HAS_FPU |
      PPC_FEATURE_HAS_MMU |
      PPC_FEATURE_HAS_ALTIVEC |
      PPC_FEATURE_ARCH_2_06 |
      PPC_FEATURE_HAS_VSX |
      (le ? PPC_FEATURE_TRUE_LE : 0),
    hwcap2: PPC_FEATURE2_ARCH_2_07 | PPC_FEATURE2_HAS_ISEL,
    platform: 'power8',
    minSigStkSz: undefined,
    defaultStackSize: 8 * 1024 * 1024,
    archAuxv: PPC_ARCH_AUXV,
    vdso: () => ppc64Vdso(le),
  };
}

export const LOADER_TARGETS = {
  /**
   * AArch64: HWCAP lists what the A64 frontend implements and the ID registers it reports
   * (translate/aarch64/insns/cpu-id.ts): FP, Advanced SIMD, CRC32, LSE atomics, and CPUID (EL0 reads
   * of ID registers, which Linux emulates). No EVTSTRM (like QEMU: there is no event stream), no
   * HWCAP2 features. AT_MINSIGSTKSZ is Linux's value for a CPU without SVE/SME: sizeof(struct
   * rt_sigframe) 4688 + a 16-byte frame record + 16 bytes of alignment padding.
   */
  aarch64: {
    name: 'aarch64',
    machine: 183,
    machineName: 'AArch64',
    elfClass: 64,
    byteOrders: ['little'],
    hwcap:
      HWCAP_FP | HWCAP_ASIMD | HWCAP_AES | HWCAP_PMULL | HWCAP_SHA1 | HWCAP_SHA2 | HWCAP_CRC32 | HWCAP_ATOMICS | HWCAP_CPUID | HWCAP_SHA3 | HWCAP_SHA512,
    hwcap2: 0,
    platform: 'aarch64',
    minSigStkSz: 4720,
    defaultStackSize: 8 * 1024 * 1024,
  },
  ppc64: ppc64Target('ppc64'),
  ppc64le: ppc64Target('ppc64le'),
} as const satisfies Record<string, LoaderTarget>;

/** arch/arm/include/uapi/asm/hwcap.h */
const ARM_HWCAP_HALF = 1 << 1;
const ARM_HWCAP_THUMB = 1 << 2;
const ARM_HWCAP_FAST_MULT = 1 << 4;
const ARM_HWCAP_VFP = 1 << 6;
const ARM_HWCAP_EDSP = 1 << 7;
const ARM_HWCAP_NEON = 1 << 12;
const ARM_HWCAP_VFPv3 = 1 << 13;
const ARM_HWCAP_TLS = 1 << 15;
const ARM_HWCAP_IDIVA = 1 << 17;
const ARM_HWCAP_IDIVT = 1 << 18;
const ARM_HWCAP_VFPD32 = 1 << 19;
const ARM_HWCAP2_AES = 1 << 0;
const ARM_HWCAP2_PMULL = 1 << 1;
const ARM_HWCAP2_SHA1 = 1 << 2;
const ARM_HWCAP2_SHA2 = 1 << 3;
const ARM_HWCAP2_CRC32 = 1 << 4;

/**
 * 32-bit ARM (EABI, armhf and armel): HWCAP lists what the A32/T32 frontend implements
 * (translate/arm): halfword and long multiplies, Thumb-2, the DSP extensions, VFPv3 with 32 double
 * registers, NEON (glibc's ifuncs then choose their NEON string functions), TLS in TPIDRURO,
 * hardware divide in both instruction sets; HWCAP2 ARMv8's cryptographic extension and CRC32, as
 * QEMU's `max` has them (the ARMv7 models clear it, src/user/cpu-models.ts). Linux on arm reports
 * no AT_MINSIGSTKSZ.
 */
export const ARM_LOADER_TARGET: LoaderTarget = {
  name: 'arm',
  machine: 40,
  machineName: 'arm',
  elfClass: 32,
  byteOrders: ['little'],
  hwcap:
    ARM_HWCAP_HALF | ARM_HWCAP_THUMB | ARM_HWCAP_FAST_MULT | ARM_HWCAP_VFP | ARM_HWCAP_EDSP | ARM_HWCAP_NEON | ARM_HWCAP_VFPv3 |
    ARM_HWCAP_TLS | ARM_HWCAP_IDIVA | ARM_HWCAP_IDIVT | ARM_HWCAP_VFPD32,
  hwcap2: ARM_HWCAP2_AES | ARM_HWCAP2_PMULL | ARM_HWCAP2_SHA1 | ARM_HWCAP2_SHA2 | ARM_HWCAP2_CRC32,
  platform: 'v7l',
  minSigStkSz: undefined,
  defaultStackSize: 8 * 1024 * 1024,
};
