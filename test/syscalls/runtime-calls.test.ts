/**
 * The syscall surface runtimes and tools need (memfd, xattrs, inotify, timerfd, statx, sendfile,
 * copy_file_range, close_range, faccessat2, membarrier, pidfds, sched_*, getcpu, prlimit64,
 * getrusage, sysinfo, prctl; rseq and clone3 exactly ENOSYS) on every user target, against its
 * QEMU. Then the report of an unimplemented syscall (issue 11): a guest calling one gets exactly
 * -ENOSYS each time, `-d unimp` names it once on stderr, and `-strace` shows every call by name.
 */
import { describe, expect, it } from 'vitest';
import { aarch64Abi } from '../../src/syscalls/abi/aarch64';
import { armAbi } from '../../src/syscalls/abi/arm';
import { ppc64Abi } from '../../src/syscalls/abi/ppc64';
import type { LinuxAbi } from '../../src/syscalls/abi';
import { runProcess } from '../lib/run-process';
import { tsemuBinary } from '../lib/targets';
import { buildProgram, sameAsQemuOnEveryTarget, USER_TARGETS } from './user-targets';

sameAsQemuOnEveryTarget('runtime syscalls', 'runtime_calls');

const ABIS: Readonly<Record<string, LinuxAbi>> = { aarch64: aarch64Abi, ppc64: ppc64Abi, ppc64le: ppc64Abi, armhf: armAbi, armel: armAbi };

/** A syscall the ABI numbers but tsemu does not implement (one nobody is about to: process accounting). */
function unimplemented(abi: LinuxAbi): { name: string; nr: number } {
  for (const name of ['acct', 'kexec_load', 'quotactl', 'vhangup']) {
    const nr = abi.syscallNumbers[name];
    if (nr !== undefined && !abi.syscalls.get(nr)?.definition) return { name, nr };
  }
  throw new Error(`${abi.name}: every candidate is implemented; pick another unimplemented syscall`);
}

describe.concurrent('an unimplemented syscall: exactly -ENOSYS, reported once by name', () => {
  for (const target of USER_TARGETS) {
    it(target.title, async () => {
      const program = await buildProgram(target, 'runtime_calls');
      const { name, nr } = unimplemented(ABIS[target.title]!);
      const run = (...emulatorArgs: string[]) =>
        runProcess(tsemuBinary(target.run), { args: [...emulatorArgs, program, 'unimp', String(nr)], env: {} });
      const unimp = await run('-d', 'unimp');
      expect(unimp.status).toBe(0);
      expect(unimp.stdout).toBe(`syscall ${nr}: -1 ENOSYS\n`.repeat(2));
      expect(unimp.stderr.split('\n').filter((l) => l.startsWith(`Unsupported syscall: ${nr}`))).toEqual([`Unsupported syscall: ${nr} (${name})`]);
      const strace = await run('-strace');
      expect(strace.stderr.match(new RegExp(`^\\d+ ${name}\\(.*\\) = -1 errno=38 \\(Function not implemented\\)$`, 'gm'))?.length).toBe(2);
    });
  }
});
