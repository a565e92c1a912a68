/**
 * Dynamically linked ppc64 and ppc64le programs: ld.so and libc come from the -L sysroot Debian's
 * cross libc installs, and tsemu must match qemu-ppc64 / qemu-ppc64le with the same -L. On
 * big-endian ppc64 this covers the ELFv1 start: ld.so's entry is a function descriptor it has not
 * relocated yet, so its code address and TOC are moved by ld.so's load bias (Linux start_thread).
 */
import { beforeAll, describe, it } from 'vitest';
import { buildPrograms } from '../guest/build';
import { GUEST_PROGRAMS } from '../guest/programs';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { guestProgram, type GuestTarget } from '../lib/targets';
import { PPC64_TARGETS } from './targets';

const PROGRAMS = GUEST_PROGRAMS.filter((p) => ['hello', 'sha256'].includes(p.name));

const BUILDS = PPC64_TARGETS.map((target) => ({
  emulator: target,
  target: { ...target, name: `${target.name}-dynamic`, cflags: target.cflags.filter((f) => f !== '-static') } as GuestTarget,
  sysroot: `/usr/${target.cc.replace(/-gcc$/, '')}`,
}));

beforeAll(async () => {
  await Promise.all(BUILDS.map((b) => buildPrograms(b.target, PROGRAMS)));
}, 300_000);

for (const b of BUILDS) {
  describe.concurrent(`dynamic programs on ${b.emulator.name}: tsemu -L vs ${b.emulator.qemu} -L`, () => {
    for (const p of PROGRAMS) {
      it(`${p.name}: same output and exit status`, async () => {
        const results = await runUnderBoth(b.emulator, {
          program: guestProgram(b.target, p.name),
          emulatorArgs: ['-L', b.sysroot],
          timeoutMs: 60_000,
        });
        expectOracleEnding(results.qemu, { status: 0 });
        expectSameBehaviour(results, true);
      });
    }
  });
}
