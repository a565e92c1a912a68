/**
 * The ABI tables against the kernel headers: the AArch64 table against a probe cross-compiled with
 * aarch64-linux-gnu-gcc and run under qemu-aarch64, the x86_64 host table against the same probe
 * built with the host's gcc, and the other guest tables (ppc64, ppc64le, 32-bit ARM) the same way
 * with their own compilers and QEMUs. Also checks the values the generic layer passes through unchanged
 * (AT_ flags, PROT_ and MAP_ values, clock ids, ...) really are equal on guest and host.
 */
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { AbiLayouts, KernelAbi } from '../../src/syscalls/abi';
import { aarch64Abi } from '../../src/syscalls/abi/aarch64';
import { armAbi } from '../../src/syscalls/abi/arm';
import { ppc64Abi, ppc64leAbi } from '../../src/syscalls/abi/ppc64';
import { x86_64Host } from '../../src/syscalls/abi/x86_64';
import { C_STRUCTS, headerErrnoNames, headerSyscallNames, runProbe, type ProbeFacts } from './abi-probe';

/** Constants the generic layer passes to the host untranslated. */
const PASSED_THROUGH = [
  'AT_FDCWD', 'AT_SYMLINK_NOFOLLOW', 'AT_REMOVEDIR', 'AT_SYMLINK_FOLLOW', 'AT_EMPTY_PATH', 'AT_EACCESS', 'AT_NO_AUTOMOUNT',
  'PROT_READ', 'PROT_WRITE', 'PROT_EXEC', 'MAP_SHARED', 'MAP_PRIVATE', 'MAP_FIXED', 'MAP_ANONYMOUS', 'MAP_NORESERVE',
  'MAP_FIXED_NOREPLACE', 'MAP_POPULATE', 'MAP_GROWSDOWN', 'MAP_STACK', 'MADV_DONTNEED', 'MREMAP_MAYMOVE', 'MREMAP_FIXED',
  'CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_BOOTTIME', 'TIMER_ABSTIME',
  'RLIMIT_DATA', 'RLIMIT_STACK', 'RLIMIT_AS', 'RLIMIT_NOFILE', 'SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK', 'SS_ONSTACK',
  'SS_DISABLE', 'F_RDLCK', 'F_WRLCK', 'F_UNLCK', 'FD_CLOEXEC', 'SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'SHM_RDONLY', 'SHM_RND',
  'SHM_REMAP', 'SHM_EXEC',
];

function expectTableMatches(abi: KernelAbi, facts: ProbeFacts, unverifiable: readonly string[] = []): void {
  for (const [name, nr] of Object.entries(abi.syscallNumbers)) expect([name, nr]).toEqual([name, facts.syscalls.get(name)]);
  for (const [kind, spec] of Object.entries(C_STRUCTS)) {
    if (unverifiable.includes(kind)) continue;
    const layout = abi.layouts[kind as keyof typeof abi.layouts];
    expect(Object.keys(layout.fields).sort(), kind).toEqual(Object.keys(spec.members).sort());
    expect([kind, layout.size]).toEqual([kind, facts.sizes.get(kind)]);
    for (const [field, f] of Object.entries(layout.fields)) {
      const printed = facts.fields.get(`${kind}.${field}`)!;
      // A byte array's declared size is the C array's; the name of dirent64 runs to the record's end.
      expect([`${kind}.${field}`, f]).toEqual([`${kind}.${field}`, printed]);
    }
  }
  const groups = [abi.openFlags, abi.fcntlCommands, abi.signals, abi.ioctls, abi.socketOptions ?? {}] as Record<string, number>[];
  for (const group of groups) for (const [name, value] of Object.entries(group)) expect([name, value]).toEqual([name, facts.constants.get(name)]);
  expect(facts.constants.get('SIGRTMIN')).toBe(abi.sigRtMin);
}

