/**
 * Guest threads on every Linux target (src/user/threads/): the programs of test/guest/threads/,
 * built with each Debian cross compiler statically and dynamically (run with -L /usr/<triplet>),
 * under tsemu and under qemu-<arch> (the oracle): same output, same exit status. What each
 * program checks is said at the top of its source; every line it prints is a checked result that
 * does not depend on scheduling. What qemu-user 7.2 cannot do (a forked child of a threaded
 * process making a thread: it aborts; robust mutexes: it refuses set_robust_list) and exec from a
 * thread are compared with the native kernel.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM, ARM_BUILDS } from '../arm/targets';
import { buildPrograms } from '../guest/build';
import type { GuestProgramSpec } from '../guest/programs';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { runProcess } from '../lib/run-process';
import { AARCH64, REPO_ROOT, guestProgram, tsemuBinary, type GuestTarget } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';

const PTHREADS: GuestProgramSpec = { name: 'pthreads', sources: ['threads/pthreads.c'], cflags: ['-pthread'] };
const SIGNALS: GuestProgramSpec = { name: 'thread_signals', sources: ['threads/thread_signals.c'], cflags: ['-pthread'] };
const BLOCKING: GuestProgramSpec = { name: 'blocking', sources: ['threads/blocking.c'], cflags: ['-pthread'] };
const ROBUST: GuestProgramSpec = { name: 'robust', sources: ['threads/robust.c'], cflags: ['-pthread'] };
const FP_MODES: GuestProgramSpec = { name: 'fp_modes', sources: ['threads/fp_modes.c'], cflags: ['-pthread', '-lm'] };

interface ThreadBuild {
  title: string;
  /** The emulators that run it (tsemu-<name>, its qemu). */
  emulator: GuestTarget;
  /** The compiler and flags, with a build directory of its own (threads-<name>[-dynamic]). */
  target: GuestTarget;
  /** The guest sysroot of a dynamic build (-L). */
  sysroot?: string;
  programs: readonly GuestProgramSpec[];
  /** A gap of tsemu's outside threads: the test is it.fails with this reason until it is closed. */
  knownGap?: string;
}

const BASES: { title: string; target: GuestTarget; emulator: GuestTarget }[] = [
  { title: 'aarch64', target: AARCH64, emulator: AARCH64 },
  { title: 'ppc64', target: PPC64, emulator: PPC64 },
  { title: 'ppc64le', target: PPC64LE, emulator: PPC64LE },
  ...ARM_BUILDS.map((b) => ({ ...b, emulator: ARM })),
];

/** The builds that also run the blocking calls: one per target ISA, and one dynamic build (to keep CI time small). */
const BLOCKING_BUILDS = new Set(['aarch64', 'ppc64', 'ppc64le', 'armhf -mthumb']);

/**
 * Static builds run every program; dynamic ones (the sysroot's libc and libpthread) the load test,
 * once per sysroot (armhf -marm shares armhf -mthumb's), and aarch64's the blocking calls too.
 */
const BUILDS: ThreadBuild[] = BASES.flatMap(({ title, target, emulator }) => [
  {
    title: `${title} static`,
    emulator,
    target: { ...target, name: `threads-${target.name}` },
    programs: [PTHREADS, SIGNALS, FP_MODES, ...(BLOCKING_BUILDS.has(title) ? [BLOCKING, ROBUST] : [])],
  },
  ...(title === 'armhf -marm' ? [] : [{
    title: `${title} dynamic`,
    emulator,
    target: { ...target, name: `threads-${target.name}-dynamic`, cflags: target.cflags.filter((f) => f !== '-static') },
    sysroot: `/usr/${target.cc.replace(/-gcc$/, '')}`,
    programs: title === 'aarch64' ? [PTHREADS, BLOCKING] : [PTHREADS],
  }]),
]);

/** Programs compared with the native kernel only: qemu-user answers set_robust_list with ENOSYS, so glibc refuses robust mutexes. */
const NATIVE_ORACLE: ReadonlySet<GuestProgramSpec> = new Set([ROBUST]);

beforeAll(async () => {
  await Promise.all(BUILDS.map((b) => buildPrograms(b.target, b.programs)));
}, 600_000);

describe.concurrent('guest threads: tsemu vs qemu-user', () => {
  for (const b of BUILDS) {
    const runs = b.programs.filter((p) => !NATIVE_ORACLE.has(p)).flatMap((p) => [{ program: p, args: [] as string[] }, ...(p === SIGNALS ? [{ program: p, args: ['cancel'] }] : [])]);
    for (const { program, args } of runs) {
      const title = `${program.name}${args.length ? ` ${args.join(' ')}` : ''} on ${b.title}`;
      const test = b.knownGap ? it.fails : it;
      test(`${title}${b.knownGap ? ` (known gap: ${b.knownGap})` : ''}`, async () => {
        const results = await runUnderBoth(b.emulator, {
          program: guestProgram(b.target, program.name),
          args,
          emulatorArgs: b.sysroot ? ['-L', b.sysroot] : [],
          // armel's dynamic stress run takes 3 s of CPU (glibc's kernel-helper atomics); on a loaded machine that passed 60 s.
          timeoutMs: 120_000,
        });
        expectOracleEnding(results.qemu, { status: 0 });
        expectSameBehaviour(results, true);
      });
    }
  }
});

describe.concurrent('guest threads: fork and exec in a threaded process, robust mutexes, vs the native kernel', () => {
  const native = (program: GuestProgramSpec): string => path.join(REPO_ROOT, 'test', 'guest', 'build', 'threads-native', program.name);
  beforeAll(() => {
    mkdirSync(path.dirname(native(SIGNALS)), { recursive: true });
    for (const p of [SIGNALS, ROBUST]) execFileSync('gcc', ['-O2', '-pthread', '-o', native(p), path.join(REPO_ROOT, 'test', 'guest', p.sources[0]!)]);
  });
  const modes = [
    { program: SIGNALS, mode: ['fork-thread'], what: 'the child of a fork makes a thread of its own', builds: /aarch64|thumb/ },
    { program: SIGNALS, mode: ['exec'], what: 'execve from a thread replaces the process', builds: /aarch64|thumb/ },
    { program: ROBUST, mode: [], what: 'robust mutexes whose owner thread or process ended', builds: /./ },
  ];
  for (const { program, mode, what, builds } of modes) for (const b of BUILDS.filter((x) => !x.sysroot && x.programs.includes(program) && builds.test(x.title))) {
    it(`${what} on ${b.title}`, async () => {
      const expected = await runProcess(native(program), { args: mode, timeoutMs: 30_000 });
      const result = await runProcess(tsemuBinary(b.emulator), {
        args: [guestProgram(b.target, program.name), ...mode],
        timeoutMs: 110_000,
      });
      expect(expected.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(expected.stdout);
      expect(result.status).toBe(0);
    });
  }
});
