/**
 * `-cpu MODEL` and TSEMU_CPU in user mode, against qemu-<target> (QEMU_CPU): `-cpu help` lists the
 * models in QEMU's format (tsemu's list is part of QEMU's) and exits 1 as QEMU does; an unknown
 * name is refused with QEMU's message and status 1, from the option and from the environment
 * variable; and a model decides the features a program sees: AT_HWCAP is QEMU's for that model
 * cut to what tsemu implements (the bits of tsemu's default model; ARM and AArch64, where QEMU's
 * HWCAP follows Linux), and an instruction the model lacks (AArch64 LSE atomics on the Cortex
 * models) dies by SIGILL under both. AArch64's ID registers EL0 reads (MIDR_EL1, CTR_EL0,
 * ID_AA64ISAR0_EL1) are QEMU's per model; /proc/cpuinfo (which QEMU 7.2 does not emulate for these
 * targets) names the HWCAP bits and decodes that MIDR_EL1 as Linux's arch/arm64/kernel/cpuinfo.c does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM } from '../arm/targets';
import { buildPrograms } from '../guest/build';
import type { GuestProgramSpec } from '../guest/programs';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { runProcess, type RunResult } from '../lib/run-process';
import { AARCH64, guestProgram, tsemuBinary, type GuestTarget } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';

const PROGRAM: GuestProgramSpec = { name: 'cpu_features', sources: ['../cli/guest/cpu_features.c'] };
const PPC_ISA_PROGRAM: GuestProgramSpec = { name: 'ppc_isa300', sources: ['../cli/guest/ppc_isa300.c'] };
const PPC_TARGETS = [PPC64LE, PPC64];

interface CpuCase {
  target: GuestTarget;
  /** The models tsemu lists (each is run), and whether QEMU's HWCAP for them is comparable. */
  models: readonly string[];
  compareHwcap: boolean;
}

const CASES: readonly CpuCase[] = [
  { target: AARCH64, models: ['cortex-a53', 'cortex-a57', 'cortex-a72', 'max'], compareHwcap: true },
  { target: ARM, models: ['cortex-a15', 'cortex-a7', 'max', 'any'], compareHwcap: true },
  // QEMU 7.2 gives PowerPC guests neither PPC_FEATURE_HAS_MMU nor TRUE_LE, which Linux always sets.
  { target: PPC64LE, models: ['power8e_v2.1', 'power8nvl', 'power8_v2.0', 'power8', 'power9_v1.0', 'power9'], compareHwcap: false },
  { target: PPC64, models: ['power8', 'power9_v2.0'], compareHwcap: false },
];

/** An emulator's own name replaced, so messages compare. */
const anonymous = (text: string): string => text.replace(/(qemu|tsemu)-[a-z0-9]+/g, 'EMULATOR');

const hwcapOf = (r: RunResult): bigint => BigInt(/hwcap=(0x[0-9a-f]+|0)/.exec(r.stdout)![1]!);
const hwcap2Of = (r: RunResult): bigint => BigInt(/hwcap2=(0x[0-9a-f]+|0)/.exec(r.stdout)![1]!);

beforeAll(async () => {
  await Promise.all(CASES.map((c) => buildPrograms(c.target, PPC_TARGETS.includes(c.target) ? [PROGRAM, PPC_ISA_PROGRAM] : [PROGRAM])));
}, 600_000);

