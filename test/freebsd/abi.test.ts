/**
 * The FreeBSD ABI tables against FreeBSD's own facts: syscalls.master numbers are unique, every
 * call bound to a generic handler names one that exists, errno.h values translate from the
 * host's, and the brand of an ELF file is read from its bytes (garbage is simply not FreeBSD).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { elfBrand } from '../../src/loader/brand';
import { FREEBSD_SAME_AS_LINUX, freebsdAarch64Abi } from '../../src/syscalls/freebsd/abi';
import { FREEBSD_SYSCALL_NUMBERS } from '../../src/syscalls/freebsd/numbers';
import { LINUX_SYSCALLS } from '../../src/syscalls/linux/registry';

describe('FreeBSD syscall table', () => {
  it('gives each number one name', () => {
    const numbers = Object.values(FREEBSD_SYSCALL_NUMBERS);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('binds FreeBSD calls only to generic handlers that exist', () => {
    const missing = Object.entries(FREEBSD_SAME_AS_LINUX).filter(([, linux]) => !LINUX_SYSCALLS[linux]);
    expect(missing).toEqual([]);
  });

  it('keeps the numbers syscalls.master gives the calls Go and libc start with', () => {
    const expected = {
      exit: 1,
      read: 3,
      write: 4,
      sigaltstack: 53,
      mmap: 477,
      __sysctl: 202,
      sigaction: 416,
      sigreturn: 417,
      thr_new: 455,
      _umtx_op: 454,
      __sysctlbyname: 570,
      fstat: 551,
      getdirentries: 554,
      kevent: 560,
    };
    for (const [name, nr] of Object.entries(expected))
      expect(freebsdAarch64Abi.syscalls.get(nr)?.name).toBe(name);
  });

  it('translates host errno values to errno.h values', () => {
    const e = os.constants.errno;
    expect(
      [e.EPERM, e.EAGAIN, e.ENOSYS, e.ETIMEDOUT, e.ENOTEMPTY, e.EDEADLK].map(freebsdAarch64Abi.errnoFromHost),
    ).toEqual([1, 35, 78, 60, 66, 11]);
  });
});

describe('ELF brand', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-brand-'));
  const file = (name: string, bytes: Uint8Array): string => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('treats a missing file, a non-ELF file and a truncated header as not FreeBSD', () => {
    expect(elfBrand(path.join(dir, 'absent'))).toBe('linux');
    expect(elfBrand(file('text', Buffer.from('#!/bin/sh\n')))).toBe('linux');
    expect(elfBrand(file('short', Buffer.from('\x7fELF\x02\x01\x01\x09')))).toBe('linux');
  });

  it('reads EI_OSABI = 9 as FreeBSD even where elfy would not', () => {
    const header = Buffer.alloc(64);
    header.write('\x7fELF', 0, 'latin1');
    header[4] = 2;
    header[5] = 1;
    header[7] = 9;
    expect(elfBrand(file('osabi', header))).toBe('freebsd');
  });

  it('survives program headers pointing past the end of the file', () => {
    const header = Buffer.alloc(64);
    header.write('\x7fELF', 0, 'latin1');
    header[4] = 2;
    header[5] = 1;
    header.writeBigUInt64LE(0xffffffn, 32); // e_phoff
    header.writeUInt16LE(56, 54);
    header.writeUInt16LE(0xffff, 56);
    expect(elfBrand(file('badph', header))).toBe('linux');
  });
});
