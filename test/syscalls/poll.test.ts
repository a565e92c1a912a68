/**
 * Waiting and in-kernel copies on real host descriptors: poll, ppoll, pselect6, epoll (whose event
 * struct the host packs differently from AArch64), eventfd, sendfile.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aarch64Abi } from '../../src/syscalls/abi/aarch64';
import { LINUX_SYSCALLS } from '../../src/syscalls/linux/registry';
import { StructView } from '../../src/syscalls/struct-view';
import { testProcess } from './harness';

const POLLIN = 1;
const EPOLL_CTL_ADD = 1;
const EPOLLIN = 1;
const L = aarch64Abi.layouts;

const { proc, call, scratch, putString } = testProcess();
const v = proc.memory.view;
const BUF = scratch + 0x2000;
const FDS = scratch;

function pipe(): [number, number] {
  expect(call('pipe2', FDS, 0)).toBe(0);
  return [v.getInt32(FDS, true), v.getInt32(FDS + 4, true)];
}

describe('waiting on descriptors', () => {
  it('ppoll reports a readable pipe and times out on an empty one', () => {
    const [r, w] = pipe();
    const pfd = new StructView(v, BUF, L.pollfd, true);
    pfd.set('fd', r);
    pfd.set('events', POLLIN);
    const ts = new StructView(v, BUF + 64, L.timespec, true);
    ts.set('sec', 0);
    ts.set('nsec', 1_000_000);
    expect(call('ppoll', BUF, 1, BUF + 64, 0, 8)).toBe(0);
    proc.memory.writeBytes(BUF + 128, Buffer.from('x'));
    expect(call('write', w, BUF + 128, 1)).toBe(1);
    expect(call('ppoll', BUF, 1, 0, 0, 8)).toBe(1);
    expect(pfd.num('revents')).toBe(POLLIN);
    call('close', r);
    call('close', w);
  });

  it('poll (numbered on ARM and PowerPC) waits its timeout in milliseconds, none when it is negative', () => {
    const [r, w] = pipe();
    const pfd = new StructView(v, BUF, L.pollfd, true);
    pfd.set('fd', r);
    pfd.set('events', POLLIN);
    // AArch64 does not number poll: its definition is called directly.
    const poll = (timeoutMs: number) => LINUX_SYSCALLS['poll']!.handler(proc, [BUF, 1, timeoutMs]);
    const started = performance.now();
    expect(poll(30)).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    proc.memory.writeBytes(BUF + 128, Buffer.from('x'));
    expect(call('write', w, BUF + 128, 1)).toBe(1);
    expect(poll(-1)).toBe(1);
    expect(pfd.num('revents')).toBe(POLLIN);
    call('close', r);
    call('close', w);
  });

  it('pselect6 marks the readable descriptor in the fd_set', () => {
    const [r, w] = pipe();
    proc.memory.writeBytes(BUF + 128, Buffer.from('x'));
    call('write', w, BUF + 128, 1);
    v.setBigUint64(BUF, 1n << BigInt(r), true);
    expect(call('pselect6', r + 1, BUF, 0, 0, 0, 0)).toBe(1);
    expect(v.getBigUint64(BUF, true)).toBe(1n << BigInt(r));
    call('close', r);
    call('close', w);
  });

  it('pselect6 renumbers descriptors beyond the first fd_set word and clears the others', () => {
    const [r, w] = pipe();
    const high = call('fcntl', r, aarch64Abi.fcntlCommands.F_DUPFD, 70);
    expect(high).toBe(70);
    proc.memory.writeBytes(BUF + 128, Buffer.from('x'));
    call('write', w, BUF + 128, 1);
    v.setBigUint64(BUF, 1n << BigInt(w), true);
    v.setBigUint64(BUF + 8, 1n << 6n, true);
    expect(call('pselect6', 71, BUF, 0, 0, 0, 0)).toBe(1);
    expect([v.getBigUint64(BUF, true), v.getBigUint64(BUF + 8, true)]).toEqual([0n, 1n << 6n]);
    for (const fd of [r, w, high]) call('close', fd);
  });

  it('epoll returns the 64-bit user data through the differently packed host struct', () => {
    const [r, w] = pipe();
    const ep = call('epoll_create1', aarch64Abi.openFlags.O_CLOEXEC);
    expect(ep).toBeGreaterThanOrEqual(0);
    const ev = new StructView(v, BUF, L.epoll_event, true);
    ev.set('events', EPOLLIN);
    ev.set('data', 0x1122334455667788n);
    expect(call('epoll_ctl', ep, EPOLL_CTL_ADD, r, BUF)).toBe(0);
    expect(call('epoll_pwait', ep, BUF + 64, 4, 0, 0, 8)).toBe(0);
    proc.memory.writeBytes(BUF + 256, Buffer.from('x'));
    call('write', w, BUF + 256, 1);
    proc.memory.writeBytes(BUF + 64 + 16, Buffer.alloc(16, 0xee));
    expect(call('epoll_pwait', ep, BUF + 64, 4, 1000, 0, 8)).toBe(1);
    const out = new StructView(v, BUF + 64, L.epoll_event, true);
    expect(out.num('events')).toBe(EPOLLIN);
    expect(out.get('data')).toBe(0x1122334455667788n);
    // Entries past the returned count are left alone, as the kernel leaves them.
    expect(proc.memory.read8(BUF + 64 + 16)).toBe(0xee);
    for (const fd of [ep, r, w]) call('close', fd);
  });

  it('eventfd2 counts what is written to it', () => {
    const efd = call('eventfd2', 5, 0);
    v.setBigUint64(BUF, 3n, true);
    expect(call('write', efd, BUF, 8)).toBe(8);
    expect(call('read', efd, BUF + 8, 8)).toBe(8);
    expect(v.getBigUint64(BUF + 8, true)).toBe(8n);
    call('close', efd);
  });
});

describe('in-kernel copies', () => {
  it('sendfile copies from the offset and advances it', () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'tsemu-sys-poll-'));
    const src = path.join(dir, 'src');
    fs.writeFileSync(src, '0123456789');
    const inFd = call('openat', -100, putString(BUF, src), 0, 0);
    const outFd = call('openat', -100, putString(BUF, path.join(dir, 'dst')), 0o1 | 0o100, 0o644);
    v.setBigInt64(BUF + 512, 3n, true);
    expect(call('sendfile', outFd, inFd, BUF + 512, 4)).toBe(4);
    expect(v.getBigInt64(BUF + 512, true)).toBe(7n);
    expect(fs.readFileSync(path.join(dir, 'dst'), 'utf8')).toBe('3456');
    call('close', inFd);
    call('close', outFd);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