describe.concurrent('user-mode -cpu: tsemu vs qemu-user', () => {
  for (const { target, models, compareHwcap } of CASES) {
    it(`${target.name}: -cpu help lists ${models.join(', ')} as QEMU lists them, status 1`, async () => {
      const [tsemu, qemu] = await Promise.all(
        [tsemuBinary(target), target.qemu].map((bin) => runProcess(bin, { args: ['-cpu', 'help'], timeoutMs: 30_000 })),
      );
      expect(qemu.status).toBe(1);
      expect(tsemu.status).toBe(1);
      const qemuLines = new Set(qemu.stdout.split('\n'));
      const lines = tsemu.stdout.trimEnd().split('\n');
      for (const line of lines) expect(qemuLines, `QEMU has no line "${line}"`).toContain(line);
      for (const model of models) expect(tsemu.stdout).toMatch(new RegExp(`^(  |PowerPC )${model.replace('.', '\\.')}\\s`, 'm'));
    });

    it(`${target.name}: an unknown model, by -cpu and by the environment, is refused as QEMU refuses it`, async () => {
      const program = guestProgram(target, PROGRAM.name);
      for (const run of [
        { program, emulatorArgs: ['-cpu', 'no-such-cpu'] },
        { program, env: { QEMU_CPU: 'no-such-cpu', TSEMU_CPU: 'no-such-cpu' } },
      ]) {
        const results = await runUnderBoth(target, run);
        expectOracleEnding(results.qemu, { status: 1 });
        expect(anonymous(results.tsemu.stderr)).toBe(anonymous(results.qemu.stderr));
        expect(results.tsemu.status).toBe(1);
        expect(results.tsemu.stdout).toBe('');
      }
    });

    it(`${target.name}: each model runs${compareHwcap ? ' with QEMU\'s AT_HWCAP and AT_HWCAP2 cut to what tsemu implements' : ''}`, async () => {
      const program = guestProgram(target, PROGRAM.name);
      const defaults = (await runUnderBoth(target, { program })).tsemu;
      const [full, full2] = [hwcapOf(defaults), hwcap2Of(defaults)];
      for (const model of models) {
        const results = await runUnderBoth(target, { program, emulatorArgs: ['-cpu', model] });
        expectOracleEnding(results.qemu, { status: 0 });
        expect(results.tsemu.status, results.tsemu.stderr).toBe(0);
        const expected = compareHwcap ? hwcapOf(results.qemu) & full : full;
        expect(hwcapOf(results.tsemu), `AT_HWCAP of ${model}`).toBe(expected);
        expect(hwcap2Of(results.tsemu), `AT_HWCAP2 of ${model}`).toBe(compareHwcap ? hwcap2Of(results.qemu) & full2 : full2);
      }
    });

    if (PPC_TARGETS.includes(target)) {
      it(`${target.name}: AT_HWCAP2 claims only features QEMU's POWER9 has, as an unsigned long (ISA 2.07's bit 31 not sign-extended)`, async () => {
        const results = await runUnderBoth(target, { program: guestProgram(target, PROGRAM.name) });
        expectOracleEnding(results.qemu, { status: 0 });
        expect(hwcap2Of(results.tsemu) & ~hwcap2Of(results.qemu)).toBe(0n);
        expect(hwcap2Of(results.tsemu)).not.toBe(0n);
      });
    }
  }

  for (const model of ['cortex-a53', 'cortex-a57', 'cortex-a72']) {
    it(`aarch64: ${model} (ARMv8.0) has no LSE atomics: ldadd dies by SIGILL`, async () => {
      const results = await runUnderBoth(AARCH64, {
        program: guestProgram(AARCH64, PROGRAM.name),
        args: ['lse'],
        emulatorArgs: ['-cpu', model],
      });
      expectOracleEnding(results.qemu, { signal: 'SIGILL' });
      expect(results.tsemu.signal).toBe('SIGILL');
      expect(hwcapOf(results.tsemu) & 0x100n).toBe(0n);
    });
  }

  /**
   * QEMU's ID_AA64ISAR0_EL1 cut to the level of each field tsemu implements: AES (bits 7:4, 2 = with
   * PMULL), SHA1 (11:8), SHA2 (15:12, 2 = with SHA512), CRC32 (19:16), Atomic (23:20), SHA3 (35:32).
   */
  const ISAR0_LEVELS: readonly [shift: bigint, level: bigint][] = [[4n, 2n], [8n, 1n], [12n, 2n], [16n, 1n], [20n, 2n], [32n, 1n]];
  const implementedIsar0 = (isar0: bigint): bigint =>
    ISAR0_LEVELS.reduce((value, [shift, level]) => {
      const field = (isar0 >> shift) & 0xfn;
      return value | ((field < level ? field : level) << shift);
    }, 0n);
  const idsOf = (r: RunResult): Record<string, bigint> =>
    Object.fromEntries([...r.stdout.matchAll(/(\w+)=(0x[0-9a-f]+|0)\b/g)].map((m) => [m[1]!, BigInt(m[2]!)]));

  for (const model of ['cortex-a53', 'cortex-a57', 'cortex-a72', 'max']) {
    it(`aarch64: ${model}'s MIDR_EL1, CTR_EL0 and ID_AA64ISAR0_EL1 at EL0 are QEMU's (ISAR0 cut to what tsemu implements)`, async () => {
      const results = await runUnderBoth(AARCH64, {
        program: guestProgram(AARCH64, PROGRAM.name),
        args: ['id'],
        emulatorArgs: ['-cpu', model],
      });
      expectOracleEnding(results.qemu, { status: 0 });
      const [tsemu, qemu] = [idsOf(results.tsemu), idsOf(results.qemu)];
      expect(tsemu.midr).toBe(qemu.midr);
      expect(tsemu.isar0).toBe(implementedIsar0(qemu.isar0!));
      expect(tsemu.ctr).toBe(qemu.ctr);
    });
  }

  for (const [model, features] of [
    ['cortex-a53', 'fp asimd aes pmull sha1 sha2 crc32 cpuid'],
    ['cortex-a57', 'fp asimd aes pmull sha1 sha2 crc32 cpuid'],
    ['max', 'fp asimd aes pmull sha1 sha2 crc32 atomics cpuid sha3 sha512'],
  ] as const) {
    it(`aarch64: /proc/cpuinfo of ${model} lists the Linux names of its AT_HWCAP bits and decodes QEMU's MIDR_EL1 for it`, async () => {
      const program = guestProgram(AARCH64, PROGRAM.name);
      const [r, qemu] = await Promise.all([
        runProcess(tsemuBinary(AARCH64), { args: ['-cpu', model, program, 'cpuinfo'], timeoutMs: 90_000 }),
        runProcess(AARCH64.qemu, { args: ['-cpu', model, program, 'id'], timeoutMs: 90_000 }),
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(qemu.status, qemu.stderr).toBe(0);
      // Linux's arch/arm64/kernel/cpuinfo.c: MIDR_EL1's implementer (31:24), variant (23:20), part (15:4), revision (3:0).
      const midr = Number(idsOf(qemu).midr);
      const hex = (v: number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;
      // Bits 0 (fp), 1 (asimd), 3 to 6 (aes, pmull, sha1, sha2), 7 (crc32), 8 (atomics), 11 (cpuid), 17 (sha3), 21 (sha512).
      expect(r.stdout).toBe(
        `hwcap=${model === 'max' ? '0x2209fb' : '0x8fb'} hwcap2=0\nFeatures\t: ${features}\n` +
          `CPU implementer\t: ${hex(midr >>> 24, 2)}\nCPU architecture: 8\nCPU variant\t: ${hex((midr >>> 20) & 15, 1)}\n` +
          `CPU part\t: ${hex((midr >>> 4) & 0xfff, 3)}\nCPU revision\t: ${midr & 15}\n`,
      );
    });
  }

  for (const [model, hwcap2Names] of [
    ['max', ' aes pmull sha1 sha2 crc32'],
    ['cortex-a15', ''],
  ] as const) {
    it(`arm: /proc/cpuinfo of ${model} lists the Linux names of its AT_HWCAP bits, then of its AT_HWCAP2 bits`, async () => {
      const r = await runProcess(tsemuBinary(ARM), { args: ['-cpu', model, guestProgram(ARM, PROGRAM.name), 'cpuinfo'], timeoutMs: 90_000 });
      expect(r.status, r.stderr).toBe(0);
      // arch/arm/kernel/setup.c c_show: hwcap_str's names, then hwcap2_str's (bits 0 to 4 of AT_HWCAP2).
      expect(r.stdout).toMatch(new RegExp(`^Features\\t: half thumb fastmult vfp edsp neon vfpv3 tls idiva idivt vfpd32${hwcap2Names}$`, 'm'));
    });
  }

  /** ISA 3.0 instructions QEMU 7.2 decodes on POWER8 too, which tsemu leaves out as the ISA does. */
  const QEMU_DECODES_ON_POWER8 = ['xxspltib', 'vinsertb', 'vinserth', 'vinsertw'];
  for (const target of PPC_TARGETS) {
    for (const model of ['power8', 'power8e', 'power9_v1.0', 'power9']) {
      it(`${target.name}: ${model}'s PVR (mfpvr, which Linux emulates) and which ISA 3.0 instructions raise SIGILL are QEMU's`, async () => {
        const results = await runUnderBoth(target, { program: guestProgram(target, PPC_ISA_PROGRAM.name), emulatorArgs: ['-cpu', model] });
        expectOracleEnding(results.qemu, { status: 0 });
        expect(results.tsemu.stderr).toBe('');
        expect(results.tsemu.status).toBe(0);
        const isa207 = model.startsWith('power8');
        const expected = results.qemu.stdout
          .split('\n')
          .map((line) => (isa207 && QEMU_DECODES_ON_POWER8.includes(line.split(' ')[0]!) ? line.replace(' ok', ' SIGILL') : line));
        expect(results.tsemu.stdout.split('\n')).toEqual(expected);
        expect(results.tsemu.stdout).toContain(isa207 ? 'modud SIGILL' : 'modud ok');

        // /proc/cpuinfo as Linux's show_cpuinfo (arch/powerpc/kernel/setup-common.c) prints it for
        // QEMU's PVR: the architected family, and major.minor from the PVR (POWER9's major is 4 bits).
        const pvr = Number(/^pvr=(0x[0-9a-f]+)$/m.exec(results.qemu.stdout)![1]);
        const hex4 = (v: number): string => v.toString(16).padStart(4, '0');
        const major = (pvr >>> 8) & (isa207 ? 0xff : 0xf);
        const cpuinfo = await runProcess(tsemuBinary(target), {
          args: ['-cpu', model, guestProgram(target, PPC_ISA_PROGRAM.name), 'cpuinfo'],
          timeoutMs: 90_000,
        });
        expect(cpuinfo.stdout).toBe(
          `pvr=0x${pvr.toString(16)}\ncpu\t\t: ${isa207 ? 'POWER8' : 'POWER9'} (architected)\n` +
            `revision\t: ${major}.${pvr & 0xff} (pvr ${hex4(pvr >>> 16)} ${hex4(pvr & 0xffff)})\n`,
        );
      });
    }
  }

  it('aarch64: max has them (same output as QEMU after the HWCAP line)', async () => {
    const results = await runUnderBoth(AARCH64, {
      program: guestProgram(AARCH64, PROGRAM.name),
      args: ['lse'],
      emulatorArgs: ['-cpu', 'max'],
    });
    expectOracleEnding(results.qemu, { status: 0 });
    const afterHwcap = (r: RunResult): RunResult => ({ ...r, stdout: r.stdout.split('\n').slice(1).join('\n') });
    expectSameBehaviour({ tsemu: afterHwcap(results.tsemu), qemu: afterHwcap(results.qemu) }, false);
  });
});
