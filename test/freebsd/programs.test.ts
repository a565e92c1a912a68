/**
 * FreeBSD/arm64 programs under tsemu-aarch64 (test/guest/freebsd/). There is no FreeBSD kernel or
 * qemu-bsd-user here to compare with, so each check is against FreeBSD's documented behaviour
 * (syscalls.master numbers, errno.h values, the sysctl(3) and _umtx_op(2) manuals, the arm64
 * sendsig frame) or against this host's own facts (CPU count, page size).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runProcess, type RunResult } from '../lib/run-process';
import { AARCH64, tsemuBinary } from '../lib/targets';
import { buildFreebsdPrograms, type FreebsdProgram } from './build';

let programs: Record<FreebsdProgram, string>;

beforeAll(async () => {
  programs = await buildFreebsdPrograms();
}, 60_000);

function tsemu(program: FreebsdProgram, args: string[] = [], options: string[] = []): Promise<RunResult> {
  return runProcess(tsemuBinary(AARCH64), {
    args: [...options, programs[program], ...args],
    env: { PATH: process.env['PATH'] ?? '' },
    timeoutMs: 20_000,
  });
}

/** The program's "label=value" lines (a label seen twice keeps its values in order, joined by commas). */
function values(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    out[key] = out[key] === undefined ? line.slice(eq + 1) : `${out[key]},${line.slice(eq + 1)}`;
  }
  return out;
}

const HOST_PAGE_SIZE = 4096;

describe('FreeBSD ABI selection', () => {
  it('runs a program branded by EI_OSABI: FreeBSD write(4) and exit(1)', async () => {
    const r = await tsemu('hello');
    expect(r.stdout).toBe('hello from FreeBSD\n');
    expect(r.status).toBe(7);
  });

  it('runs a program branded by the .note.tag ABI note', async () => {
    const r = await tsemu('auxv', ['one']);
    expect(r.status).toBe(0);
    expect(values(r.stdout)['argv']).toBe(`${programs.auxv},one`);
  });

  it('-abi linux overrides the brand (FreeBSD numbers then mean other Linux calls)', async () => {
    const r = await tsemu('hello', [], ['-abi', 'linux']);
    expect(r.stdout).not.toContain('hello from FreeBSD');
  });

  it('rejects an unknown -abi value with a usage error', async () => {
    const r = await tsemu('hello', [], ['-abi', 'netbsd']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("-abi: unknown ABI 'netbsd'");
  });
});

describe('FreeBSD process start', () => {
  it('passes the argument block in x0 and FreeBSD auxv entries (imgact_elf)', async () => {
    const r = await tsemu('auxv', ['a', 'b']);
    const v = values(r.stdout);
    expect(v['argc']).toBe('3');
    expect(v['pagesz']).toBe(String(HOST_PAGE_SIZE));
    expect(v['ncpus']).toBe(String(os.availableParallelism()));
    expect(v['osreldate']).toBe('1400097');
    expect(v['stackprot']).toBe('3'); // PROT_READ | PROT_WRITE
    expect(v['canarylen']).toBe('16');
    expect(v['canary_readable']).toBe('1');
    expect(v['hwcap_fp_asimd']).toBe('3'); // HWCAP_FP | HWCAP_ASIMD
    expect(v['execpath']).toBe(programs.auxv);
  });
});

describe('FreeBSD sysctl', () => {
  it('answers MIB, by-name and name-to-MIB queries with the host facts and sysctl(3) errors', async () => {
    const r = await tsemu('sysctl');
    const v = values(r.stdout);
    expect(r.status).toBe(0);
    expect(v['hw.ncpu']).toBe(String(os.availableParallelism()));
    expect(v['hw.pagesize']).toBe(String(HOST_PAGE_SIZE));
    expect(v['kern.osreldate']).toBe('1400097');
    expect(v['kern.usrstack.above_sp']).toBe('1');
    expect(v['kern.ostype.size']).toBe('8'); // "FreeBSD" and its NUL
    expect(v['kern.ostype']).toBe('FreeBSD');
    expect(v['short.rc']).toBe('-12'); // ENOMEM, with what fits copied
    expect(v['short.len']).toBe('3');
    expect(v['kern.osrelease']).toMatch(/^\d+\.\d+-RELEASE$/);
    expect(v['hw.machine']).toBe('arm64');
    expect([v['name2oid.len'], v['name2oid.0'], v['name2oid.1']]).toEqual(['8', '6', '7']); // {CTL_HW, HW_PAGESIZE}
    expect(v['arandom.len']).toBe('16');
    expect(v['arandom.differ']).toBe('1');
    expect(v['unknown.rc']).toBe('-2'); // ENOENT
    expect(v['write.rc']).toBe('-1'); // EPERM
  });
});

describe('FreeBSD files and errors', () => {
  it('does file I/O, stat, getdirentries and pipes, with FreeBSD errno values through the carry flag', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-freebsd-io-'));
    const r = await tsemu('fileio', [dir], ['-d', 'unimp']);
    const v = values(r.stdout);
    expect(r.status).toBe(42);
    expect(r.stdout).toContain('tsemu on FreeBSD\n');
    expect([v['write'], v['read'], v['fstat.size'], v['fstatat.size']]).toEqual(['17', '17', '17', '17']);
    expect([v['fstat.isreg'], v['fstat.perm'], v['fstat.nlink']]).toEqual([
      '1',
      String(0o644 & ~process.umask()),
      '1',
    ]);
    expect(v['exclusive.again']).toBe('-17'); // EEXIST
    expect([v['dirent.found'], v['dirent.namlen'], v['dirent.type'], v['dirent.reclen_aligned']]).toEqual([
      '1',
      '8',
      '8',
      '1',
    ]); // DT_REG
    expect(v['getdirentries.end']).toBe('0');
    expect(v['missing']).toBe('-2'); // ENOENT
    expect(v['rmdir.notdir']).toBe('-20'); // ENOTDIR: AT_REMOVEDIR (0x800) was understood
    expect(v['pipe.empty']).toBe('-35'); // EAGAIN is 35 on FreeBSD
    expect(v['pipe.flags']).toBe('4'); // O_NONBLOCK | O_RDONLY
    expect(v['enosys']).toBe('-78'); // ENOSYS
    expect(r.stderr).toContain('Unsupported syscall: 588 (kcmp)');
    expect([v['issetugid'], v['getrlimit'], v['nofile.ok'], v['nanosleep'], v['slept_enough']]).toEqual([
      '0',
      '0',
      '1',
      '0',
      '1',
    ]);
    expect(v['badclock']).toBe('-22'); // clock id 3 is unassigned on FreeBSD
  });
});

