/**
 * Unwinding out of a signal handler on every Linux target (test/guest/signals/unwind.c):
 * backtrace() and _Unwind_Backtrace from a handler reach the interrupted code, on the normal and
 * on an alternate stack, and pthread_cancel of a thread blocked in read() runs its cleanups.
 * Static builds for every target and dynamic ones (-L /usr/<triplet>) where the oracle runs them,
 * under tsemu and qemu-<arch>.
 *
 * QEMU 7.2 gives PowerPC64 guests no vDSO; Linux does, and its __kernel_sigtramp_rt64 carries
 * the CFI libgcc follows through the signal frame (arch/powerpc/kernel/vdso/sigtramp64.S), and
 * glibc's PowerPC64 backtrace() reads the interrupted pc from the frame when the return address is
 * that symbol (sysdeps/powerpc/powerpc64/backtrace.c). Under QEMU 7.2 both unwinders stop at the
 * frame, so on PowerPC64 the lines below are compared as Linux prints them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM, ARM_BUILDS } from '../arm/targets';
import { buildPrograms } from '../guest/build';
import type { GuestProgramSpec } from '../guest/programs';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth, type BothResults } from '../lib/oracle';
import { AARCH64, guestProgram, type GuestTarget } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';

/** -fexceptions: the cleanups run during the forced unwind; -funwind-tables: ARM's EHABI tables for C. */
const UNWIND: GuestProgramSpec = {
  name: 'unwind',
  sources: ['signals/unwind.c'],
  cflags: ['-pthread', '-fexceptions', '-funwind-tables', '-fno-optimize-sibling-calls'],
};

interface UnwindBuild {
  title: string;
  emulator: GuestTarget;
  target: GuestTarget;
  sysroot?: string;
  /** The target's kernel has a vDSO trampoline with CFI that QEMU 7.2 lacks (see the overview). */
  vdsoOnlyOnLinux?: boolean;
}

interface UnwindBase {
  title: string;
  target: GuestTarget;
  emulator: GuestTarget;
  /** Also built dynamically, run with -L /usr/<triplet>. */
  dynamic: boolean;
  vdsoOnlyOnLinux?: boolean;
}

const BASES: UnwindBase[] = [
  { title: 'aarch64', target: AARCH64, emulator: AARCH64, dynamic: true },
  { title: 'ppc64le', target: PPC64LE, emulator: PPC64LE, dynamic: true, vdsoOnlyOnLinux: true },
  // qemu-ppc64 7.2 crashes in the dynamic build before its first line, so only the static one is compared.
  { title: 'ppc64', target: PPC64, emulator: PPC64, dynamic: false, vdsoOnlyOnLinux: true },
  ...ARM_BUILDS.map((b) => ({ ...b, emulator: ARM, dynamic: b.title === 'armhf -mthumb' })),
];

const BUILDS: UnwindBuild[] = BASES.flatMap(({ title, target, emulator, dynamic, vdsoOnlyOnLinux }) => [
  { title: `${title} static`, emulator, target: { ...target, name: `unwind-${target.name}` }, vdsoOnlyOnLinux },
  ...(dynamic
    ? [{
        title: `${title} dynamic`,
        emulator,
        target: {
          ...target,
          name: `unwind-${target.name}-dynamic`,
          cflags: target.cflags.filter((f) => f !== '-static'),
        },
        sysroot: `/usr/${target.cc.replace(/-gcc$/, '')}`,
        vdsoOnlyOnLinux,
      }]
    : []),
]);

/** What QEMU 7.2 prints on PowerPC64 and what Linux prints instead: each unwinder stops at the frame there, passes it here. */
const QEMU_72_PPC64_LINES: readonly [qemu: string, linux: string][] = [
  ['backtrace(): interrupted pc 0,', 'backtrace(): interrupted pc 1,'],
  ['_Unwind_Backtrace: interrupted pc 0, inner 0, outer 0, main 0', '_Unwind_Backtrace: interrupted pc 1, inner 1, outer 1, main 1'],
  [
    'pthread_cleanup_push handler 0, cleanup attribute in the blocked function 0',
    'pthread_cleanup_push handler 1, cleanup attribute in the blocked function 1',
  ],
];

/** The oracle's stdout as Linux prints it: QEMU 7.2's PowerPC64 lines replaced, after checking they are there. */
function asLinux(results: BothResults, build: UnwindBuild): BothResults {
  if (!build.vdsoOnlyOnLinux) return results;
  let stdout = results.qemu.stdout;
  for (const [qemu, linux] of QEMU_72_PPC64_LINES) {
    expect(stdout, `QEMU 7.2 no longer prints "${qemu}"`).toContain(qemu);
    stdout = stdout.split(qemu).join(linux);
  }
  return { ...results, qemu: { ...results.qemu, stdout } };
}

beforeAll(async () => {
  await Promise.all(BUILDS.map((b) => buildPrograms(b.target, [UNWIND])));
}, 600_000);

describe.concurrent('unwinding through signal frames: tsemu vs qemu-user', () => {
  for (const b of BUILDS) {
    const linuxNote = b.vdsoOnlyOnLinux ? ' (the vDSO trampoline lines as Linux prints them)' : '';
    it(`backtrace() and _Unwind_Backtrace from a handler, pthread_cancel in read() on ${b.title}${linuxNote}`, async () => {
      const results = await runUnderBoth(b.emulator, {
        program: guestProgram(b.target, UNWIND.name),
        emulatorArgs: b.sysroot ? ['-L', b.sysroot] : [],
        timeoutMs: 60_000,
      });
      expectOracleEnding(results.qemu, { status: 0 });
      expectSameBehaviour(asLinux(results, b), true);
    });
  }
});
