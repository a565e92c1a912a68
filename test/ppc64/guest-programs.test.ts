/**
 * The guest test programs of test/guest/ built for big-endian ppc64 (ELFv1) and little-endian
 * ppc64le (ELFv2), each run under tsemu and under qemu-ppc64 / qemu-ppc64le (the oracles): same
 * stdout, same exit status or killing signal, and the same stderr where it is deterministic. The
 * programs of both targets are built once, before the first test (test/guest/build.ts skips
 * up-to-date ones).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGuestPrograms } from '../guest/build';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth, type Ending } from '../lib/oracle';
import { guestProgram, type GuestTarget } from '../lib/targets';
import { PPC64_TARGETS } from './targets';

interface GuestCase {
  title: string;
  program: string;
  args?: string[];
  emulatorArgs?: string[];
  input?: string;
  ending: Ending;
  /** A known tsemu gap: it.fails with this reason until the gap is closed. */
  knownGap?: string;
  /**
   * Where Linux and QEMU 7.2 disagree: QEMU's stdout with `qemu` replaced by `linux` is the
   * expected output (the title says which Linux rule applies).
   */
  linuxDiffers?: { qemu: string; linux: string };
  /** Only on this target (both when absent). */
  only?: GuestTarget;
  timeoutMs?: number;
}

const OK: Ending = { status: 0 };

const CASES: GuestCase[] = [
  { title: 'hello: stdio to stdout and stderr', program: 'hello', ending: OK },
  { title: 'proc_fd: /proc/self/fd lists the guest\'s descriptors under its numbers, and only those', program: 'proc_fd', ending: OK },
  { title: 'exit_status: exit(42)', program: 'exit_status', args: ['exit', '42'], ending: { status: 42 } },
  { title: 'exit_status: _exit(3) drops buffered stdout', program: 'exit_status', args: ['_exit', '3'], ending: { status: 3 } },
  { title: 'exit_status: abort() dies by SIGABRT', program: 'exit_status', args: ['abort'], ending: { signal: 'SIGABRT' } },
  { title: 'exit_status: raise(SIGTERM) dies by SIGTERM', program: 'exit_status', args: ['raise', '15'], ending: { signal: 'SIGTERM' } },
  {
    title: 'args: argv, envp (sorted) and auxv',
    program: 'args',
    args: ['one', 'two words', '', '--flag=x'],
    ending: OK,
    knownGap: 'tsemu gives AT_PLATFORM "power8" as Linux does; QEMU 7.2 gives PowerPC guests no AT_PLATFORM',
  },
  {
    title: 'args: -E, -U and -0 change the guest environment and argv[0]',
    program: 'args',
    args: ['x'],
    emulatorArgs: ['-E', 'TSEMU_TEST_UNSET=now set', '-U', 'TSEMU_TEST_VAR', '-0', 'renamed-argv0'],
    ending: OK,
    knownGap: 'the auxv printout differs in AT_PLATFORM (see the test above)',
  },
  {
    title: 'stdin_filter: reads piped stdin in small pieces',
    program: 'stdin_filter',
    input: 'first line\nsecond\n\n' + 'x'.repeat(5000) + '\nno newline at end',
    ending: OK,
  },
  { title: 'fileio: file I/O round trip and errno values', program: 'fileio', ending: OK },
  { title: 'dirlist: readdir/scandir of 300 entries, sorted', program: 'dirlist', ending: OK },
  { title: 'memory_maps: brk, anonymous and file mmap, mremap, mprotect, madvise', program: 'memory_maps', ending: OK },
  { title: 'sysinfo: uname, /proc/self/exe, ids, cwd', program: 'sysinfo', ending: OK },
  {
    title: 'malloc_stress: malloc/calloc/realloc/free, brk and mmap',
    program: 'malloc_stress',
    ending: OK,
  },
  { title: 'float_printf: printf of float, double and long double', program: 'float_printf', ending: OK },
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
  { title: 'sha256: SHA-256 of test vectors and a 1 MiB buffer', program: 'sha256', ending: OK },
  {
    title: 'int_ops: carries, overflow, record forms, rotates, counts, divides, reservations',
    program: 'int_ops',
    ending: OK,
  },
  { title: 'atomics: hot larx/stcx. loops of every width and a failing compare-and-swap', program: 'atomics', ending: OK },
  {
    title: 'quadword: lq/stq aligned and misaligned, a hot lqarx/stqcx. loop (stores every time: ISA; QEMU 7.2 never), a lost reservation, lfdp/stfdp/lfdpx/stfdpx',
    program: 'quadword',
    ending: OK,
    linuxDiffers: {
      qemu: ': 0 of 100000 stored, counter 0000000000000010 ffffffffffff0000',
      linux: ': 100000 of 100000 stored, counter 0000000000000011 00000000000086a0',
    },
  },
  { title: 'reserved_bits: cmp/cmpl/cmpi/cmpli with reserved bits set compare as the clean forms', program: 'reserved_bits', ending: OK },
  { title: 'quadword: lq with an odd RTp dies by SIGILL', program: 'quadword', args: ['lq-odd'], ending: { signal: 'SIGILL' } },
  { title: 'quadword: lq with RA = RTp dies by SIGILL', program: 'quadword', args: ['lq-ra'], ending: { signal: 'SIGILL' } },
  { title: 'quadword: stq with an odd RSp dies by SIGILL', program: 'quadword', args: ['stq-odd'], ending: { signal: 'SIGILL' } },
  { title: 'quadword: lqarx with an odd RTp dies by SIGILL', program: 'quadword', args: ['lqarx-odd'], ending: { signal: 'SIGILL' } },
  { title: 'quadword: lqarx with RB = RTp dies by SIGILL', program: 'quadword', args: ['lqarx-rb'], ending: { signal: 'SIGILL' } },
  { title: 'quadword: a misaligned lqarx dies by SIGBUS', program: 'quadword', args: ['lqarx-misaligned'], ending: { signal: 'SIGBUS' } },
  { title: 'fpscr_isa3: mffscrni, mffscrn, mffsl, mffsce (glibc libm on ppc64el)', program: 'fpscr_isa3', ending: OK },
  { title: 'int_to_fp: fcfid forms give the same result and FPSCR with flags tracked as exactly', program: 'int_to_fp', ending: OK },
  { title: 'fp_edge: NaN generation and propagation, infinities, signed zeros, subnormals', program: 'fp_edge', args: ['values'], ending: OK },
  { title: 'fp_edge: the four rounding modes via fesetround', program: 'fp_edge', args: ['rounding'], ending: OK },
  { title: 'fp_edge: exception flags seen by fetestexcept', program: 'fp_edge', args: ['flags'], ending: OK },
  {
    title: 'vsx_vector_fp: VSX vector sqrt/estimates/rounding/sign/max/min/compares/conversions and the VMX single-precision instructions over special and random values',
    program: 'vsx_vector_fp',
    ending: OK,
  },
  { title: 'vector_bits: vbpermq, vgbbd, vpopcnt*, vrl*, vpmsum*, vsl, vsr, vslo, vsro, vshasigma*, the AES rounds over edge and random sources', program: 'vector_bits', ending: OK },
  {
    title: 'vector_isa3: quadword add/subtract with carries, vclz/vctz/vprtyb, doubleword min/max, vcmpnez, vpermr/vpermxor/xxperm, vextract/vinsert, xxbr*, lxvb16x/lxvh8x and stores, stvebx/stvehx/stvewx, saturating adds/subtracts/packs with VSCR[SAT]',
    program: 'vector_isa3',
    ending: OK,
  },
  { title: 'vector_loops: -ftree-vectorize sums, dot, saxpy, histogram (VMX/VSX)', program: 'vector_loops', ending: OK },
  {
    title: 'split_loop: a hot loop whose blocks turn hot phase by phase, calling code rewritten each phase and storing into its own code page',
    program: 'split_loop',
    ending: OK,
  },
  { title: 'strings: glibc string routines over lengths and alignments', program: 'strings', ending: OK },
  { title: 'strconv: strtod/strtol/printf round trips', program: 'strconv', ending: OK },
  { title: 'time_funcs: calendar conversions and clock sanity', program: 'time_funcs', ending: OK },
  { title: 'segv: null pointer store dies by SIGSEGV', program: 'segv', args: ['die'], ending: { signal: 'SIGSEGV' } },
  {
    title: 'segv: SIGSEGV handler sees si_code and si_addr (a write to a read-only page is SEGV_ACCERR as in Linux do_page_fault; QEMU 7.2 says SEGV_MAPERR for every PowerPC DSI)',
    program: 'segv',
    args: ['catch'],
    ending: OK,
    linuxDiffers: { qemu: 'read-only page: signal 11 code 1 ', linux: 'read-only page: signal 11 code 2 ' },
  },
  { title: 'sigill: an unallocated opcode dies by SIGILL', program: 'sigill', args: ['ill'], ending: { signal: 'SIGILL' } },
  {
    title: 'sigframe: rt_sigframe as the handler sees it, rt_sigreturn restores edits (sigcontext.handler is filled in as by Linux setup_sigcontext; QEMU 7.2 leaves it 0)',
    program: 'sigframe',
    ending: OK,
    linuxDiffers: { qemu: ' handler 0 ', linux: ' handler 1 ' },
  },
  { title: 'sigill: tw 31,0,0 (__builtin_trap) dies by SIGTRAP', program: 'sigill', args: ['trap'], ending: { signal: 'SIGTRAP' } },
  {
    title: 'setjmp_longjmp: siglongjmp out of a signal handler, mask restore',
    program: 'setjmp_longjmp',
    args: ['signal'],
    ending: OK,
  },
  { title: 'signals: handlers, masks, sigaltstack, EINTR', program: 'signals', ending: OK },
  { title: 'threads: pthreads with mutex, condvar and TLS', program: 'threads', ending: OK },
  { title: 'fork_wait: fork, pipe and waitpid statuses', program: 'fork_wait', ending: OK },
];

