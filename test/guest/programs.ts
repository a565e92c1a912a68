/**
 * The guest test programs: one row per program, naming its sources (relative to test/guest/) and
 * the compiler flags it needs on top of the target's. Programs under common/ are portable C built
 * for every target; those under <target>/ use that architecture's assembly or intrinsics.
 */

export interface GuestProgramSpec {
  /** Output file name in test/guest/build/<target>/. */
  readonly name: string;
  readonly sources: readonly string[];
  /** Extra compiler flags (after the target's). */
  readonly cflags?: readonly string[];
  /** Targets that build it (all when absent). */
  readonly targets?: readonly string[];
}

export const GUEST_PROGRAMS: readonly GuestProgramSpec[] = [
  { name: 'hello', sources: ['common/hello.c'] },
  { name: 'exit_status', sources: ['common/exit_status.c'] },
  { name: 'args', sources: ['common/args.c'] },
  { name: 'stdin_filter', sources: ['common/stdin_filter.c'] },
  { name: 'stdio_flags', sources: ['common/stdio_flags.c'], cflags: ['-pthread'] },
  { name: 'proc_fd', sources: ['common/proc_fd.c'] },
  { name: 'fileio', sources: ['common/fileio.c'] },
  { name: 'dirlist', sources: ['common/dirlist.c'] },
  { name: 'memory_maps', sources: ['common/memory_maps.c'] },
  { name: 'sysinfo', sources: ['common/sysinfo.c'] },
  { name: 'malloc_stress', sources: ['common/malloc_stress.c'] },
  { name: 'float_printf', sources: ['common/float_printf.c'], cflags: ['-lm'] },
  { name: 'qsort_bsearch', sources: ['common/qsort_bsearch.c'] },
  { name: 'late_paths', sources: ['common/late_paths.c'] },
  { name: 'setjmp_longjmp', sources: ['common/setjmp_longjmp.c'] },
  { name: 'sha256', sources: ['common/sha256.c'] },
  { name: 'fp_edge', sources: ['common/fp_edge.c'], cflags: ['-frounding-math', '-fsignaling-nans', '-lm'] },
  { name: 'vector_loops', sources: ['common/vector_loops.c'], cflags: ['-ftree-vectorize'] },
  { name: 'split_loop', sources: ['common/split_loop.c'] },
  { name: 'jit_rewrite', sources: ['common/jit_rewrite.c'] },
  { name: 'linked_exits', sources: ['common/linked_exits.c'] },
  {
    name: 'strings',
    sources: ['common/strings.c'],
    cflags: ['-fno-builtin', '-fno-tree-loop-distribute-patterns'],
  },
  { name: 'strconv', sources: ['common/strconv.c'] },
  { name: 'time_funcs', sources: ['common/time_funcs.c'] },
  { name: 'segv', sources: ['common/segv.c'] },
  { name: 'signals', sources: ['common/signals.c'] },
  { name: 'threads', sources: ['common/threads.c'], cflags: ['-pthread'] },
  { name: 'fork_wait', sources: ['common/fork_wait.c'] },
  { name: 'sockets', sources: ['common/sockets.c'] },
  { name: 'procfs', sources: ['common/procfs.c'] },
  { name: 'runtime_calls', sources: ['common/runtime_calls.c'] },
  { name: 'tcp_echo_fork', sources: ['common/tcp_echo_fork.c'] },
  { name: 'sysv_ipc', sources: ['common/sysv_ipc.c'], cflags: ['-pthread'] },
  { name: 'sysv_shm', sources: ['common/sysv_shm.c'] },
  { name: 'legacy_calls', sources: ['common/legacy_calls.c'] },
  { name: 'signalfd', sources: ['common/signalfd.c'], cflags: ['-pthread'] },
  { name: 'fcntl_notify', sources: ['common/fcntl_notify.c'] },
  { name: 'external_alarm', sources: ['common/external_alarm.c'] },
  { name: 'pty', sources: ['common/pty.c'] },
  { name: 'posix_timers', sources: ['common/posix_timers.c'], cflags: ['-pthread'] },
  { name: 'capabilities', sources: ['common/capabilities.c'] },
  { name: 'mqueue', sources: ['common/mqueue.c'] },
  { name: 'record_locks', sources: ['common/record_locks.c'] },
  { name: 'record_locks_lfs', sources: ['common/record_locks.c'], cflags: ['-D_FILE_OFFSET_BITS=64'] },
  { name: 'sigwait_external', sources: ['threads/sigwait_external.c'], cflags: ['-pthread'] },
  { name: 'int_edge', sources: ['aarch64/int_edge.c'], targets: ['aarch64'] },
  { name: 'neon', sources: ['aarch64/neon.c'], targets: ['aarch64'] },
  {
    name: 'fast_math_fz',
    sources: ['aarch64/fast_math_fz.c'],
    cflags: ['-O2', '-ffast-math', '-lm'],
    targets: ['aarch64'],
  },
  { name: 'crypto', sources: ['arm/crypto.c'], cflags: ['-march=armv8-a+crypto+crc'], targets: ['aarch64'] },
  { name: 'crypto_v82', sources: ['aarch64/crypto_v82.c'], cflags: ['-march=armv8.2-a+sha3'], targets: ['aarch64'] },
  { name: 'sigill', sources: ['aarch64/sigill.c'], targets: ['aarch64'] },
  { name: 'jit', sources: ['aarch64/jit.c'], targets: ['aarch64'] },
  { name: 'tagged_pointers', sources: ['aarch64/tagged_pointers.c'], targets: ['aarch64'] },
  { name: 'raw_syscalls', sources: ['aarch64/raw_syscalls.S'], cflags: ['-nostdlib'], targets: ['aarch64'] },
  { name: 'dsp', sources: ['arm/dsp.c'], targets: ['arm-armhf-arm', 'arm-armhf-thumb'] },
  { name: 'jit', sources: ['arm/jit.c'], targets: ['arm-armhf-arm', 'arm-armhf-thumb', 'arm-armel'] },
  { name: 'thumb_undef', sources: ['arm/thumb_undef.c'], targets: ['arm-armhf-thumb'] },
  { name: 'a32_undef', sources: ['arm/a32_undef.c'], targets: ['arm-armhf-arm', 'arm-armel'] },
  { name: 'neon', sources: ['arm/neon.c'], cflags: ['-mfpu=neon'], targets: ['arm-armhf-arm', 'arm-armhf-thumb'] },
  {
    name: 'crypto',
    sources: ['arm/crypto.c'],
    cflags: ['-march=armv8-a+crc', '-mfpu=crypto-neon-fp-armv8'],
    targets: ['arm-armhf-arm', 'arm-armhf-thumb'],
  },
  {
    name: 'vector_loops_neon',
    sources: ['common/vector_loops.c'],
    cflags: ['-O3', '-mfpu=neon', '-ftree-vectorize'],
    targets: ['arm-armhf-arm', 'arm-armhf-thumb'],
  },
  { name: 'int_ops', sources: ['ppc64/int_ops.c'], targets: ['ppc64', 'ppc64le'] },
  { name: 'sigill', sources: ['ppc64/sigill.c'], targets: ['ppc64', 'ppc64le'] },
  { name: 'sigframe', sources: ['ppc64/sigframe.c'], targets: ['ppc64', 'ppc64le'] },
  { name: 'atomics', sources: ['ppc64/atomics.c'], cflags: ['-mcpu=power8'], targets: ['ppc64', 'ppc64le'] },
  { name: 'quadword', sources: ['ppc64/quadword.c'], cflags: ['-mcpu=power8'], targets: ['ppc64', 'ppc64le'] },
  { name: 'reserved_bits', sources: ['ppc64/reserved_bits.c'], targets: ['ppc64', 'ppc64le'] },
  { name: 'fpscr_isa3', sources: ['ppc64/fpscr_isa3.c'], cflags: ['-mcpu=power9'], targets: ['ppc64', 'ppc64le'] },
  { name: 'int_to_fp', sources: ['ppc64/int_to_fp.c'], cflags: ['-mcpu=power8'], targets: ['ppc64', 'ppc64le'] },
  { name: 'vector_bits', sources: ['ppc64/vector_bits.c'], cflags: ['-mcpu=power8'], targets: ['ppc64', 'ppc64le'] },
  { name: 'vector_isa3', sources: ['ppc64/vector_isa3.c'], cflags: ['-mcpu=power9'], targets: ['ppc64', 'ppc64le'] },
  { name: 'vsx_vector_fp', sources: ['ppc64/vsx_vector_fp.c'], cflags: ['-mcpu=power8'], targets: ['ppc64', 'ppc64le'] },
];

/** The programs built for `target`. */
export function programsFor(target: string): GuestProgramSpec[] {
  return GUEST_PROGRAMS.filter((p) => p.targets === undefined || p.targets.includes(target));
}
