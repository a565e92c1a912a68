/**
 * Debian's arm64 kernel booted to an initramfs built at test time around Debian's busybox-static
 * (test/lib/initramfs.ts), then to a virtio-blk root disk, the way Debian boots, under tsemu and
 * under qemu-system-aarch64 with the same arguments (each with its own copy of the disk image).
 *
 * The initramfs's `/init` prints a marker, runs `uname -a` and reads /proc/cpuinfo; then it loads
 * the modules a Debian kernel needs for an ext4 root on virtio-mmio (all `=m` in its config, with
 * their dependencies), mounts /dev/vda and switch_roots into it. The disk's own /sbin/init writes
 * a file on it, remounts it read-only (which checkpoints the journal) and powers the machine off
 * (PSCI SYSTEM_OFF: both emulators exit with status 0). One boot does both parts: a boot under
 * tsemu costs minutes of CI time. The machine has two CPUs (-smp 2): the kernel brings the second
 * up with PSCI, and /init counts both in /proc/cpuinfo. tsemu boots it twice, with each of its
 * `-accel tcg,thread=` modes (round-robin on one thread, each vCPU on a worker thread: docs/smp.md),
 * both against QEMU's one boot in its default mode, which for this guest on an x86_64 host is
 * thread=multi.
 *
 * The kernel's own lines the test looks at must match QEMU's: Booting Linux, the CPU features
 * found from the MIDR before the memory line (errata, Spectre mitigations), the memory totals, the
 * secondary CPU's bring-up, Run /init, the disk's capacity line and ext4's mount lines; and so must
 * the scripts' output, cpuinfo's Features line included. The capability lines the kernel prints
 * later differ (the ID registers describe what tsemu implements: no 32-bit EL0/EL1).
 * Afterwards both images hold the same written file and pass e2fsck.
 */
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S_IFDIR, S_IFLNK, S_IFREG } from '../lib/cpio';
import { checkExtImage, ext4Image, readExtFile } from '../lib/ext-image';
import { arm64Busybox, busyboxInitramfs } from '../lib/initramfs';
import { moduleLoadOrder } from '../lib/kernel-modules';
import { QEMU_SYSTEM, TSEMU_SYSTEM } from './bare-metal';
import { type ConsoleRun, debianArm64Kernel, kernelModulesDir, runUntil } from './linux-kernel';

const BEGIN = 'TSEMU-INIT-BEGIN';
const END = 'TSEMU-INIT-END';
const ROOT_BEGIN = 'TSEMU-ROOT-BEGIN';
const ROOT_END = 'TSEMU-ROOT-END';
/** What an ext4 root on virtio-mmio needs loaded (their dependencies are found in the modules). */
const MODULES = ['virtio_mmio', 'virtio_blk', 'ext4'];
const WRITTEN = '/written-by-init';

/** The initramfs's /init: the first checks, then the modules (named by load order), the root disk. */
const initScript = (modules: readonly string[]): string => `/bin/busybox mount -t proc proc /proc
echo ${BEGIN}
/bin/busybox uname -a
/bin/busybox head -n 9 /proc/cpuinfo
/bin/busybox grep -c ^processor /proc/cpuinfo
echo ${END}
/bin/busybox mount -t devtmpfs devtmpfs /dev
for m in ${modules.join(' ')}; do /bin/busybox insmod /lib/modules/$m.ko || exit 1; done
/bin/busybox mount -t ext4 /dev/vda /root || exit 1
exec /bin/busybox switch_root /root /sbin/init
`;

/**
 * The root disk's /sbin/init. Shell built-ins (read, echo, test) do what they can: a new process
 * costs tsemu seconds, and busybox's code is compiled again from the disk (translations are kept
 * by physical page, and its pages there are not the initramfs's).
 */
