/**
 * The shared guest test programs (test/guest/common) built for 32-bit ARM three ways (armhf ARM
 * state, armhf Thumb state, armel) and run under tsemu-arm and qemu-arm: same stdout, same exit
 * status or killing signal. Both emulators get `-cpu cortex-a15` so QEMU reports the ARMv7 CPU
 * tsemu is (AT_PLATFORM v7l; its default "max" CPU is ARMv8), but for the ARMv8 cryptographic and
 * CRC32 instructions, which run on `max` and die by SIGILL on the Cortex-A15. dirlist is left out: qemu-arm 7.2
 * itself dies by SIGSEGV running it, so there is no oracle.
 */
import { beforeAll, describe, it } from 'vitest';
import { buildGuestPrograms } from '../guest/build';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth, type Ending } from '../lib/oracle';
import { guestProgram } from '../lib/targets';
import { ARM, ARM_BUILDS } from './targets';

interface GuestCase {
  title: string;
  program: string;
  args?: string[];
  input?: string;
  ending: Ending;
  /** A known tsemu gap (it.fails) for the builds listed, or for all builds when `builds` is absent. */
  knownGap?: { reason: string; builds?: readonly string[] };
  /** Only these builds have the program (the ARMv7 DSP and NEON programs are armhf only; armel targets ARMv5T). */
  builds?: readonly string[];
  /** The -cpu both emulators get (cortex-a15 when absent). */
  cpu?: string;
}

const OK: Ending = { status: 0 };
const ARMHF = ['armhf -marm', 'armhf -mthumb'];
const THUMB = ['armhf -mthumb'];
const A32 = ['armhf -marm', 'armel'];
const FP_FLAGS = 'FPSCR inexact and underflow flags (1/3, DBL_MIN/1e10) and invalid from VCVT to integer ((int)DBL_MAX) are not raised on the native path';

