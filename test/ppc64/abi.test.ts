/**
 * The PowerPC64 ABI table against the kernel headers: a probe cross-compiled with
 * powerpc64le-linux-gnu-gcc (numbers, layouts, constants) run under qemu-ppc64le, and the
 * big-endian table against the same probe built for ppc64 under qemu-ppc64.
 */
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { KernelAbi } from '../../src/syscalls/abi';
import { ppc64Abi, ppc64leAbi } from '../../src/syscalls/abi/ppc64';
import { C_STRUCTS, headerErrnoNames, headerSyscallNames, runProbe, type ProbeFacts } from '../syscalls/abi-probe';

function expectTableMatches(abi: KernelAbi, facts: ProbeFacts): void {
  for (const [name, nr] of Object.entries(abi.syscallNumbers)) expect([name, nr]).toEqual([name, facts.syscalls.get(name)]);
  for (const [kind, spec] of Object.entries(C_STRUCTS)) {
    const layout = abi.layouts[kind as keyof typeof abi.layouts];
    expect(Object.keys(layout.fields).sort(), kind).toEqual(Object.keys(spec.members).sort());
    expect([kind, layout.size]).toEqual([kind, facts.sizes.get(kind)]);
    for (const [field, f] of Object.entries(layout.fields)) {
      expect([`${kind}.${field}`, f]).toEqual([`${kind}.${field}`, facts.fields.get(`${kind}.${field}`)]);
    }
  }
  const groups = [abi.openFlags, abi.fcntlCommands, abi.signals, abi.ioctls] as Record<string, number>[];
  for (const group of groups) for (const [name, value] of Object.entries(group)) expect([name, value]).toEqual([name, facts.constants.get(name)]);
  expect(facts.constants.get('SIGRTMIN')).toBe(abi.sigRtMin);
}

for (const [abi, cc, qemu] of [
  [ppc64leAbi, 'powerpc64le-linux-gnu-gcc', 'qemu-ppc64le'],
  [ppc64Abi, 'powerpc64-linux-gnu-gcc', 'qemu-ppc64'],
] as const) {
  describe(`${abi.name} ABI table vs the cross-compiled kernel headers under ${qemu}`, () => {
    const errnos = headerErrnoNames(cc);
    const guest = runProbe(abi, cc, ['-static'], [qemu], ['_NSIG', 'MINSIGSTKSZ', ...errnos]);

    it('numbers, layouts and constants match', () => {
      expectTableMatches(abi, guest);
      expect(guest.constants.get('_NSIG')).toBe(abi.nsig);
      expect(guest.constants.get('MINSIGSTKSZ')).toBe(abi.minSigStackSize);
    });

    it('names every syscall number the header defines', () => {
      expect(Object.keys(abi.syscallNumbers).sort()).toEqual(headerSyscallNames(cc).sort());
    });

    it('maps every host errno to the guest errno of the same name', () => {
      for (const name of errnos) {
        const hostValue = (constants.errno as Record<string, number>)[name];
        if (hostValue === undefined || name === 'EDEADLOCK') continue;
        expect([name, abi.errnoFromHost(hostValue)]).toEqual([name, guest.constants.get(name)]);
      }
    });
  });
}