const ROOT_SCRIPT = `#!/bin/sh
/bin/busybox mount -t proc proc /proc
echo ${ROOT_BEGIN}
while read -r dev dir type options rest; do
  [ "$dir" = / ] && echo "$dev $dir $type $options"
done < /proc/mounts
read -r release < /proc/sys/kernel/osrelease
echo "written on $release's root disk" > ${WRITTEN}
read -r written < ${WRITTEN}
echo "$written"
echo ${ROOT_END}
/bin/busybox mount -o remount,ro /
/bin/busybox poweroff -f
`;

const APPEND = 'console=ttyAMA0 panic=-1';
const BOOT_LIMIT_MS = 600_000;
const DISK_MIB = 16;

const TIMESTAMP = /^\[ *\d+\.\d+\] /;

const lines = (output: string): string[] => output.split(/\r?\n/).map((l) => l.replace(TIMESTAMP, ''));

/**
 * The kernel lines the test compares: the boot CPU, the CPU features up to the memory line, the
 * memory totals (how much memblock reserved depends on where the loader put things), the secondary
 * CPU's start and the SMP totals, Run /init, the virtio disk's capacity and ext4's mounts.
 */
function kernelLines(output: string): string[] {
  const all = lines(output);
  const memory = all.findIndex((l) => l.startsWith('Memory: '));
  return [
    ...all.filter((l) => l.startsWith('Booting Linux on physical CPU')),
    ...all.slice(0, memory).filter((l) => l.startsWith('CPU features: ')),
    /^Memory: \S+ available/.exec(all[memory] ?? '')?.[0] ?? 'no memory line',
    ...all.filter((l) => /^CPU\d+: Booted secondary processor|^smp: Brought up|^SMP: Total of/.test(l)),
    ...all.filter((l) => l === 'Run /init as init process'),
    ...all.filter((l) => /^virtio_blk virtio\d+: \[vda\]|^EXT4-fs \(vda\)/.test(l)),
  ];
}

/**
 * What a script printed between its markers, without the kernel's
 * (timestamped) messages: a loaded host makes either emulator's kernel say so in between
 * ("hrtimer: interrupt took 92611984 ns").
 */
function scriptOutput(output: string, begin: string, end: string): string[] {
  const all = output.split(/\r?\n/).filter((l) => !TIMESTAMP.test(l));
  return all.slice(all.indexOf(begin), all.indexOf(end) + 1);
}

