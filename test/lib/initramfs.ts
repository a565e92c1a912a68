/**
 * An arm64 initramfs built at test time around Debian's busybox-static (fetched, never committed):
 * /bin/busybox, /dev/console (the kernel opens it for init's standard streams before any device
 * file system exists), the mount points /proc, /sys and /dev, `/init`, a busybox shell script
 * given by the test, and whatever else the test adds (kernel modules, more mount points).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CpioEntry, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, writeCpio } from './cpio';
import { fetchDebianPackage } from './debian';

/** TTYAUX_MAJOR, minor 1: /dev/console. */
const CONSOLE = { major: 5, minor: 1 };

/** Debian's arm64 busybox-static binary (downloaded once). */
export async function arm64Busybox(): Promise<Buffer> {
  const root = await fetchDebianPackage('arm64', 'busybox-static');
  return readFileSync(path.join(root, 'bin', 'busybox'));
}

/**
 * Writes the initramfs (an uncompressed newc cpio) whose /init runs `script`, with `extra` entries
 * after the standard ones; returns its path.
 */
export async function busyboxInitramfs(script: string, extra: readonly CpioEntry[] = []): Promise<string> {
  const busybox = await arm64Busybox();
  const archive = writeCpio([
    ...['bin', 'dev', 'proc', 'sys'].map((name) => ({ name, mode: S_IFDIR | 0o755 })),
    { name: 'bin/busybox', mode: S_IFREG | 0o755, data: busybox },
    { name: 'bin/sh', mode: S_IFLNK | 0o777, data: 'busybox' },
    { name: 'dev/console', mode: S_IFCHR | 0o600, rdev: CONSOLE },
    { name: 'init', mode: S_IFREG | 0o755, data: `#!/bin/sh\n${script}` },
    ...extra,
  ]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tsemu-initramfs-')), 'initramfs.cpio');
  writeFileSync(file, archive);
  return file;
}
