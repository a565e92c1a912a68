/**
 * sysctl: the read-only nodes FreeBSD programs (libc start-up, Go's runtime) query, answered with
 * this host's facts (CPU count, memory, host name) and the FreeBSD release tsemu presents. Nodes
 * are found by MIB (__sysctl), by name (__sysctlbyname), or translated name -> MIB through
 * sysctl's own {0, 3} node (sysctlnametomib); unknown ones are ENOENT, named under -d unimp. Reads follow the kernel's rules: NULL oldp asks for
 * the size; a short buffer gets what fits and ENOMEM; writing any node is EPERM.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { PAGE_SIZE, STACK_TOP } from '../../memory/layout';
import type { GuestProcess } from '../../user/process';
import { int, syscall, type SyscallGroup } from '../linux/define';
import { E, guestRange, writeGuestBytes } from '../linux/guest-access';
import type { SyscallArgs } from '../types';

/** The release tsemu presents: FreeBSD 14.0 (__FreeBSD_version 1400097). */
export const FREEBSD_OSRELDATE = 1400097;
const OSRELEASE = '14.0-RELEASE';
/** CTL_MAXNAME: the longest MIB. */
const CTL_MAXNAME = 24;
/** sysctl's own node {0, 3}: name -> MIB. */
const NAME2OID = [0, 3];
/** Longest node name accepted (the kernel's limit for sysctlbyname is a page). */
const MAX_NAME = 4096;

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
}
function long(v: number | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(v));
  return b;
}
const string = (s: string): Buffer => Buffer.from(s + '\0', 'latin1');

interface SysctlNode {
  readonly name: string;
  readonly mib: readonly number[];
  /** The value for a read of `wanted` bytes (kern.arandom gives as many random bytes as asked, up to 256). */
  readonly value: (proc: GuestProcess, wanted: number) => Buffer;
}

const ARANDOM_MAX = 256;

const NODES: readonly SysctlNode[] = [
  { name: 'kern.ostype', mib: [1, 1], value: () => string('FreeBSD') },
  { name: 'kern.osrelease', mib: [1, 2], value: () => string(OSRELEASE) },
  { name: 'kern.osrevision', mib: [1, 3], value: () => int32(199506) },
  { name: 'kern.version', mib: [1, 4], value: () => string(`FreeBSD ${OSRELEASE} tsemu\n`) },
  { name: 'kern.argmax', mib: [1, 8], value: () => int32(524288) },
  { name: 'kern.hostname', mib: [1, 10], value: () => string(os.hostname()) },
  { name: 'kern.ngroups', mib: [1, 18], value: () => int32(1023) },
  { name: 'kern.osreldate', mib: [1, 24], value: () => int32(FREEBSD_OSRELDATE) },
  { name: 'kern.usrstack', mib: [1, 33], value: () => long(STACK_TOP) },
  { name: 'kern.iov_max', mib: [1, 35], value: () => int32(1024) },
  {
    name: 'kern.arandom',
    mib: [1, 37],
    value: (_p, wanted) => crypto.randomBytes(Math.min(wanted, ARANDOM_MAX)),
  },
  { name: 'kern.proc.pathname', mib: [1, 14, 12, -1], value: (p) => string(p.exePath) },
  { name: 'hw.machine', mib: [6, 1], value: () => string('arm64') },
  { name: 'hw.model', mib: [6, 2], value: () => string('tsemu AArch64') },
  { name: 'hw.ncpu', mib: [6, 3], value: () => int32(os.availableParallelism()) },
  { name: 'hw.byteorder', mib: [6, 4], value: () => int32(1234) },
  { name: 'hw.physmem', mib: [6, 5], value: () => long(os.totalmem()) },
  { name: 'hw.usermem', mib: [6, 6], value: () => long(os.freemem()) },
  { name: 'hw.pagesize', mib: [6, 7], value: () => int32(PAGE_SIZE) },
  { name: 'hw.machine_arch', mib: [6, 11], value: () => string('aarch64') },
  { name: 'hw.realmem', mib: [6, 12], value: () => long(os.totalmem()) },
  // MIB numbers of OID_AUTO nodes are assigned at boot on FreeBSD; tsemu's are fixed, above 0x100 as there.
  { name: 'hw.pagesizes', mib: [6, 0x100], value: () => Buffer.concat([long(PAGE_SIZE), long(0), long(0)]) },
  { name: 'vm.overcommit', mib: [2, 0x100], value: () => int32(0) },
  { name: 'kern.smp.cpus', mib: [1, 0x100, 1], value: () => int32(os.availableParallelism()) },
  // MAXCPU of FreeBSD's arm64 kernel: the size of a cpuset (Go sizes its cpuset_getaffinity mask by it).
  { name: 'kern.smp.maxcpus', mib: [1, 0x100, 2], value: () => int32(256) },
];