const CASES: GuestCase[] = [
  { title: 'hello: stdio to stdout and stderr', program: 'hello', ending: OK },
  { title: 'proc_fd: /proc/self/fd lists the guest\'s descriptors under its numbers, and only those', program: 'proc_fd', ending: OK },
  { title: 'exit_status: exit(42)', program: 'exit_status', args: ['exit', '42'], ending: { status: 42 } },
  { title: 'exit_status: abort() dies by SIGABRT', program: 'exit_status', args: ['abort'], ending: { signal: 'SIGABRT' } },
  { title: 'args: argv, envp (sorted) and auxv', program: 'args', args: ['one', 'two words', ''], ending: OK },
  { title: 'stdin_filter: reads piped stdin', program: 'stdin_filter', input: 'first line\nsecond\n' + 'x'.repeat(5000), ending: OK },
  { title: 'fileio: file I/O round trip and errno values', program: 'fileio', ending: OK },
  { title: 'memory_maps: brk, anonymous and file mmap, mremap, mprotect', program: 'memory_maps', ending: OK },
  { title: 'sysinfo: uname, /proc/self/exe, ids, cwd, rlimits', program: 'sysinfo', ending: OK },
  { title: 'malloc_stress: malloc/calloc/realloc/free', program: 'malloc_stress', ending: OK },
  { title: 'float_printf: printf of float and double', program: 'float_printf', ending: OK },
  { title: 'qsort_bsearch: qsort and bsearch', program: 'qsort_bsearch', ending: OK },
  { title: 'late_paths: loop paths that turn hot at different times', program: 'late_paths', ending: OK },
  {
    title: 'jit_rewrite: a function rewritten beside hot code, data on the code page, RWX/RX and RW/RX switches',
    program: 'jit_rewrite',
    ending: OK,
  },
  {
    title: 'linked_exits: jumps between code compiled apart, their target rewritten and compiled anew each round',
    program: 'linked_exits',
    ending: OK,
  },
  { title: 'setjmp_longjmp: setjmp/longjmp, callee-saved registers', program: 'setjmp_longjmp', args: ['plain'], ending: OK },
  { title: 'sha256: SHA-256 of test vectors and a 1 MiB buffer', program: 'sha256', ending: OK },
  { title: 'fp_edge: NaNs, infinities, signed zeros, subnormals', program: 'fp_edge', args: ['values'], ending: OK },
  { title: 'fp_edge: the four rounding modes via fesetround', program: 'fp_edge', args: ['rounding'], ending: OK },
  {
    title: 'fp_edge: exception flags seen by fetestexcept',
    program: 'fp_edge',
    args: ['flags'],
    ending: OK,
    knownGap: { reason: FP_FLAGS, builds: ['armhf -marm', 'armhf -mthumb'] },
  },
  { title: 'vector_loops: -ftree-vectorize loops', program: 'vector_loops', ending: OK },
  {
    title: 'split_loop: a hot loop whose blocks turn hot phase by phase, calling code rewritten each phase and storing into its own code page',
    program: 'split_loop',
    ending: OK,
  },
  { title: 'strings: glibc string routines over lengths and alignments', program: 'strings', ending: OK },
  { title: 'strconv: strtod/strtol/printf round trips', program: 'strconv', ending: OK },
  { title: 'time_funcs: calendar conversions and clock sanity, nanosleep', program: 'time_funcs', ending: OK },
  { title: 'segv: null pointer store dies by SIGSEGV', program: 'segv', args: ['die'], ending: { signal: 'SIGSEGV' } },
  {
    title: 'jit: Thumb and ARM code rewritten at the same address (only the byte at an odd Thumb pc - 1 changes), run each time',
    program: 'jit',
    ending: OK,
  },
  { title: 'dsp: parallel add/subtract, saturating, dual and most-significant multiplies, Q and GE', program: 'dsp', ending: OK, builds: ARMHF },
  { title: 'neon: Advanced SIMD intrinsics over edge values', program: 'neon', ending: OK, builds: ARMHF },
  { title: 'vector_loops_neon: -O3 -mfpu=neon vectorised loops', program: 'vector_loops_neon', ending: OK, builds: ARMHF },  { title: 'a32_undef: the clean MOVS immediate runs', program: 'a32_undef', args: ['clean'], ending: OK, builds: A32 },
  { title: 'a32_undef: MOVS (immediate) with Rn != 0 dies by SIGILL', program: 'a32_undef', args: ['movs-imm-rn'], ending: { signal: 'SIGILL' }, builds: A32 },
  { title: 'a32_undef: TST (immediate) with Rd != 0 dies by SIGILL', program: 'a32_undef', args: ['tst-imm-rd'], ending: { signal: 'SIGILL' }, builds: A32 },
  { title: 'a32_undef: MVN (register) with Rn != 0 dies by SIGILL', program: 'a32_undef', args: ['mvn-reg-rn'], ending: { signal: 'SIGILL' }, builds: A32 },
  { title: 'a32_undef: CMP (register-shifted register) with Rd != 0 dies by SIGILL', program: 'a32_undef', args: ['cmp-regreg-rd'], ending: { signal: 'SIGILL' }, builds: A32 },
  { title: 'a32_undef: VST1 of three registers with align<1> set dies by SIGILL', program: 'a32_undef', args: ['vst1-align'], ending: { signal: 'SIGILL' }, builds: A32 },
  { title: 'thumb_undef: a 16-bit conditional branch inside an IT block dies by SIGILL', program: 'thumb_undef', args: ['b-in-it'], ending: { signal: 'SIGILL' }, builds: THUMB },
  { title: 'thumb_undef: a 32-bit conditional branch inside an IT block dies by SIGILL', program: 'thumb_undef', args: ['bw-in-it'], ending: { signal: 'SIGILL' }, builds: THUMB },
  { title: 'thumb_undef: BX with bits 2..0 not zero dies by SIGILL', program: 'thumb_undef', args: ['bx-sbz'], ending: { signal: 'SIGILL' }, builds: THUMB },
  {
    title: "thumb_undef: a SIGILL handler's si_addr is the undefined instruction's even address",
    program: 'thumb_undef',
    args: ['handled'],
    ending: { status: 0 },
    builds: THUMB,
  },
  {
    title: 'thumb_undef: a conditional branch in an IT block whose condition fails is skipped',
    program: 'thumb_undef',
    args: ['b-in-it-skipped'],
    ending: OK,
    builds: THUMB,
  },
  { title: 'crypto: AES, SHA1, SHA256, VMULL.P64 and CRC32 instructions on max', program: 'crypto', ending: OK, builds: ARMHF, cpu: 'max' },
  { title: 'crypto: an AESE dies by SIGILL on the ARMv7 Cortex-A15', program: 'crypto', ending: { signal: 'SIGILL' }, builds: ARMHF },
  { title: 'crypto: a CRC32W dies by SIGILL on the ARMv7 Cortex-A15', program: 'crypto', args: ['crc'], ending: { signal: 'SIGILL' }, builds: ARMHF },
];

for (const build of ARM_BUILDS) {
  describe(`guest programs, ${build.title}: tsemu-arm vs qemu-arm`, () => {
    beforeAll(async () => {
      await buildGuestPrograms(build.target);
    }, 600_000);
    for (const c of CASES.filter((c) => !c.builds || c.builds.includes(build.title))) {
      const gap = c.knownGap && (!c.knownGap.builds || c.knownGap.builds.includes(build.title)) ? c.knownGap.reason : undefined;
      const test = gap ? it.fails : it;
      test(gap ? `${c.title} (known gap: ${gap})` : c.title, async () => {
        const results = await runUnderBoth(ARM, {
          program: guestProgram(build.target, c.program),
          args: c.args,
          emulatorArgs: ['-cpu', c.cpu ?? 'cortex-a15'],
          input: c.input,
        });
        expectOracleEnding(results.qemu, c.ending);
        expectSameBehaviour(results, !('signal' in c.ending));
      });
    }
  });
}