describe('AArch64 ABI table vs the cross-compiled kernel headers under qemu-aarch64', () => {
  const errnos = headerErrnoNames('aarch64-linux-gnu-gcc');
  const guest = runProbe(aarch64Abi, 'aarch64-linux-gnu-gcc', ['-static'], ['qemu-aarch64'], ['_NSIG', 'MINSIGSTKSZ', ...PASSED_THROUGH, ...errnos]);
  const host = runProbe(x86_64Host, 'gcc', [], [], [...PASSED_THROUGH, ...errnos]);

  it('numbers, layouts and constants match', () => {
    expectTableMatches(aarch64Abi, guest);
    expect(guest.constants.get('_NSIG')).toBe(aarch64Abi.nsig);
    expect(guest.constants.get('MINSIGSTKSZ')).toBe(aarch64Abi.minSigStackSize);
  });

  it('names every syscall number the header defines', () => {
    expect(Object.keys(aarch64Abi.syscallNumbers).sort()).toEqual(headerSyscallNames('aarch64-linux-gnu-gcc').sort());
  });

  it('maps every host errno to the guest errno of the same name', () => {
    expect(errnos.length).toBeGreaterThan(100);
    for (const name of errnos) {
      const hostValue = (constants.errno as Record<string, number>)[name] ?? host.constants.get(name)!;
      expect([name, aarch64Abi.errnoFromHost(hostValue)]).toEqual([name, guest.constants.get(name)]);
    }
  });

  it('passes through only values that are equal on guest and host', () => {
    for (const name of PASSED_THROUGH) expect([name, guest.constants.get(name)]).toEqual([name, host.constants.get(name)]);
  });
});

/** Header names that are aliases of another name for the same number. */
const HEADER_ALIASES: Readonly<Record<string, string>> = { sync_file_range2: 'arm_sync_file_range' };

/** The other guest ABIs: each table against its own cross compiler's headers under its QEMU. */
const OTHER_GUESTS: readonly [string, KernelAbi, string, string, Partial<Record<keyof AbiLayouts, string>>][] = [
  ['ppc64 (big-endian)', ppc64Abi, 'powerpc64-linux-gnu-gcc', 'qemu-ppc64', {}],
  ['ppc64le', ppc64leAbi, 'powerpc64le-linux-gnu-gcc', 'qemu-ppc64le', {}],
  // glibc's 32-bit stat family is fstat64/statfs64 and friends: the table's kinds are the 64-bit structs (flock: F_GETLK64 of fcntl64).
  ['32-bit ARM EABI', armAbi, 'arm-linux-gnueabihf-gcc', 'qemu-arm', { stat: 'struct stat64', statfs: 'struct statfs64', flock: 'struct flock64' }],
];

for (const [title, abi, cc, qemu, cTypes] of OTHER_GUESTS) {
  describe(`${title} ABI table vs the cross-compiled kernel headers under ${qemu}`, () => {
    it('numbers, layouts and constants match', () => {
      // 32-bit ARM's uapi struct sigaction is the old one (one-word mask); rt_sigaction's has no uapi type.
      expectTableMatches(abi, runProbe(abi, cc, ['-static'], [qemu], [], cTypes), abi.wordSize === 4 ? ['sigaction'] : []);
    });

    it('names every syscall number the header defines', () => {
      const generic = Object.keys(abi.syscallNumbers).filter((n) => !n.startsWith('ARM_'));
      // A second name for a number the table already names (ARM: sync_file_range2 is arm_sync_file_range).
      const aliases = headerSyscallNames(cc).filter((n) => !(n in abi.syscallNumbers) && HEADER_ALIASES[n] !== undefined && HEADER_ALIASES[n]! in abi.syscallNumbers);
      expect(generic.sort()).toEqual(headerSyscallNames(cc).filter((n) => !aliases.includes(n)).sort());
    });
  });
}

describe('x86_64 host table vs the host headers', () => {
  const host = runProbe(x86_64Host, 'gcc', [], []);

  it('numbers, layouts and constants match', () => {
    expectTableMatches(x86_64Host, host);
  });

  it('names every syscall number the header defines', () => {
    expect(Object.keys(x86_64Host.syscallNumbers).sort()).toEqual(headerSyscallNames('gcc').sort());
  });

  it('signal numbers agree with what Node reports for this host', () => {
    for (const [name, value] of Object.entries(x86_64Host.signals)) {
      const node = (constants.signals as Record<string, number>)[name];
      if (node !== undefined) expect([name, value]).toEqual([name, node]);
    }
  });
});
