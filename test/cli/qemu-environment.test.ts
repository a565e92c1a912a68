/**
 * qemu-user's environment variables (QEMU_*, read when the TSEMU_* spelling is unset) and -seed /
 * QEMU_RAND_SEED, against qemu-<target> given the same: -seed makes AT_RANDOM's bytes the ones
 * QEMU's generator gives for that seed, and a seed that is not a number is refused with QEMU's
 * message and status 1.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM } from '../arm/targets';
import { buildPrograms } from '../guest/build';
import type { GuestProgramSpec } from '../guest/programs';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { AARCH64, guestProgram } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';

const PROGRAM: GuestProgramSpec = { name: 'qemu_env', sources: ['../cli/guest/qemu_env.c'] };
const TARGETS = [AARCH64, ARM, PPC64, PPC64LE];

/** An emulator's own name replaced, so messages compare. */
const anonymous = (text: string): string => text.replace(/(qemu|tsemu)-[a-z0-9]+/g, 'EMULATOR');

beforeAll(async () => {
  await Promise.all(TARGETS.map((target) => buildPrograms(target, [PROGRAM])));
}, 600_000);

describe.concurrent('qemu-user environment variables and -seed: tsemu vs qemu-user', () => {
  for (const target of TARGETS) {
    it(`${target.name}: -seed gives AT_RANDOM qemu's bytes for the seed`, async () => {
      const program = guestProgram(target, PROGRAM.name);
      const outputs = new Set<string>();
      for (const seed of ['1', '42', '0x123456789abcdef0', '010']) {
        const results = await runUnderBoth(target, { program, emulatorArgs: ['-seed', seed] });
        expectOracleEnding(results.qemu, { status: 0 });
        expectSameBehaviour(results, true);
        outputs.add(results.tsemu.stdout);
      }
      expect(outputs.size, 'each seed gives other bytes').toBe(4);
    });

    it(`${target.name}: QEMU_RAND_SEED, QEMU_SET_ENV, QEMU_UNSET_ENV and QEMU_ARGV0 act as under qemu`, async () => {
      const program = guestProgram(target, PROGRAM.name);
      const results = await runUnderBoth(target, {
        program,
        env: {
          QEMU_RAND_SEED: '7',
          QEMU_SET_ENV: 'TSEMU_TEST_SET=yes',
          QEMU_UNSET_ENV: 'TSEMU_TEST_UNSET',
          TSEMU_TEST_UNSET: '1',
          QEMU_ARGV0: 'renamed',
        },
      });
      expectOracleEnding(results.qemu, { status: 0 });
      expect(results.qemu.stdout).toContain('argv[0] renamed\nset yes\nunset (none)\n');
      expectSameBehaviour(results, true);
    });

    it(`${target.name}: a seed that is not a number is refused as qemu refuses it, by -seed and by QEMU_RAND_SEED`, async () => {
      const program = guestProgram(target, PROGRAM.name);
      for (const run of [
        { program, emulatorArgs: ['-seed', '-1'] },
        { program, env: { QEMU_RAND_SEED: 'abc' } },
      ]) {
        const results = await runUnderBoth(target, run);
        expectOracleEnding(results.qemu, { status: 1 });
        expect(anonymous(results.tsemu.stderr)).toBe(anonymous(results.qemu.stderr));
        expect(results.tsemu.status).toBe(1);
        expect(results.tsemu.stdout).toBe('');
      }
    });
  }
});