describe("Debian's arm64 kernel, initramfs and virtio-blk root disk on tsemu-system -M virt", () => {
  let ours: ConsoleRun;
  let theirs: ConsoleRun;
  const disks = { ours: '', theirs: '', multi: '' };
  /** The second boot's arguments, on its own copy of the disk as it was before either boot. */
  let multiArgs: string[] = [];

  beforeAll(async () => {
    const [kernel, busybox] = await Promise.all([debianArm64Kernel(), arm64Busybox()]);
    const modules = moduleLoadOrder(kernelModulesDir(kernel), MODULES);
    const names = modules.map((m) => path.basename(m, '.ko'));
    const [initrd, disk] = await Promise.all([
      busyboxInitramfs(initScript(names), [
        ...['lib', 'lib/modules', 'root'].map((name) => ({ name, mode: S_IFDIR | 0o755 })),
        ...modules.map((m) => ({
          name: `lib/modules/${path.basename(m)}`,
          mode: S_IFREG | 0o644,
          data: readFileSync(m),
        })),
      ]),
      ext4Image(
        [
          ...['bin', 'sbin', 'proc'].map((name) => ({ name, mode: S_IFDIR | 0o755 })),
          { name: 'bin/busybox', mode: S_IFREG | 0o755, data: busybox },
          { name: 'bin/sh', mode: S_IFLNK | 0o777, data: 'busybox' },
          { name: 'sbin/init', mode: S_IFREG | 0o755, data: ROOT_SCRIPT },
        ],
        DISK_MIB,
      ),
    ]);
    disks.ours = disk;
    disks.theirs = `${disk}.qemu`;
    disks.multi = `${disk}.multi`;
    copyFileSync(disks.ours, disks.theirs);
    copyFileSync(disks.ours, disks.multi);
    // -no-reboot: a failing /init panics, and the panic's reboot then ends the run at once.
    const args = (image: string): string[] => [
      ...['-M', 'virt', '-cpu', 'cortex-a57', '-smp', '2', '-m', '512M', '-nographic', '-no-reboot'],
      ...['-kernel', kernel, '-initrd', initrd, '-append', APPEND],
      ...['-drive', `file=${image},if=none,format=raw,id=d0`, '-device', 'virtio-blk-device,drive=d0'],
    ];
    multiArgs = [...args(disks.multi), '-accel', 'tcg,thread=multi'];
    [ours, theirs] = await Promise.all([
      runUntil(TSEMU_SYSTEM, args(disks.ours), undefined, BOOT_LIMIT_MS),
      runUntil(QEMU_SYSTEM, args(disks.theirs), undefined, BOOT_LIMIT_MS),
    ]);
  }, 600_000 + BOOT_LIMIT_MS);

  afterAll(() => {
    if (disks.ours) rmSync(path.dirname(disks.ours), { recursive: true, force: true });
  });

  it('boots to /init, which runs its script, as under qemu-system-aarch64', () => {
    expect(theirs.status, theirs.output).toBe(0);
    expect(scriptOutput(theirs.output, BEGIN, END)).toContain('processor\t: 0');
    expect(kernelLines(theirs.output)).toContain('smp: Brought up 1 node, 2 CPUs');
    expect(ours.status, ours.output.slice(-3000)).toBe(0);
    expect(kernelLines(ours.output)).toEqual(kernelLines(theirs.output));
    expect(kernelLines(ours.output)).toContain('Run /init as init process');
    expect(scriptOutput(ours.output, BEGIN, END)).toEqual(scriptOutput(theirs.output, BEGIN, END));
  });

  it("loads the modules, mounts /dev/vda and runs the disk's /sbin/init, as under qemu", () => {
    const theirRoot = scriptOutput(theirs.output, ROOT_BEGIN, ROOT_END);
    expect(theirRoot, theirs.output).toContain(ROOT_END);
    expect(theirRoot.join('\n')).toMatch(/^\/dev\/vda \/ ext4 rw\b/m);
    expect(scriptOutput(ours.output, ROOT_BEGIN, ROOT_END), ours.output.slice(-3000)).toEqual(theirRoot);
  });

  it(
    'boots -smp 2 with each vCPU on a host thread of its own (-accel tcg,thread=multi) as under qemu',
    async () => {
      const multi = await runUntil(TSEMU_SYSTEM, multiArgs, undefined, BOOT_LIMIT_MS);
      expect(multi.status, multi.output.slice(-3000)).toBe(0);
      expect(kernelLines(multi.output)).toEqual(kernelLines(theirs.output));
      expect(scriptOutput(multi.output, BEGIN, END)).toEqual(scriptOutput(theirs.output, BEGIN, END));
      const theirRoot = scriptOutput(theirs.output, ROOT_BEGIN, ROOT_END);
      expect(scriptOutput(multi.output, ROOT_BEGIN, ROOT_END)).toEqual(theirRoot);
      const [mine, qemus] = await Promise.all(
        [disks.multi, disks.theirs].map((d) => readExtFile(d, WRITTEN)),
      );
      expect(mine).toBe(qemus);
      const check = await checkExtImage(disks.multi);
      expect(check.status, check.output).toBe(0);
    },
    BOOT_LIMIT_MS + 60_000,
  );

  it('leaves the written file on the image, which e2fsck finds clean, as qemu does', async () => {
    const [mine, qemus] = await Promise.all([disks.ours, disks.theirs].map((d) => readExtFile(d, WRITTEN)));
    expect(qemus).toMatch(/^written on \S+'s root disk\n$/);
    expect(mine).toBe(qemus);
    const [myCheck, qemuCheck] = await Promise.all([checkExtImage(disks.ours), checkExtImage(disks.theirs)]);
    expect(qemuCheck.status, qemuCheck.output).toBe(0);
    expect(myCheck.status, myCheck.output).toBe(0);
  });
});