const sameMib = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** Reads the guest's size_t at `addr`; undefined when inaccessible. */
function readSize(proc: GuestProcess, addr: number): number | undefined {
  if (guestRange(proc, addr, 8, false) === undefined) return undefined;
  return Number(proc.memory.view.getBigUint64(addr, true));
}

function writeSize(proc: GuestProcess, addr: number, size: number): boolean {
  if (guestRange(proc, addr, 8, true) === undefined) return false;
  proc.memory.view.setBigUint64(addr, BigInt(size), true);
  return true;
}

/** Copies `value` out as sysctl does: size only when oldp is NULL, a partial copy and ENOMEM when short. */
function copyOut(proc: GuestProcess, value: Buffer, oldp: number, oldlenp: number): number {
  if (oldlenp === 0) return 0;
  if (oldp === 0) return writeSize(proc, oldlenp, value.length) ? 0 : -E.EFAULT;
  const room = readSize(proc, oldlenp);
  if (room === undefined) return -E.EFAULT;
  const n = Math.min(room, value.length);
  if (!writeGuestBytes(proc, oldp, value.subarray(0, n)) || !writeSize(proc, oldlenp, n)) return -E.EFAULT;
  return n < value.length ? -E.ENOMEM : 0;
}

const reported = new WeakMap<GuestProcess, Set<string>>();

/** Names a node tsemu lacks once per process under -d unimp, as unknown syscalls are. */
function reportUnknown(proc: GuestProcess, what: string): number {
  const seen = reported.get(proc) ?? new Set<string>();
  reported.set(proc, seen);
  if (proc.options.logItems.has('unimp') && !seen.has(what)) {
    seen.add(what);
    proc.options.log(`Unsupported sysctl: ${what}`);
  }
  return -E.ENOENT;
}

function readNode(proc: GuestProcess, node: SysctlNode, oldp: number, oldlenp: number, newp: number): number {
  if (newp !== 0) return -E.EPERM;
  const wanted = oldp !== 0 && oldlenp !== 0 ? (readSize(proc, oldlenp) ?? 0) : ARANDOM_MAX;
  return copyOut(proc, node.value(proc, wanted), oldp, oldlenp);
}

/** sysctlnametomib: the node's MIB as an int array. */
function nameToMib(proc: GuestProcess, oldp: number, oldlenp: number, newp: number, newlen: number): number {
  if (newp === 0) return -E.ENOENT;
  const name = readName(proc, newp, newlen);
  if (name === undefined) return -E.EFAULT;
  const node = NODES.find((n) => n.name === name);
  if (!node) return reportUnknown(proc, name);
  const mib = Buffer.alloc(node.mib.length * 4);
  node.mib.forEach((v, i) => mib.writeInt32LE(v, i * 4));
  return copyOut(proc, mib, oldp, oldlenp);
}

function sysctl(proc: GuestProcess, [nameAddr, namelen, oldp, oldlenp, newp, newlen]: SyscallArgs): number {
  const count = int(namelen);
  if (count < 2 || count > CTL_MAXNAME) return -E.EINVAL;
  if (guestRange(proc, nameAddr!, count * 4, false) === undefined) return -E.EFAULT;
  const mib = Array.from({ length: count }, (_, i) => proc.memory.view.getInt32(nameAddr! + i * 4, true));
  if (sameMib(mib, NAME2OID)) return nameToMib(proc, oldp!, oldlenp!, newp!, newlen!);
  const node = NODES.find((n) => sameMib(n.mib, mib));
  return node ? readNode(proc, node, oldp!, oldlenp!, newp!) : reportUnknown(proc, `{${mib.join(',')}}`);
}

/** A name of `length` bytes (a NUL ends it early), as both name lookups take it. */
function readName(proc: GuestProcess, addr: number, length: number): string | undefined {
  if (length < 0 || length > MAX_NAME || guestRange(proc, addr, length, false) === undefined)
    return undefined;
  return Buffer.from(proc.memory.u8.subarray(addr, addr + length))
    .toString('latin1')
    .replace(/\0.*$/s, '');
}

function sysctlbyname(proc: GuestProcess, [nameAddr, namelen, oldp, oldlenp, newp]: SyscallArgs): number {
  const name = readName(proc, nameAddr!, int(namelen));
  if (name === undefined) return -E.EFAULT;
  const node = NODES.find((n) => n.name === name);
  return node ? readNode(proc, node, oldp!, oldlenp!, newp!) : reportUnknown(proc, name);
}

export const SYSCTL_SYSCALLS: SyscallGroup = {
  __sysctl: syscall('xdxxxd', sysctl),
  __sysctlbyname: syscall('sdxxxd', sysctlbyname),
};