beforeAll(async () => {
  for (const target of PPC64_TARGETS) await buildGuestPrograms(target);
});

for (const target of PPC64_TARGETS) {
  describe(`guest programs on ${target.name}: tsemu vs ${target.qemu}`, () => {
    // A case restricted to one target replaces the general case of the same title there.
    const restricted = new Set(CASES.filter((c) => c.only === target).map((c) => c.title));
    const cases = CASES.filter((c) => (c.only ? c.only === target : !restricted.has(c.title)));
    for (const c of cases) {
      const test = c.knownGap ? it.fails : it;
      const title = c.knownGap ? `${c.title} (known gap: ${c.knownGap})` : c.title;
      test.concurrent(title, async () => {
        const results = await runUnderBoth(target, {
          program: guestProgram(target, c.program),
          args: c.args,
          emulatorArgs: c.emulatorArgs,
          input: c.input,
          timeoutMs: c.timeoutMs,
        });
        expectOracleEnding(results.qemu, c.ending);
        if (c.linuxDiffers) {
          expect(results.qemu.stdout).toContain(c.linuxDiffers.qemu);
          results.qemu.stdout = results.qemu.stdout.replace(c.linuxDiffers.qemu, c.linuxDiffers.linux);
        }
        expectSameBehaviour(results, !('signal' in c.ending));
      });
    }
  });
}
