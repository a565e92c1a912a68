/**
 * Acceptance 3: command lines tsemu-system must refuse, as QEMU's rules say: a descriptor name on
 * the command line, a descriptor that is not a socket or not open, a descriptor given to the -qmp
 * shorthand, TLS on a client socket given by fd. Each refusal is one line on stderr, exit status 1,
 * and leaves nothing behind: no pidfile, no socket file of another chardev on the same line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { killAll, listenUnixFd, makeCertificates, startEmulator, tempDir, withTimeout } from './harness';

afterEach(killAll);

interface Case {
  name: string;
  args: (dir: string) => string[];
  /** Descriptor to pass as 3: a listening unix socket, a regular file, or nothing. */
  fd3?: 'listening' | 'file';
  message: RegExp;
}

const MON = ['-mon', 'chardev=mon,mode=control'];

const CASES: Case[] = [
  {
    name: 'a named fd on the command line',
    args: () => ['-chardev', 'socket,fd=myfd,server=on,wait=off,id=mon', ...MON],
    message: /^tsemu-system: -chardev socket,fd=myfd,server=on,wait=off,id=mon: fd=myfd: a descriptor name is only valid in a monitor/,
  },
  {
    name: 'an fd that is not a socket',
    args: () => ['-chardev', 'socket,fd=3,server=on,wait=off,id=mon', ...MON],
    fd3: 'file',
    message: /^tsemu-system: -chardev socket,fd=3,server=on,wait=off,id=mon: File descriptor '3' is not a socket$/,
  },
  {
    name: 'an fd that is not open',
    args: () => ['-chardev', 'socket,fd=987,server=on,wait=off,id=mon', ...MON],
    message: /^tsemu-system: -chardev socket,fd=987,server=on,wait=off,id=mon: fd=987: descriptor 987 is not open/,
  },
  {
    name: '-qmp with an fd (fd: form)',
    args: () => ['-qmp', 'fd:3'],
    fd3: 'listening',
    message: /^tsemu-system: -qmp fd:3: the -qmp shorthand does not take a file descriptor; use -chardev socket,fd=N,server=on,wait=off,id=ID -mon chardev=ID,mode=control$/,
  },
  {
    name: '-qmp with an fd (fd= option)',
    args: () => ['-qmp', 'unix:/tmp/never.sock,server,nowait,fd=3'],
    fd3: 'listening',
    message: /^tsemu-system: -qmp unix:\/tmp\/never.sock,server,nowait,fd=3: the -qmp shorthand does not take a file descriptor/,
  },
  {
    name: 'TLS on a client socket given by fd',
    args: (dir) => [
      '-object',
      `tls-creds-x509,id=tls0,dir=${path.join(dir, 'certs')},endpoint=client`,
      '-chardev',
      'socket,fd=3,server=off,tls-creds=tls0,id=mon',
      ...MON,
    ],
    fd3: 'listening',
    message: /TLS is refused on a client socket given by fd: a client needs a hostname to verify the server certificate/,
  },
  {
    name: 'a listening fd for a client chardev',
    args: () => ['-chardev', 'socket,fd=3,id=mon', ...MON],
    fd3: 'listening',
    message: /File descriptor '3' is a listening socket: use server=on$/,
  },
];

let certs: string | undefined;
function certDir(): string {
  if (!certs) {
    certs = path.join(tempDir(), 'certs');
    fs.mkdirSync(certs);
    makeCertificates(certs);
  }
  return certs;
}

describe('refused command lines', () => {
  it.each(CASES)('$name', async (c) => {
    const dir = tempDir();
    fs.symlinkSync(certDir(), path.join(dir, 'certs'));
    let fd = -1;
    if (c.fd3 === 'listening') fd = listenUnixFd(path.join(dir, 'passed.sock'));
    if (c.fd3 === 'file') fd = fs.openSync(path.join(dir, 'plain-file'), 'w');
    const before = fs.readdirSync(dir).sort();
    const other = path.join(dir, 'other.sock');
    const args = [
      '-M',
      'none',
      '-pidfile',
      path.join(dir, 'tsemu.pid'),
      '-chardev',
      `socket,path=${other},server=on,wait=off,id=other`,
      ...c.args(dir),
    ];
    const emu = startEmulator(args, fd >= 0 ? [fd] : []);
    if (fd >= 0) native().closeFd(fd);
    expect(await withTimeout(emu.exited, 10000, 'exit')).toBe(1);
    const lines = emu.stderr().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(c.message);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it('a chardev failing to open removes the ones opened before it', async () => {
    const dir = tempDir();
    const first = path.join(dir, 'first.sock');
    const emu = startEmulator([
      '-M',
      'none',
      '-pidfile',
      path.join(dir, 'tsemu.pid'),
      '-chardev',
      `socket,path=${first},server=on,wait=off,id=a`,
      '-chardev',
      `socket,path=${path.join(dir, 'missing', 'b.sock')},server=on,wait=off,id=b`,
    ]);
    expect(await withTimeout(emu.exited, 10000, 'exit')).toBe(1);
    expect(emu.stderr().split('\n').filter(Boolean)).toHaveLength(1);
    expect(emu.stderr()).toMatch(/^tsemu-system: -chardev socket,path=.*missing\/b.sock.*: Failed to listen on unix:/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
