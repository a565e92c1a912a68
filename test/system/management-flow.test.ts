/**
 * Acceptance 1: the management application's flow. The test binds the listening socket itself,
 * hands it to tsemu-system as descriptor 3, connects exactly once, and drives QMP as libvirt
 * would: greeting, qmp_capabilities, query-status, stop/cont with their STOP/RESUME events, quit
 * with SHUTDOWN and exit status 0. Expected messages are QMP's documented protocol (QEMU
 * docs/interop/qmp-spec.rst and the QAPI schema of QEMU 7.2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { killAll, listenTcpFd, listenUnixFd, qmpOnFd3, QmpClient, runScript, startEmulator, tempDir, withTimeout, type Message } from './harness';

afterEach(killAll);

function expectTimestamp(m: Message): void {
  const ts = m['timestamp'] as { seconds: number; microseconds: number };
  expect(Math.abs(ts.seconds - Date.now() / 1000)).toBeLessThan(60);
  expect(ts.microseconds).toBeGreaterThanOrEqual(0);
  expect(ts.microseconds).toBeLessThan(1_000_000);
}

async function driveQmp(client: QmpClient): Promise<void> {
  const greeting = await client.next();
  const qmp = greeting['QMP'] as { version: { qemu: Record<string, number>; package: string }; capabilities: unknown[] };
  expect(Object.keys(qmp.version.qemu).sort()).toEqual(['major', 'micro', 'minor']);
  expect(typeof qmp.version.package).toBe('string');
  expect(Array.isArray(qmp.capabilities)).toBe(true);

  const early = await client.execute('query-status');
  expect((early['error'] as Message)['class']).toBe('CommandNotFound');
  expect(await client.execute('qmp_capabilities')).toEqual({ return: {}, id: expect.any(String) });

  const status = await client.execute('query-status');
  expect(status['return']).toEqual({ status: 'running', singlestep: false, running: true });

  expect((await client.execute('stop'))['return']).toEqual({});
  expectTimestamp(await client.event('STOP'));
  expect(((await client.execute('query-status'))['return'] as Message)['status']).toBe('paused');
  expect((await client.execute('cont'))['return']).toEqual({});
  expectTimestamp(await client.event('RESUME'));

  expect((await client.execute('quit'))['return']).toEqual({});
  const shutdown = await client.event('SHUTDOWN');
  expect(shutdown['data']).toEqual({ guest: false, reason: 'host-qmp-quit' });
  await client.waitClosed();
}

describe('management-app flow with a pre-opened socket', () => {
  it.each([
    ['server=on,wait=off', 'socket,fd=3,server=on,wait=off,id=mon'],
    ['legacy server,nowait', 'socket,fd=3,server,nowait,id=mon'],
  ])('unix socket on fd 3 (%s), Node client', async (_name, chardev) => {
    const dir = tempDir();
    const sock = path.join(dir, 'qmp.sock');
    const fd = listenUnixFd(sock);
    const emu = startEmulator(qmpOnFd3(chardev), [fd]);
    native().closeFd(fd);
    const client = await QmpClient.connect(sock);
    await driveQmp(client);
    expect(await withTimeout(emu.exited, 10000, 'exit')).toBe(0);
    expect(emu.stderr()).toBe('');
  });

  it('TCP listening socket on fd 3, Node client', async () => {
    const { fd, port } = listenTcpFd();
    const emu = startEmulator(qmpOnFd3(), [fd]);
    native().closeFd(fd);
    const client = await QmpClient.connect(port);
    await driveQmp(client);
    expect(await withTimeout(emu.exited, 10000, 'exit')).toBe(0);
  });

  it('Python client (socket + json) creating, passing and connecting the socket itself', async () => {
    const dir = tempDir();
    const script = `
import json, os, socket, subprocess, sys
path = os.path.join(sys.argv[1], 'qmp.sock')
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(path)
listener.listen(1)
os.set_inheritable(listener.fileno(), True)
p = subprocess.Popen([sys.argv[2], '-M', 'none', '-nographic',
    '-chardev', 'socket,fd=%d,server=on,wait=off,id=mon' % listener.fileno(), '-mon', 'chardev=mon,mode=control'],
    pass_fds=[listener.fileno()], stdout=subprocess.DEVNULL)
listener.close()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(path)
f = s.makefile('rwb')
def read():
    return json.loads(f.readline())
def cmd(name):
    f.write(json.dumps({'execute': name}).encode() + b'\\n'); f.flush()
out = {'greeting': read()}
cmd('qmp_capabilities'); out['caps'] = read()
cmd('query-status'); out['status'] = read()
cmd('stop'); out['stop'] = [read(), read()]
cmd('cont'); out['cont'] = [read(), read()]
cmd('quit'); out['quit'] = [read(), read()]
out['exit'] = p.wait(timeout=10)
print(json.dumps(out))
`;
    const out = JSON.parse(await runScript('python3', script, [dir, path.join(__dirname, '..', '..', 'bin', 'tsemu-system')])) as Record<string, unknown>;
    expect(out['caps']).toEqual({ return: {} });
    expect((out['status'] as Message)['return']).toEqual({ status: 'running', singlestep: false, running: true });
    const events = (k: string): string[] => (out[k] as Message[]).map((m) => (m['event'] as string) ?? 'return');
    expect(events('stop').sort()).toEqual(['STOP', 'return']);
    expect(events('cont').sort()).toEqual(['RESUME', 'return']);
    expect(events('quit')).toEqual(['SHUTDOWN', 'return']);
    expect(out['exit']).toBe(0);
  });

  it('Perl client (IO::Socket::UNIX)', async () => {
    const dir = tempDir();
    const sock = path.join(dir, 'qmp.sock');
    const fd = listenUnixFd(sock);
    const emu = startEmulator(qmpOnFd3(), [fd]);
    native().closeFd(fd);
    const script = `
use strict; use IO::Socket::UNIX;
my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0]) or die "connect: $!";
sub line { my $l = <$s>; die "eof" unless defined $l; $l =~ s/\\r?\\n$//; print "$l\\n"; }
line();
for my $c ('qmp_capabilities', 'query-status', 'stop') { print $s "{\\"execute\\": \\"$c\\"}\\n"; line(); }
line();
print $s "{\\"execute\\": \\"quit\\"}\\n"; line(); line();
`;
    const lines = (await runScript('perl', script, [sock])).trim().split('\n').map((l) => JSON.parse(l) as Message);
    expect(lines[0]!['QMP']).toBeDefined();
    expect(lines[1]).toEqual({ return: {} });
    expect(lines[2]!['return']).toEqual({ status: 'running', singlestep: false, running: true });
    expect(lines.slice(3, 5).map((m) => m['event'] ?? 'return').sort()).toEqual(['STOP', 'return']);
    expect(lines[5]!['event']).toBe('SHUTDOWN');
    expect(lines[6]).toEqual({ return: {} });
    expect(await withTimeout(emu.exited, 10000, 'exit')).toBe(0);
  });

  it('several monitors at once: QMP on an fd and HMP on a unix path', async () => {
    const dir = tempDir();
    const qmpSock = path.join(dir, 'qmp.sock');
    const hmpSock = path.join(dir, 'hmp.sock');
    const fd = listenUnixFd(qmpSock);
    const emu = startEmulator(
      [...qmpOnFd3(), '-chardev', `socket,path=${hmpSock},server=on,wait=off,id=hmp`, '-mon', 'chardev=hmp,mode=readline', '-S'],
      [fd],
    );
    native().closeFd(fd);
    const qmp = await QmpClient.connect(qmpSock);
    await qmp.handshake();
    expect(((await qmp.execute('query-status'))['return'] as Message)['status']).toBe('prelaunch');

    // The emulator binds this one itself: wait (bounded) for it to appear.
    for (const deadline = Date.now() + 10000; !fs.existsSync(hmpSock) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    const hmp = await QmpClient.connect(hmpSock);
    hmp.socket.removeAllListeners('data');
    let text = '';
    hmp.socket.on('data', (d: string) => (text += d));
    const waitPrompt = async (count: number): Promise<void> => {
      const deadline = Date.now() + 10000;
      while ((text.match(/\(qemu\) /g) ?? []).length < count) {
        if (Date.now() > deadline) throw new Error(`no prompt: ${text}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitPrompt(1);
    hmp.send('info status\n');
    await waitPrompt(2);
    expect(text).toContain('VM status: paused (prelaunch)');
    hmp.send('cont\n');
    await waitPrompt(3);
    await qmp.event('RESUME');
    hmp.send('info chardev\n');
    await waitPrompt(4);
    expect(text).toMatch(/mon: filename=/);
    expect(text).toMatch(new RegExp(`hmp: filename=unix:${hmpSock},server=on`));
    hmp.send('quit\n');
    await qmp.event('SHUTDOWN');
    expect(await withTimeout(emu.exited, 10000, 'exit')).toBe(0);
    expect(fs.existsSync(hmpSock)).toBe(false);
  });
});
