/**
 * /proc/cpuinfo as each guest's Linux prints it (arch/arm64/kernel/cpuinfo.c, arch/arm/kernel/setup.c,
 * arch/powerpc/kernel/setup-common.c), for the CPU tsemu emulates: the identification registers
 * its frontends report (AArch64 MIDR_EL1 and PowerPC PVR, the -cpu model's, Cortex-A57 r1p0 and
 * POWER8 v2.0 without one; ARM: Cortex-A15 r2p1) and the features the process's auxv advertises (AT_HWCAP and, on arm, AT_HWCAP2, which
 * the -cpu model decides), by the kernel's hwcap names. Keyed by the ABI's uname machine; a machine without an
 * entry sees the host's file.
 */

/** The file for `cpus` processors of a CPU with AT_HWCAP `hwcap`, AT_HWCAP2 `hwcap2` and identification register `identity`. */
export type CpuinfoText = (cpus: number, hwcap: number, hwcap2: number, identity: number | undefined) => string;

/** The names of the set bits of `hwcap`, bit 0 first, as the kernel's hwcap_str table spells them. */
const featureNames = (names: readonly string[], hwcap: number): string =>
  names.filter((_, bit) => (hwcap >>> bit) & 1).join(' ');

/** arch/arm64/kernel/cpuinfo.c hwcap_str, by AT_HWCAP bit. */
const AARCH64_HWCAP_NAMES = [
  'fp', 'asimd', 'evtstrm', 'aes', 'pmull', 'sha1', 'sha2', 'crc32', 'atomics', 'fphp', 'asimdhp', 'cpuid',
  'asimdrdm', 'jscvt', 'fcma', 'lrcpc', 'dcpop', 'sha3', 'sm3', 'sm4', 'asimddp', 'sha512', 'sve', 'asimdfhm',
  'dit', 'uscat', 'ilrcpc', 'flagm', 'ssbs', 'sb', 'paca', 'pacg',
];
/** arch/arm/kernel/setup.c hwcap_str, by AT_HWCAP bit. */
const ARM_HWCAP_NAMES = [
  'swp', 'half', 'thumb', '26bit', 'fastmult', 'fpa', 'vfp', 'edsp', 'java', 'iwmmxt', 'crunch', 'thumbee',
  'neon', 'vfpv3', 'vfpv3d16', 'tls', 'vfpv4', 'idiva', 'idivt', 'vfpd32', 'lpae', 'evtstrm',
];
/** arch/arm/kernel/setup.c hwcap2_str, by AT_HWCAP2 bit, listed after the AT_HWCAP names. */
const ARM_HWCAP2_NAMES = ['aes', 'pmull', 'sha1', 'sha2', 'crc32'];

const repeat = (cpus: number, block: (n: number) => string): string => Array.from({ length: cpus }, (_, n) => block(n)).join('');

/** MIDR_EL1 of a Cortex-A57 r1p0. */
const CORTEX_A57_MIDR = 0x411fd070;
const hex = (v: number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;

/** arch/arm64/kernel/cpuinfo.c c_show: MIDR_EL1's implementer, variant, part and revision fields. */
const aarch64: CpuinfoText = (cpus, hwcap, _hwcap2, midr = CORTEX_A57_MIDR) =>
  repeat(
    cpus,
    (n) =>
      `processor\t: ${n}\nBogoMIPS\t: 100.00\nFeatures\t: ${featureNames(AARCH64_HWCAP_NAMES, hwcap)}\n` +
      `CPU implementer\t: ${hex(midr >>> 24, 2)}\nCPU architecture: 8\nCPU variant\t: ${hex((midr >>> 20) & 0xf, 1)}\n` +
      `CPU part\t: ${hex((midr >>> 4) & 0xfff, 3)}\nCPU revision\t: ${midr & 0xf}\n\n`,
  );

const arm: CpuinfoText = (cpus, hwcap, hwcap2) =>
  repeat(
    cpus,
    (n) =>
      `processor\t: ${n}\nmodel name\t: ARMv7 Processor rev 1 (v7l)\nBogoMIPS\t: 100.00\n` +
      `Features\t: ${[featureNames(ARM_HWCAP_NAMES, hwcap), featureNames(ARM_HWCAP2_NAMES, hwcap2)].filter(Boolean).join(' ')}\nCPU implementer\t: 0x41\n` +
      `CPU architecture: 7\nCPU variant\t: 0x2\nCPU part\t: 0xc0f\nCPU revision\t: 1\n\n`,
  ) + 'Hardware\t: Generic DT based system\nRevision\t: 0000\nSerial\t\t: 0000000000000000\n';

/** A POWER8 v2.0's PVR. */
const POWER8_PVR = 0x004d0200;

/**
 * arch/powerpc/kernel/setup-common.c show_cpuinfo on a pseries guest: the architected CPU family
 * (POWER8 for the POWER8, POWER8E and POWER8NVL versions 0x4d, 0x4b, 0x4c; POWER9 for 0x4e), and
 * the revision from the PVR (POWER9's major number is 4 bits wide, the others' 8).
 */
function ppcRevision(pvr: number): { family: string; revision: string } {
  const version = pvr >>> 16;
  const major = (pvr >>> 8) & (version === 0x4e ? 0xf : 0xff);
  const hex4 = (v: number): string => v.toString(16).padStart(4, '0');
  return {
    family: version === 0x4e ? 'POWER9' : 'POWER8',
    revision: `${major}.${pvr & 0xff} (pvr ${hex4(version)} ${hex4(pvr & 0xffff)})`,
  };
}

const ppc64: CpuinfoText = (cpus, _hwcap, _hwcap2, pvr = POWER8_PVR) =>
  repeat(cpus, (n) => {
    const { family, revision } = ppcRevision(pvr);
    return `processor\t: ${n}\ncpu\t\t: ${family} (architected)\nclock\t\t: 1000.000000MHz\nrevision\t: ${revision}\n\n`;
  }) +
  'timebase\t: 512000000\nplatform\t: pSeries\nmodel\t\t: IBM pSeries (emulated by tsemu)\nmachine\t\t: CHRP IBM pSeries (emulated by tsemu)\nMMU\t\t: Hash\n';

export const CPUINFO_BY_MACHINE: Readonly<Record<string, CpuinfoText>> = {
  aarch64,
  armv7l: arm,
  ppc64,
  ppc64le: ppc64,
};
