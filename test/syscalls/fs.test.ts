/**
 * File syscalls on a guest process compared with the host's own view of the same files (Node's fs
 * as the oracle), and the Linux semantics of the flags the AArch64 ABI numbers differently.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { aarch64Abi } from '../../src/syscalls/abi/aarch64';
import { StructView } from '../../src/syscalls/struct-view';
import { PROT_READ, testProcess } from './harness';

const AT_FDCWD = -100;
const O_RDONLY = 0;
const AT_SYMLINK_NOFOLLOW = 0x100;
const { openFlags: O, fcntlCommands: F } = aarch64Abi;
const ENOENT = 2;
const EFAULT = 14;
const ENOTDIR = 20;
const ELOOP = 40;
const ENOTTY = 25;

/** Whether a host descriptor is open with FD_CLOEXEC (asked of the host directly). */
function hostCloexec(fd: number): boolean {
  const r = native().syscall(72, fd, 1);
  return r >= 0 && (r & 1) === 1;
}

const dir = fs.mkdtempSync(path.join(tmpdir(), 'tsemu-sys-fs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const t = testProcess();
const { proc, call, putString, scratch } = t;
const PATH = scratch;
const PATH2 = scratch + 0x1000;
const BUF = scratch + 0x2000;
const STRUCT = scratch + 0x8000;

function open(p: string, flags: number, mode = 0o644): number {
  return call('openat', AT_FDCWD, putString(PATH, p), flags, mode);
}

function guestStat(addr: number): StructView<string> {
  return new StructView(proc.memory.view, addr, aarch64Abi.layouts.stat, true);
}

describe('file I/O', () => {
  it('openat/write/lseek/read/close round-trip a file the host then reads', () => {
    const file = path.join(dir, 'rw.txt');
    const fd = open(file, O.O_RDWR | O.O_CREAT | O.O_TRUNC);
    expect(fd).toBeGreaterThanOrEqual(0);
    proc.memory.writeBytes(BUF, Buffer.from('hello, guest'));
    expect(call('write', fd, BUF, 12)).toBe(12);
    expect(fs.readFileSync(file, 'utf8')).toBe('hello, guest');
    expect(call('lseek', fd, 7, 0)).toBe(7);
    expect(call('read', fd, BUF + 100, 100)).toBe(5);
    expect(Buffer.from(proc.memory.readBytes(BUF + 100, 5)).toString()).toBe('guest');
    expect(call('pread64', fd, BUF + 200, 5, 0)).toBe(5);
    expect(Buffer.from(proc.memory.readBytes(BUF + 200, 5)).toString()).toBe('hello');
    expect(call('close', fd)).toBe(0);
  });

  it('writev and readv move the iovec buffers in order', () => {
    const file = path.join(dir, 'vec.txt');
    const fd = open(file, O.O_RDWR | O.O_CREAT | O.O_TRUNC);
    proc.memory.writeBytes(BUF, Buffer.from('abc'));
    proc.memory.writeBytes(BUF + 64, Buffer.from('defgh'));
    const iov = STRUCT;
    const v = proc.memory.view;
    v.setBigUint64(iov, BigInt(BUF), true);
    v.setBigUint64(iov + 8, 3n, true);
    v.setBigUint64(iov + 16, BigInt(BUF + 64), true);
    v.setBigUint64(iov + 24, 5n, true);
    expect(call('writev', fd, iov, 2)).toBe(8);
    expect(fs.readFileSync(file, 'utf8')).toBe('abcdefgh');
    expect(call('lseek', fd, 0, 0)).toBe(0);
    v.setBigUint64(iov, BigInt(BUF + 300), true);
    v.setBigUint64(iov + 16, BigInt(BUF + 400), true);
    expect(call('readv', fd, iov, 2)).toBe(8);
    expect(Buffer.from(proc.memory.readBytes(BUF + 300, 3)).toString()).toBe('abc');
    expect(Buffer.from(proc.memory.readBytes(BUF + 400, 5)).toString()).toBe('defgh');
    call('close', fd);
  });

  it('invalid guest pointers give -EFAULT, never a host crash', () => {
    const fd = open(path.join(dir, 'rw.txt'), O_RDONLY);
    expect(call('read', fd, 0x1000, 16)).toBe(-EFAULT);
    expect(call('read', fd, 2 ** 32 - 8, 16)).toBe(-EFAULT);
    expect(call('write', 1, 0x1000, 1)).toBe(-EFAULT);
    expect(call('openat', AT_FDCWD, 0x1000, 0, 0)).toBe(-EFAULT);
    expect(call('fstat', fd, 0x1000)).toBe(-EFAULT);
    const ro = proc.space.mmap(0, 0x1000, PROT_READ, 0x22, -1, 0);
    expect(call('read', fd, ro, 4)).toBe(-EFAULT);
    expect(call('fstat', fd, ro)).toBe(-EFAULT);
    call('close', fd);
  });

  it('a host write over guest pages holding translated code invalidates it', () => {
    const fd = open(path.join(dir, 'rw.txt'), O_RDONLY);
    proc.memory.setFlags(BUF, 1, 1 << 4);
    t.invalidated.length = 0;
    expect(call('read', fd, BUF + 8, 4)).toBe(4);
    expect(t.invalidated).toEqual([[BUF + 8, 4]]);
    proc.memory.setFlags(BUF, 1, 0);
    call('close', fd);
  });
});

describe('flags the AArch64 ABI numbers differently from the host', () => {
  it('O_DIRECTORY (guest 040000) refuses a regular file and opens a directory', () => {
    expect(open(path.join(dir, 'rw.txt'), O_RDONLY | O.O_DIRECTORY)).toBe(-ENOTDIR);
    const fd = open(dir, O_RDONLY | O.O_DIRECTORY);
    expect(fd).toBeGreaterThanOrEqual(0);
    call('close', fd);
  });

  it('O_NOFOLLOW (guest 0100000) refuses a symlink', () => {
    const link = path.join(dir, 'link');
    fs.symlinkSync('rw.txt', link);
    expect(open(link, O_RDONLY | O.O_NOFOLLOW)).toBe(-ELOOP);
    expect(open(link, O_RDONLY)).toBeGreaterThanOrEqual(0);
  });

  it('F_GETFL reports guest flag values, F_SETFL takes them', () => {
    const fd = open(dir, O_RDONLY | O.O_DIRECTORY);
    const flags = call('fcntl', fd, F.F_GETFL, 0);
    // A 64-bit kernel forces O_LARGEFILE on every open file.
    expect(flags).toBe(O.O_DIRECTORY | O.O_LARGEFILE);
    expect(call('fcntl', fd, F.F_SETFL, O.O_NONBLOCK)).toBe(0);
    expect(call('fcntl', fd, F.F_GETFL, 0)).toBe(O.O_DIRECTORY | O.O_LARGEFILE | O.O_NONBLOCK);
    expect(call('fcntl', fd, 0x7777, 0)).toBe(-22);
    call('close', fd);
  });
});

describe('stat family against fs.statSync', () => {
  const file = path.join(dir, 'stat.bin');
  fs.writeFileSync(file, Buffer.alloc(12345, 7));

  function expectSameAsHost(st: StructView<string>, host: fs.BigIntStats): void {
    expect(st.get('dev')).toBe(host.dev);
    expect(st.get('ino')).toBe(host.ino);
    expect(st.get('mode')).toBe(host.mode);
    expect(st.get('nlink')).toBe(host.nlink);
    expect(st.get('uid')).toBe(host.uid);
    expect(st.get('gid')).toBe(host.gid);
    expect(st.get('size')).toBe(host.size);
    expect(st.get('blksize')).toBe(host.blksize);
    expect(st.get('blocks')).toBe(host.blocks);
    expect(st.get('mtime') * 1_000_000_000n + st.get('mtime_nsec')).toBe(host.mtimeNs);
    expect(st.get('atime') * 1_000_000_000n + st.get('atime_nsec')).toBe(host.atimeNs);
  }

  it('fstat converts the host struct stat into the guest layout', () => {
    const fd = open(file, O_RDONLY);
    expect(call('fstat', fd, STRUCT)).toBe(0);
    expectSameAsHost(guestStat(STRUCT), fs.statSync(file, { bigint: true }));
    call('close', fd);
  });

  it('newfstatat follows or not as asked', () => {
    const link = path.join(dir, 'statlink');
    fs.symlinkSync(file, link);
    expect(call('newfstatat', AT_FDCWD, putString(PATH, link), STRUCT, 0)).toBe(0);
    expectSameAsHost(guestStat(STRUCT), fs.statSync(link, { bigint: true }));
    expect(call('newfstatat', AT_FDCWD, PATH, STRUCT, AT_SYMLINK_NOFOLLOW)).toBe(0);
    expectSameAsHost(guestStat(STRUCT), fs.lstatSync(link, { bigint: true }));
    expect(call('newfstatat', AT_FDCWD, putString(PATH, path.join(dir, 'missing')), STRUCT, 0)).toBe(-ENOENT);
  });

  it('statx fills size, mode and inode', () => {
    expect(call('statx', AT_FDCWD, putString(PATH, file), 0, 0xfff, STRUCT)).toBe(0);
    const sx = new StructView(proc.memory.view, STRUCT, aarch64Abi.layouts.statx, true);
    const host = fs.statSync(file, { bigint: true });
    expect(sx.get('size')).toBe(host.size);
    expect(sx.get('ino')).toBe(host.ino);
    expect(sx.get('mode')).toBe(host.mode);
  });

  it('getdents64 lists what readdirSync lists', () => {
    const sub = path.join(dir, 'listing');
    fs.mkdirSync(sub);
    for (const n of ['a', 'bb', 'ccc']) fs.writeFileSync(path.join(sub, n), '');
    const fd = open(sub, O_RDONLY | O.O_DIRECTORY);
    const n = call('getdents64', fd, BUF, 4096);
    expect(n).toBeGreaterThan(0);
    const names: string[] = [];
    for (let off = 0; off < n; ) {
      const rec = new StructView(proc.memory.view, BUF + off, aarch64Abi.layouts.dirent64, true);
      names.push(proc.memory.readCString(BUF + off + aarch64Abi.layouts.dirent64.fields.name.offset)!.toString());
      off += rec.num('reclen');
    }
    expect(names.sort()).toEqual(['.', '..', ...fs.readdirSync(sub)].sort());
    expect(call('getdents64', fd, BUF, 4096)).toBe(0);
  });
});

describe('paths', () => {
  it('readlinkat of /proc/self/exe names the guest executable', () => {
    const n = call('readlinkat', AT_FDCWD, putString(PATH, '/proc/self/exe'), BUF, 4096);
    expect(Buffer.from(proc.memory.readBytes(BUF, n)).toString()).toBe(proc.exePath);
  });

  it('openat of /proc/self/exe opens the guest executable; stat sees the host /proc entry', () => {
    const exe = testProcess({}, path.join(dir, 'rw.txt'));
    const fd = exe.call('openat', AT_FDCWD, exe.putString(exe.scratch, '/proc/self/exe'), O_RDONLY, 0);
    expect(exe.call('fstat', fd, exe.scratch + 0x100)).toBe(0);
    const st = new StructView(exe.proc.memory.view, exe.scratch + 0x100, aarch64Abi.layouts.stat, true);
    expect(st.get('ino')).toBe(fs.statSync(path.join(dir, 'rw.txt'), { bigint: true }).ino);
    expect(exe.call('newfstatat', AT_FDCWD, exe.scratch, exe.scratch + 0x100, AT_SYMLINK_NOFOLLOW)).toBe(0);
    expect(st.get('ino')).toBe(fs.lstatSync('/proc/self/exe', { bigint: true }).ino);
  });

  it('readlinkat of a real link reads the host link, truncated to the buffer', () => {
    const link = path.join(dir, 'rl');
    fs.symlinkSync('some/target', link);
    expect(call('readlinkat', AT_FDCWD, putString(PATH, link), BUF, 4096)).toBe(11);
    expect(Buffer.from(proc.memory.readBytes(BUF, 11)).toString()).toBe('some/target');
    expect(call('readlinkat', AT_FDCWD, PATH, BUF, 4)).toBe(4);
  });

  it('-L: absolute paths existing under the prefix are taken from there, others from the host', () => {
    const root = path.join(dir, 'sysroot');
    fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc', 'only-in-prefix'), 'from prefix');
    const { call: c, putString: put, scratch: s, proc: p } = testProcess({ ldPrefix: root });
    const fd = c('openat', AT_FDCWD, put(s, '/etc/only-in-prefix'), 0, 0);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(c('read', fd, s + 0x1000, 100)).toBe(11);
    expect(Buffer.from(p.memory.readBytes(s + 0x1000, 11)).toString()).toBe('from prefix');
    c('close', fd);
    expect(c('faccessat', AT_FDCWD, put(s, path.join(dir, 'rw.txt')), 0, 0)).toBe(0);
  });

  it('mkdirat, renameat, unlinkat, symlinkat, linkat act on the host files', () => {
    expect(call('mkdirat', AT_FDCWD, putString(PATH, path.join(dir, 'd1')), 0o755)).toBe(0);
    expect(fs.statSync(path.join(dir, 'd1')).isDirectory()).toBe(true);
    expect(call('renameat', AT_FDCWD, PATH, AT_FDCWD, putString(PATH2, path.join(dir, 'd2')))).toBe(0);
    expect(fs.existsSync(path.join(dir, 'd2'))).toBe(true);
    expect(call('unlinkat', AT_FDCWD, PATH2, 0x200)).toBe(0);
    expect(fs.existsSync(path.join(dir, 'd2'))).toBe(false);
    expect(call('symlinkat', putString(PATH, 'rw.txt'), AT_FDCWD, putString(PATH2, path.join(dir, 'sl')))).toBe(0);
    expect(fs.readlinkSync(path.join(dir, 'sl'))).toBe('rw.txt');
    expect(call('linkat', AT_FDCWD, putString(PATH, path.join(dir, 'rw.txt')), AT_FDCWD, putString(PATH2, path.join(dir, 'hard')), 0)).toBe(0);
    expect(fs.statSync(path.join(dir, 'hard')).ino).toBe(fs.statSync(path.join(dir, 'rw.txt')).ino);
  });

  it('getcwd answers the host working directory', () => {
    const n = call('getcwd', BUF, 4096);
    expect(proc.memory.readCString(BUF)!.toString()).toBe(process.cwd());
    expect(n).toBe(process.cwd().length + 1);
  });
});

describe('descriptors and ioctl', () => {
  it('pipe2 gives a working pipe and FIONREAD counts what is in it', () => {
    expect(call('pipe2', STRUCT, O.O_CLOEXEC)).toBe(0);
    const r = proc.memory.view.getInt32(STRUCT, true);
    const w = proc.memory.view.getInt32(STRUCT + 4, true);
    proc.memory.writeBytes(BUF, Buffer.from('xyz'));
    expect(call('write', w, BUF, 3)).toBe(3);
    expect(call('ioctl', r, aarch64Abi.ioctls.FIONREAD, STRUCT + 16)).toBe(0);
    expect(proc.memory.view.getInt32(STRUCT + 16, true)).toBe(3);
    expect(call('fcntl', r, F.F_GETFD, 0)).toBe(1);
    expect(call('ioctl', r, aarch64Abi.ioctls.TCGETS, STRUCT + 64)).toBe(-ENOTTY);
    const d = call('dup3', r, 100, O.O_CLOEXEC);
    expect(d).toBe(100);
    expect(call('read', d, BUF + 16, 3)).toBe(3);
    for (const fd of [r, w, d]) call('close', fd);
  });

  it('pipe2 and dup3 refuse flags Linux does not define for them', () => {
    expect(call('pipe2', STRUCT, 0x40000000)).toBe(-22);
    expect(call('dup3', 1, 100, 0x40000000)).toBe(-22);
  });

  it('new descriptors get the lowest free guest number, whatever the host numbers are', () => {
    const a = open(path.join(dir, 'rw.txt'), O_RDONLY);
    const b = open(path.join(dir, 'rw.txt'), O_RDONLY);
    expect(b).toBe(a + 1);
    expect(call('close', a)).toBe(0);
    expect(open(path.join(dir, 'rw.txt'), O_RDONLY)).toBe(a);
    expect(call('fcntl', b, F.F_DUPFD, 50)).toBe(50);
    expect(call('dup', b)).toBe(a + 2);
    for (const fd of [a, b, 50, a + 2]) expect(call('close', fd)).toBe(0);
    expect(call('close', a)).toBe(-9);
  });

  it("guest numbers that are tsemu's own host descriptors are the guest's to use", async () => {
    // A close-on-exec host descriptor is one Node opened for itself (event loop, pipes).
    const nodeFd = fs.readdirSync('/proc/self/fd').map(Number).find((n) => n > 2 && n < 64 && hostCloexec(n));
    expect(nodeFd).toBeDefined();
    const fd = open(path.join(dir, 'rw.txt'), O_RDONLY);
    expect(call('dup3', fd, nodeFd!, 0)).toBe(nodeFd);
    expect(call('read', nodeFd!, BUF, 5)).toBe(5);
    expect(Buffer.from(proc.memory.readBytes(BUF, 5)).toString()).toBe('hello');
    expect(call('close_range', 3, 0xffffffff, 0)).toBe(0);
    expect(call('fcntl', fd, F.F_GETFD, 0)).toBe(-9);
    expect(call('fcntl', nodeFd!, F.F_GETFD, 0)).toBe(-9);
    // Node's own descriptors survived: its event loop still does asynchronous I/O.
    expect(hostCloexec(nodeFd!)).toBe(true);
    await fs.promises.writeFile(path.join(dir, 'after'), 'ok');
    expect(await fs.promises.readFile(path.join(dir, 'after'), 'utf8')).toBe('ok');
  });

  it('/proc/self/fd/N names guest descriptor N', () => {
    const fd = open(path.join(dir, 'rw.txt'), O_RDONLY);
    const n = call('readlinkat', AT_FDCWD, putString(PATH, `/proc/self/fd/${fd}`), BUF, 4096);
    expect(Buffer.from(proc.memory.readBytes(BUF, n)).toString()).toBe(path.join(dir, 'rw.txt'));
    call('close', fd);
  });

  it('unknown ioctls answer -ENOTTY and are reported once under -d unimp', () => {
    const u = testProcess({ logItems: new Set(['unimp']) });
    expect(u.call('ioctl', 0, 0x12345678, 0)).toBe(-ENOTTY);
    expect(u.call('ioctl', 0, 0x12345678, 0)).toBe(-ENOTTY);
    expect(u.logs).toEqual(['Unsupported ioctl: cmd=0x12345678']);
  });
});