describe('FreeBSD signals', () => {
  it('delivers handlers with the FreeBSD frame, honours the mask and restores the ucontext on sigreturn', async () => {
    const r = await tsemu('signal');
    const lines = r.stdout.split('\n');
    const v = values(r.stdout);
    expect(r.status).toBe(3);
    expect(v['old.flags']).toBe('64'); // SA_SIGINFO
    expect(v['old.same_handler']).toBe('1');
    expect(v['signo']).toBe('30,31'); // SIGUSR1, SIGUSR2
    expect(lines).toContain('0x10001'); // SI_USER from kill
    expect(lines).toContain('0x10007'); // SI_LWP from thr_kill
    expect(v['pid_matches']).toBe('1');
    expect(v['thr_kill_result']).toBe('1234'); // x0 as the handler left it in uc_mcontext
    expect([v['calls_while_blocked'], v['pending_usr1'], v['calls_after_unblock']]).toEqual(['2', '1', '3']);
    expect(v['bad_signal']).toBe('-22');
    // A fault at address 0x10: SEGV_MAPERR (1), and the handler's elr + 4 resumes after the load.
    expect([v['segv.skipped_load_value'], v['segv.addr'], v['segv.code']]).toEqual(['5', '16', '1']);
  });
});

describe('FreeBSD _umtx_op and threads', () => {
  it('waits and wakes on one thread: changed values return 0, timeouts ETIMEDOUT (60)', async () => {
    const r = await tsemu('umtx');
    const v = values(r.stdout);
    expect(r.status).toBe(0);
    expect([v['changed'], v['changed_long']]).toEqual(['0', '0']);
    expect([v['relative_timeout'], v['absolute_timeout']]).toEqual(['-60', '-60']);
    expect([v['wake'], v['wake_shared'], v['bad_op']]).toEqual(['0', '0', '-22']);
  });

  it('creates a thread with thr_new that wakes the main thread through _umtx_op', async () => {
    const r = await tsemu('thread');
    const v = values(r.stdout);
    expect(v['thr_new']).toBe('0');
    expect(v['flag']).toBe('42');
    expect(v['tids_match']).toBe('1');
    expect([v['thr_new2'], v['kevent_waited'], v['kevent_bytes']]).toEqual(['0', '1', '4']);
    expect(r.status).toBe(0);
  });
});

describe('FreeBSD kqueue', () => {
  it('reports pipe readiness with byte counts, user events, receipts, errors, timeouts and EOF as kevent(2) says', async () => {
    const r = await tsemu('kqueue');
    const v = values(r.stdout);
    expect(r.status).toBe(0);
    expect([v['kqueue.ok'], v['register'], v['idle'], v['timeout']]).toEqual(['1', '0', '0', '0']);
    expect([
      v['ready'],
      v['ready.ident_ok'],
      v['ready.filter'],
      v['ready.data'],
      v['ready.udata_ok'],
    ]).toEqual(['1', '1', '-1', '3', '1']);
    expect([
      v['user.add'],
      v['user.idle'],
      v['user.trigger'],
      v['user.filter'],
      v['user.ident'],
      v['user.cleared'],
    ]).toEqual(['0', '0', '1', '-11', '7', '0']);
    // Deleting a filter of a descriptor that is not open: an EV_ERROR event with EBADF (9), or -EBADF without room.
    expect([v['error.count'], v['error.flag'], v['error.data'], v['error.noroom']]).toEqual([
      '1',
      '1',
      '9',
      '-9',
    ]);
    expect([v['receipt.count'], v['receipt.data']]).toEqual(['1', '0']);
    expect([v['eof.count'], v['eof.flag'], v['badkq']]).toEqual(['1', '1', '-9']);
  });
});
