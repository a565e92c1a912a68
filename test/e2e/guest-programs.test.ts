/**
 * Every guest test program of test/guest/ run under tsemu and under qemu-aarch64 (the oracle):
 * same stdout, same exit status or killing signal, and the same stderr where it is deterministic
 * (not on death by a signal, where QEMU prints its own "uncaught target signal" line).
 */
import { describe, it } from 'vitest';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth, type Ending } from '../lib/oracle';
import { AARCH64, guestProgram } from '../lib/targets';

interface GuestCase {
  /** Test title; says which program and what it checks. */
  title: string;
  program: string;
  args?: string[];
  emulatorArgs?: string[];
  input?: string;
  /** How the program ends under the oracle. */
  ending: Ending;
  /** A known tsemu gap: the test is it.fails with this reason until the gap is closed. */
  knownGap?: string;
  /** Time limit per emulator run (default: the oracle module's). */
  timeoutMs?: number;
}

const OK: Ending = { status: 0 };

const CASES: GuestCase[] = [
  { title: 'raw_syscalls: write and exit_group without libc', program: 'raw_syscalls', ending: { status: 7 } },
  { title: 'hello: stdio to stdout and stderr', program: 'hello', ending: OK },
  { title: 'exit_status: exit(42)', program: 'exit_status', args: ['exit', '42'], ending: { status: 42 } },
  { title: 'exit_status: exit(256) is 0', program: 'exit_status', args: ['exit', '256'], ending: OK },
  { title: 'exit_status: _exit(3) drops buffered stdout', program: 'exit_status', args: ['_exit', '3'], ending: { status: 3 } },
  { title: 'exit_status: abort() dies by SIGABRT', program: 'exit_status', args: ['abort'], ending: { signal: 'SIGABRT' } },
  { title: 'exit_status: raise(SIGTERM) dies by SIGTERM', program: 'exit_status', args: ['raise', '15'], ending: { signal: 'SIGTERM' } },
  { title: 'args: argv, envp (sorted) and auxv', program: 'args', args: ['one', 'two words', '', '--flag=x'], ending: OK },
  {
    title: 'args: envp in the order the guest receives it',
    program: 'args',
    args: ['env-order'],
    ending: OK,
    knownGap: 'tsemu keeps the host order; QEMU 7.2 reverses it (its envlist prepends each variable)',
  },
  {
    title: 'args: -E, -U and -0 change the guest environment and argv[0]',
    program: 'args',
    args: ['x'],
    emulatorArgs: ['-E', 'TSEMU_TEST_UNSET=now set', '-U', 'TSEMU_TEST_VAR', '-0', 'renamed-argv0'],
    ending: OK,
  },
  {
    title: 'stdin_filter: reads piped stdin in small pieces',
    program: 'stdin_filter',
    input: 'first line\nsecond\n\n' + 'x'.repeat(5000) + '\nno newline at end',
    ending: OK,
  },
  {
    title: 'stdio_flags: inherited descriptors stay blocking, also once a thread ran; a 1 MiB write to a pipe completes',
    program: 'stdio_flags',
    ending: OK,
  },
  { title: 'proc_fd: /proc/self/fd lists the guest\'s descriptors under its numbers, and only those', program: 'proc_fd', ending: OK },
  { title: 'fileio: file I/O round trip and errno values', program: 'fileio', ending: OK },
  { title: 'dirlist: readdir/scandir of 300 entries, sorted', program: 'dirlist', ending: OK },
  { title: 'memory_maps: brk, anonymous and file mmap, mremap, mprotect, madvise', program: 'memory_maps', ending: OK },
  { title: 'sysinfo: uname, /proc/self/exe, ids, cwd', program: 'sysinfo', ending: OK },
  { title: 'malloc_stress: malloc/calloc/realloc/free, brk and mmap', program: 'malloc_stress', ending: OK },
  { title: 'float_printf: printf of float, double and binary128 long double', program: 'float_printf', ending: OK },
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
  { title: 'setjmp_longjmp: setjmp/longjmp through frames, callee-saved registers', program: 'setjmp_longjmp', args: ['plain'], ending: OK },
  {
    title: 'setjmp_longjmp: siglongjmp out of a signal handler, mask restore',
    program: 'setjmp_longjmp',
    args: ['signal'],
    ending: OK,
  },
  { title: 'sha256: SHA-256 of test vectors and a 1 MiB buffer', program: 'sha256', ending: OK },
  { title: 'int_edge: division by zero, INT_MIN/-1, shifts, overflow, bit counts', program: 'int_edge', ending: OK },
  { title: 'fp_edge: NaN generation and propagation, infinities, signed zeros, subnormals', program: 'fp_edge', args: ['values'], ending: OK },
  { title: 'fp_edge: the four rounding modes via fesetround', program: 'fp_edge', args: ['rounding'], ending: OK },
  {
    title: 'fp_edge: exception flags seen by fetestexcept',
    program: 'fp_edge',
    args: ['flags'],
    ending: OK,
    knownGap: 'FPSR inexact and underflow flags are not raised by FDIV (1/3, DBL_MIN/1e10)',
  },
  { title: 'vector_loops: -ftree-vectorize sums, dot, saxpy, histogram', program: 'vector_loops', ending: OK },
  { title: 'neon: Advanced SIMD intrinsics', program: 'neon', ending: OK },
  {
    title: 'fast_math_fz: -ffast-math sets FPCR.FZ; denormal operands and results flushed, scalar and vector',
    program: 'fast_math_fz',
    ending: OK,
  },
  { title: 'crypto: AES, SHA1, SHA256, 64-bit PMULL and CRC32 instructions', program: 'crypto', ending: OK },
  { title: 'crypto_v82: SHA512 and SHA3 instructions', program: 'crypto_v82', ending: OK },
  { title: 'strings: glibc SIMD string routines over lengths and alignments', program: 'strings', ending: OK },
  { title: 'strconv: strtod/strtol/printf round trips', program: 'strconv', ending: OK },
  { title: 'time_funcs: calendar conversions and clock sanity', program: 'time_funcs', ending: OK },
  { title: 'segv: null pointer store dies by SIGSEGV', program: 'segv', args: ['die'], ending: { signal: 'SIGSEGV' } },
  { title: 'segv: SIGSEGV handler sees si_code and si_addr', program: 'segv', args: ['catch'], ending: OK },
  { title: 'sigill: undefined instruction dies by SIGILL', program: 'sigill', args: ['die'], ending: { signal: 'SIGILL' } },
  {
    title: 'sigill: SIGILL handler skips the instruction and returns',
    program: 'sigill',
    args: ['catch'],
    ending: OK,
    knownGap: 'si_code: tsemu gives ILL_ILLOPC as Linux does (test/signals checks it), QEMU 7.2 gives ILL_ILLOPN',
  },
  {
    title: 'signals: handlers, masks, sigaltstack, EINTR',
    program: 'signals',
    ending: OK,
    timeoutMs: 20_000,
  },
  { title: 'jit: generated code, W^X and RWX rewrites with cache flushes', program: 'jit', ending: OK },
  {
    title: 'tagged_pointers: loads, stores, pairs, exclusives, memset through pointers with a top-byte tag (TBI), cold and compiled',
    program: 'tagged_pointers',
    ending: OK,
  },
  {
    title: 'split_loop: a hot loop whose blocks turn hot phase by phase, calling code rewritten each phase and storing into its own code page',
    program: 'split_loop',
    ending: OK,
  },
  {
    title: 'threads: pthreads with mutex, condvar and TLS',
    program: 'threads',
    ending: OK,
  },
  {
    title: 'fork_wait: fork, pipe and waitpid statuses',
    program: 'fork_wait',
    ending: OK,
  },
];

describe(`guest programs on ${AARCH64.name}: tsemu vs ${AARCH64.qemu}`, () => {
  for (const c of CASES) {
    const test = c.knownGap ? it.fails : it;
    const title = c.knownGap ? `${c.title} (known gap: ${c.knownGap})` : c.title;
    test(title, async () => {
      const results = await runUnderBoth(AARCH64, {
        program: guestProgram(AARCH64, c.program),
        args: c.args,
        emulatorArgs: c.emulatorArgs,
        input: c.input,
        timeoutMs: c.timeoutMs,
      });
      expectOracleEnding(results.qemu, c.ending);
      expectSameBehaviour(results, !('signal' in c.ending));
    });
  }
});
