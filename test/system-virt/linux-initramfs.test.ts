/**
 * Debian's arm64 kernel booted to an initramfs built at test time around Debian's busybox-static
 * (test/lib/initramfs.ts), under tsemu and under qemu-system-aarch64 with the same arguments:
 * `/init` prints a marker, runs `uname -a` and reads /proc/cpuinfo, and powers the machine off
 * (PSCI SYSTEM_OFF: both emulators exit with status 0). The kernel's own lines the test looks at
 * must match QEMU's: Booting Linux, the CPU features found from the MIDR before the memory line
 * (errata, Spectre mitigations), the memory totals, Run /init; and so must the script's output, but
 * for the cpuinfo Features line: the ID registers describe what tsemu implements (no AES, PMULL or
 * SHA; LSE atomics), and so do the capability lines the kernel prints later (no 32-bit EL0/EL1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { busyboxInitramfs } from '../lib/initramfs';
import { QEMU_SYSTEM, TSEMU_SYSTEM } from './bare-metal';
import { debianArm64Kernel, runUntil } from './linux-kernel';

const BEGIN = 'TSEMU-INIT-BEGIN';
const END = 'TSEMU-INIT-END';
const SCRIPT = `/bin/busybox mount -t proc proc /proc
echo ${BEGIN}
/bin/busybox uname -a
/bin/busybox head -n 9 /proc/cpuinfo
echo ${END}
/bin/busybox poweroff -f
`;
const APPEND = 'console=ttyAMA0 panic=-1';
const BOOT_LIMIT_MS = 420_000;

const lines = (output: string): string[] =>
  output.split(/\r?\n/).map((l) => l.replace(/^\[ *\d+\.\d+\] /, ''));

/**
 * The kernel lines the test compares: the boot CPU, the CPU features up to the memory line, the
 * memory totals (how much memblock reserved depends on where the loader put things), Run /init.
 */
function kernelLines(output: string): string[] {
  const all = lines(output);
  const memory = all.findIndex((l) => l.startsWith('Memory: '));
  return [
    ...all.filter((l) => l.startsWith('Booting Linux on physical CPU')),
    ...all.slice(0, memory).filter((l) => l.startsWith('CPU features: ')),
    /^Memory: \S+ available/.exec(all[memory] ?? '')?.[0] ?? 'no memory line',
    ...all.filter((l) => l === 'Run /init as init process'),
  ];
}

/** What /init printed between its markers, cpuinfo's Features line aside. */
function scriptOutput(output: string): string[] {
  const all = lines(output);
  return all.slice(all.indexOf(BEGIN), all.indexOf(END) + 1).filter((l) => !l.startsWith('Features\t'));
}

describe("Debian's arm64 kernel and a busybox initramfs on tsemu-system -M virt", () => {
  let args: string[] = [];
  beforeAll(async () => {
    const [kernel, initrd] = await Promise.all([debianArm64Kernel(), busyboxInitramfs(SCRIPT)]);
    args = [
      ...['-M', 'virt', '-cpu', 'cortex-a57', '-m', '512M', '-nographic'],
      ...['-kernel', kernel, '-initrd', initrd, '-append', APPEND],
    ];
  }, 600_000);

  it('boots to /init, which runs its script and powers off, as under qemu-system-aarch64', async () => {
    const [ours, theirs] = await Promise.all([
      runUntil(TSEMU_SYSTEM, args, undefined, BOOT_LIMIT_MS),
      runUntil(QEMU_SYSTEM, args, undefined, BOOT_LIMIT_MS),
    ]);
    expect(theirs.status, theirs.output).toBe(0);
    expect(scriptOutput(theirs.output)).toContain('processor\t: 0');
    expect(ours.status, ours.output.slice(-3000)).toBe(0);
    expect(kernelLines(ours.output)).toEqual(kernelLines(theirs.output));
    expect(kernelLines(ours.output)).toContain('Run /init as init process');
    expect(scriptOutput(ours.output)).toEqual(scriptOutput(theirs.output));
  }, 480_000);
});
