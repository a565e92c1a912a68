/**
 * Real programs from Debian: unmodified, dynamically linked binaries of the target's Debian
 * architecture, run with a sysroot extracted from Debian's .deb files (scripts/fetch-deb.sh, the
 * same private-apt fetcher the tests use; cached in .cache/debs/<arch>/sysroot), against the
 * host's own build of the same Debian release (the native column) and qemu with the same -L.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { textInput } from './text-input.mjs';

/**
 * Debian architecture per target. Big-endian ppc64 is a Debian ports architecture, absent from
 * the main archive the fetcher uses, so it has no real-program rows.
 */
export const DEBIAN_ARCH = { aarch64: 'arm64', ppc64le: 'ppc64el', arm: 'armhf', 'arm-thumb': 'armhf' };

/** The sysroot's packages: the programs and every library they load. */
const PACKAGES = [
  'libc6', 'gzip', 'bzip2', 'libbz2-1.0', 'xz-utils', 'liblzma5', 'sqlite3', 'libsqlite3-0', 'libreadline8',
  'libtinfo6', 'zlib1g', 'lua5.4',
];

/** Each case: a row name, the program's path (the same in the sysroot and on the host) and its arguments. */
function cases(benchDir, dataDir) {
  const text20m = textInput(path.join(dataDir, 'text-20m.txt'), 20 << 20);
  const text4m = textInput(path.join(dataDir, 'text-4m.txt'), 4 << 20);
  const programs = path.join(benchDir, 'programs');
  return [
    { name: 'gzip -9', program: '/bin/gzip', args: ['-9', '-c', '-n', text20m] },
    { name: 'bzip2 -9', program: '/bin/bzip2', args: ['-9', '-c', text20m] },
    { name: 'xz -2', program: '/usr/bin/xz', args: ['-2', '-T1', '-c', text4m] },
    { name: 'sqlite3', program: '/usr/bin/sqlite3', args: [':memory:', `.read ${path.join(programs, 'bulk.sql')}`] },
    { name: 'lua5.4', program: '/usr/bin/lua5.4', args: [path.join(programs, 'bench.lua')] },
  ];
}

/** Extracts (once) every package into the target's sysroot; returns its path. */
function sysroot(root, debArch) {
  const dir = path.join(root, '.cache', 'debs', debArch, 'sysroot');
  for (const pkg of PACKAGES) {
    const r = spawnSync(path.join(root, 'scripts', 'fetch-deb.sh'), [debArch, pkg, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`fetching ${pkg} for ${debArch} failed:\n${r.stderr}`);
  }
  return dir;
}

/**
 * The runners of each real-program row of target `name`: native (when the host has the program),
 * qemu and tsemu with -L sysroot. The output reference is native, or qemu without it. Returns []
 * for targets without a Debian architecture.
 */
export function programRuns(name, { root, benchDir, dataDir, qemu, tsemu, filters }) {
  const debArch = DEBIAN_ARCH[name];
  if (!debArch) return [];
  const selected = cases(benchDir, dataDir).filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
  if (selected.length === 0) return [];
  const sys = sysroot(root, debArch);
  return selected.map((c) => {
    const guest = path.join(sys, c.program);
    const native = existsSync(c.program);
    return {
      name: c.name,
      reference: native ? 'native' : 'qemu',
      runners: [
        ...(native ? [{ name: 'native', command: c.program, args: c.args }] : []),
        { name: 'qemu', command: qemu, args: ['-L', sys, guest, ...c.args] },
        { name: 'tsemu', command: tsemu, args: ['-L', sys, guest, ...c.args] },
      ],
    };
  });
}
