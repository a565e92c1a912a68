/**
 * Process, time, memory and signal syscalls on a guest process, compared with what the host
 * reports for itself (Node's os/process as the oracle) and with Linux's documented semantics.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { aarch64Abi } from '../../src/syscalls/abi/aarch64';
import { doSyscall } from '../../src/syscalls/dispatch';
import { GuestExit } from '../../src/syscalls/types';
import { StructView } from '../../src/syscalls/struct-view';
import { PROT_READ, PROT_WRITE, testProcess } from './harness';

const EINVAL = 22;
const EFAULT = 14;
const ENOSYS = 38;
const S = aarch64Abi.signals;
const L = aarch64Abi.layouts;

const { proc, call, scratch, putString } = testProcess();
const BUF = scratch + 0x2000;

function view<F extends string>(layout: { size: number; fields: { [K in F]: { offset: number; size: number; type: 'u' | 's' | 'bytes' } } }, addr: number): StructView<F> {
  return new StructView(proc.memory.view, addr, layout, true);
}

describe('identity', () => {
  it('ids are the host process ids', () => {
    expect(call('getpid')).toBe(process.pid);
    expect(call('getppid')).toBe(process.ppid);
    expect(call('getuid')).toBe(process.getuid!());
    expect(call('geteuid')).toBe(process.geteuid!());
    expect(call('getgid')).toBe(process.getgid!());
    expect(call('getegid')).toBe(process.getegid!());
    expect(call('gettid')).toBe(process.pid);
    expect(call('set_tid_address', BUF)).toBe(process.pid);
  });

  it('getresuid fills three ids', () => {
    expect(call('getresuid', BUF, BUF + 4, BUF + 8)).toBe(0);
    expect(proc.memory.view.getUint32(BUF, true)).toBe(process.getuid!());
    expect(call('getresuid', BUF, 0x1000, BUF + 8)).toBe(-EFAULT);
  });

  it('uname is the host kernel with the guest machine', () => {
    expect(call('uname', BUF)).toBe(0);
    const u = view(L.utsname, BUF);
    const field = (f: 'sysname' | 'release' | 'machine' | 'nodename') => Buffer.from(u.bytes(f)).toString('latin1').replace(/\0.*$/s, '');
    expect(field('sysname')).toBe('Linux');
    expect(field('release')).toBe(os.release());
    expect(field('nodename')).toBe(os.hostname());
    expect(field('machine')).toBe('aarch64');
  });

  it('prctl PR_SET_NAME / PR_GET_NAME keep the guest thread name (15 bytes)', () => {
    putString(BUF, 'a-very-long-thread-name');
    expect(call('prctl', 15, BUF)).toBe(0);
    expect(call('prctl', 16, BUF + 64)).toBe(0);
    expect(proc.memory.readCString(BUF + 64)!.toString()).toBe('a-very-long-thr');
    expect(call('prctl', 0x7fff)).toBe(-EINVAL);
  });

  it('set_robust_list takes the 24-byte head and refuses other sizes', () => {
    expect(call('set_robust_list', BUF, 24)).toBe(0);
    expect(call('set_robust_list', BUF, 16)).toBe(-EINVAL);
  });
});

describe('resources', () => {
  it('getrlimit(RLIMIT_NOFILE) is the host limit', () => {
    const RLIMIT_NOFILE = 7;
    expect(call('getrlimit', RLIMIT_NOFILE, BUF)).toBe(0);
    const r = view(L.rlimit, BUF);
    const soft = execFileSync('sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).trim();
    expect(String(r.get('cur'))).toBe(soft);
  });

  it('setrlimit(RLIMIT_AS) is accepted but never binds tsemu, as under QEMU', () => {
    const RLIMIT_AS = 9;
    const r = view(L.rlimit, BUF);
    r.set('cur', 1 << 20);
    r.set('max', 1 << 20);
    expect(call('setrlimit', RLIMIT_AS, BUF)).toBe(0);
    expect(call('getrlimit', RLIMIT_AS, BUF + 64)).toBe(0);
    expect(view(L.rlimit, BUF + 64).get('cur')).toBe(2n ** 64n - 1n);
  });

  it('sysinfo reports the host memory', () => {
    expect(call('sysinfo', BUF)).toBe(0);
    const s = view(L.sysinfo, BUF);
    expect(s.get('totalram') * s.get('mem_unit')).toBe(BigInt(os.totalmem()));
  });

  it('getrusage and times succeed and count this process', () => {
    expect(call('getrusage', 0, BUF)).toBe(0);
    expect(view(L.rusage, BUF).get('maxrss')).toBeGreaterThan(0n);
    expect(call('times', BUF)).toBeGreaterThan(0);
  });

  it('getrandom fills the buffer', () => {
    proc.memory.writeBytes(BUF, new Uint8Array(64));
    expect(call('getrandom', BUF, 64, 0)).toBe(64);
    expect(proc.memory.readBytes(BUF, 64).some((b) => b !== 0)).toBe(true);
  });
});

describe('time', () => {
  it('clock_gettime(CLOCK_REALTIME) and gettimeofday agree with Date.now()', () => {
    expect(call('clock_gettime', 0, BUF)).toBe(0);
    const ts = view(L.timespec, BUF);
    expect(Math.abs(ts.num('sec') * 1000 + ts.num('nsec') / 1e6 - Date.now())).toBeLessThan(2000);
    expect(call('gettimeofday', BUF, 0)).toBe(0);
    const tv = view(L.timeval, BUF);
    expect(Math.abs(tv.num('sec') * 1000 + tv.num('usec') / 1e3 - Date.now())).toBeLessThan(2000);
    expect(call('clock_getres', 1, BUF)).toBe(0);
    expect(view(L.timespec, BUF).num('nsec')).toBe(1);
  });

  it('nanosleep sleeps at least as asked', () => {
    const req = view(L.timespec, BUF);
    req.set('sec', 0);
    req.set('nsec', 20_000_000);
    const start = performance.now();
    expect(call('nanosleep', BUF, 0)).toBe(0);
    expect(performance.now() - start).toBeGreaterThanOrEqual(19);
    req.set('nsec', 2_000_000_000);
    expect(call('clock_nanosleep', 1, 0, BUF, 0)).toBe(-EINVAL);
  });
});

describe('memory', () => {
  it('mmap/mprotect/munmap/brk go to the address space', () => {
    const a = call('mmap', 0, 0x3000, PROT_READ | PROT_WRITE, 0x22, -1, 0);
    expect(a).toBeGreaterThan(0);
    expect(proc.memory.accessible(a, 0x3000, true)).toBe(true);
    expect(call('mprotect', a, 0x1000, PROT_READ)).toBe(0);
    expect(proc.memory.accessible(a, 1, true)).toBe(false);
    expect(call('munmap', a, 0x3000)).toBe(0);
    expect(proc.memory.accessible(a, 1, false)).toBe(false);
    expect(call('mmap', 0, 0x1000, 0, 0x20, -1, 0)).toBe(-EINVAL);
  });

  it('madvise(MADV_DONTNEED) zeroes private anonymous memory; other advice is a no-op', () => {
    const a = call('mmap', 0, 0x2000, PROT_READ | PROT_WRITE, 0x22, -1, 0);
    proc.memory.write32(a, 0xdeadbeef);
    proc.memory.write32(a + 0x1000, 0xdeadbeef);
    expect(call('madvise', a, 0x1000, 3)).toBe(0);
    expect(proc.memory.read32(a)).toBe(0xdeadbeef);
    expect(call('madvise', a, 0x1000, 4)).toBe(0);
    expect(proc.memory.read32(a)).toBe(0);
    expect(proc.memory.read32(a + 0x1000)).toBe(0xdeadbeef);
    expect(call('madvise', a + 1, 0x1000, 4)).toBe(-EINVAL);
    call('munmap', a, 0x2000);
    expect(call('madvise', a, 0x1000, 4)).toBe(-12);
  });
});

describe('signals', () => {
  const ACT = BUF;
  const OLD = BUF + 64;

  it('rt_sigaction keeps the guest disposition and returns it in the guest layout', () => {
    const act = view(L.sigaction, ACT);
    act.clear();
    act.set('handler', 0x401234);
    act.set('flags', 0x04000004);
    act.set('restorer', 0x405678);
    proc.memory.view.setBigUint64(ACT + L.sigaction.fields.mask.offset, 1n << BigInt(S.SIGUSR2 - 1), true);
    expect(call('rt_sigaction', S.SIGUSR1, ACT, 0, 8)).toBe(0);
    expect(call('rt_sigaction', S.SIGUSR1, 0, OLD, 8)).toBe(0);
    expect(Buffer.from(proc.memory.readBytes(OLD, 32))).toEqual(Buffer.from(proc.memory.readBytes(ACT, 32)));
    expect(call('rt_sigaction', S.SIGTERM, 0, OLD, 8)).toBe(0);
    expect(view(L.sigaction, OLD).get('handler')).toBe(0n);
  });

  it('rt_sigaction refuses SIGKILL, SIGSTOP, bad numbers and bad set sizes', () => {
    expect(call('rt_sigaction', S.SIGKILL, ACT, 0, 8)).toBe(-EINVAL);
    expect(call('rt_sigaction', S.SIGSTOP, ACT, 0, 8)).toBe(-EINVAL);
    expect(call('rt_sigaction', 0, 0, OLD, 8)).toBe(-EINVAL);
    expect(call('rt_sigaction', 65, 0, OLD, 8)).toBe(-EINVAL);
    expect(call('rt_sigaction', S.SIGUSR1, 0, OLD, 4)).toBe(-EINVAL);
    expect(call('rt_sigaction', S.SIGKILL, 0, OLD, 8)).toBe(0);
  });

  it('rt_sigprocmask blocks, unblocks and never blocks SIGKILL or SIGSTOP', () => {
    const all = 2n ** 64n - 1n;
    proc.memory.view.setBigUint64(ACT, all, true);
    expect(call('rt_sigprocmask', 2, ACT, 0, 8)).toBe(0);
    expect(call('rt_sigprocmask', 0, 0, OLD, 8)).toBe(0);
    const unblockable = (1n << BigInt(S.SIGKILL - 1)) | (1n << BigInt(S.SIGSTOP - 1));
    expect(proc.memory.view.getBigUint64(OLD, true)).toBe(all & ~unblockable);
    proc.memory.view.setBigUint64(ACT, all, true);
    expect(call('rt_sigprocmask', 1, ACT, 0, 8)).toBe(0);
    expect(call('rt_sigprocmask', 0, 0, OLD, 8)).toBe(0);
    expect(proc.memory.view.getBigUint64(OLD, true)).toBe(0n);
    expect(call('rt_sigprocmask', 7, ACT, 0, 8)).toBe(-EINVAL);
  });

  it('sigaltstack stores a stack, refuses one below MINSIGSTKSZ, reports SS_DISABLE when none', () => {
    const p = testProcess();
    const ss = new StructView(p.proc.memory.view, p.scratch, L.stack, true);
    expect(p.call('sigaltstack', 0, p.scratch + 64)).toBe(0);
    expect(new StructView(p.proc.memory.view, p.scratch + 64, L.stack, true).num('flags')).toBe(2);
    ss.set('sp', 0x500000);
    ss.set('flags', 0);
    ss.set('size', 4096);
    expect(p.call('sigaltstack', p.scratch, 0)).toBe(-12);
    ss.set('size', 16384);
    expect(p.call('sigaltstack', p.scratch, 0)).toBe(0);
    expect(p.call('sigaltstack', 0, p.scratch + 64)).toBe(0);
    const old = new StructView(p.proc.memory.view, p.scratch + 64, L.stack, true);
    expect([old.get('sp'), old.num('flags'), old.get('size')]).toEqual([0x500000n, 0, 16384n]);
  });

  it('kill of itself with a default-terminate signal ends the guest with that signal', () => {
    const p = testProcess();
    expect(p.call('kill', process.pid, 0)).toBe(0);
    expect(p.call('kill', process.pid, S.SIGCHLD)).toBe(0);
    expect(() => p.call('kill', process.pid, S.SIGTERM)).toThrow(new GuestExit(0, os.constants.signals.SIGTERM));
    expect(() => p.call('tgkill', process.pid, process.pid, S.SIGABRT)).toThrow(new GuestExit(0, os.constants.signals.SIGABRT));
  });

  it('an ignored or blocked signal to itself does not end the guest', () => {
    const p = testProcess();
    const act = new StructView(p.proc.memory.view, p.scratch, L.sigaction, true);
    act.set('handler', 1);
    expect(p.call('rt_sigaction', S.SIGTERM, p.scratch, 0, 8)).toBe(0);
    expect(p.call('kill', process.pid, S.SIGTERM)).toBe(0);
    p.proc.memory.view.setBigUint64(p.scratch + 64, 1n << BigInt(S.SIGUSR1 - 1), true);
    expect(p.call('rt_sigprocmask', 0, p.scratch + 64, 0, 8)).toBe(0);
    expect(p.call('tkill', process.pid, S.SIGUSR1)).toBe(0);
  });
});

describe('pending signals', () => {
  it('a blocked default-terminate signal to itself stays pending, then ends the guest when unblocked', () => {
    const p = testProcess();
    const SET = p.scratch;
    p.proc.memory.view.setBigUint64(SET, 1n << BigInt(S.SIGUSR1 - 1), true);
    expect(p.call('rt_sigprocmask', 0, SET, 0, 8)).toBe(0);
    expect(p.call('kill', process.pid, S.SIGUSR1)).toBe(0);
    expect(p.call('rt_sigpending', SET + 64, 8)).toBe(0);
    expect(p.proc.memory.view.getBigUint64(SET + 64, true)).toBe(1n << BigInt(S.SIGUSR1 - 1));
    expect(() => p.call('rt_sigprocmask', 1, SET, 0, 8)).toThrow(new GuestExit(0, os.constants.signals.SIGUSR1));
  });
});

describe('dispatch', () => {
  it('exit_group ends the guest with the status', () => {
    expect(() => call('exit_group', 0x1ff)).toThrow(new GuestExit(0xff));
  });

  it('unknown and unimplemented numbers answer -ENOSYS and are reported once each under -d unimp', () => {
    const p = testProcess({ logItems: new Set(['unimp']) });
    expect(p.call('rseq', 0, 0, 0, 0)).toBe(-ENOSYS);
    expect(p.call('rseq', 0, 0, 0, 0)).toBe(-ENOSYS);
    expect(p.proc.abi.syscalls.has(9999)).toBe(false);
    expect(doSyscall(p.proc, 9999, [])).toBe(-ENOSYS);
    expect(p.logs).toEqual(['Unsupported syscall: 293 (rseq)', 'Unsupported syscall: 9999']);
  });

  it('-strace logs in QEMU format', () => {
    const p = testProcess({ strace: true });
    p.putString(p.scratch, '/nonexistent');
    p.call('openat', -100, p.scratch, 0, 0);
    p.call('getpid');
    p.call('brk', 0);
    p.call('rseq', 0, 0, 0, 0, 0, 0);
    expect(() => p.call('exit_group', 3)).toThrow(GuestExit);
    const pid = process.pid;
    expect(p.logs).toEqual([
      `${pid} openat(AT_FDCWD,"/nonexistent",O_RDONLY,00) = -1 errno=2 (No such file or directory)`,
      `${pid} getpid() = ${pid}`,
      `${pid} brk(NULL) = 0x0000000000000000`,
      `${pid} rseq(0,0,0,0,0,0) = -1 errno=38 (Function not implemented)`,
      `${pid} exit_group(3)`,
    ]);
  });
});
