/**
 * -daemonize with -pidfile and a pre-opened socket: the launcher exits 0 only once the daemon is
 * ready, the pidfile names the daemon (a live process other than the launcher), the inherited
 * listening socket works in the daemon, and quit removes the pidfile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { killAll, listenUnixFd, QmpClient, startEmulator, tempDir, withTimeout } from './harness';

let daemonPid = 0;
afterEach(() => {
  killAll();
  if (daemonPid > 0) {
    try {
      process.kill(daemonPid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  daemonPid = 0;
});

describe('-daemonize', () => {
  it('exits 0 when the daemon is ready; the pidfile holds the daemon pid', async () => {
    const dir = tempDir();
    const sock = path.join(dir, 'qmp.sock');
    const pidfile = path.join(dir, 'tsemu.pid');
    const fd = listenUnixFd(sock);
    const launcher = startEmulator(
      ['-M', 'none', '-daemonize', '-pidfile', pidfile, '-chardev', 'socket,fd=3,server=on,wait=off,id=mon', '-mon', 'chardev=mon,mode=control'],
      [fd],
    );
    native().closeFd(fd);
    expect(await withTimeout(launcher.exited, 15000, 'launcher exit')).toBe(0);
    daemonPid = Number(fs.readFileSync(pidfile, 'utf8').trim());
    expect(daemonPid).not.toBe(launcher.child.pid);
    expect(fs.existsSync(`/proc/${daemonPid}`)).toBe(true);

    const client = await QmpClient.connect(sock);
    await client.handshake();
    expect((await client.execute('query-status'))['return']).toEqual({ status: 'running', singlestep: false, running: true });
    await client.execute('quit');
    await client.waitClosed();
    const deadline = Date.now() + 5000;
    while (fs.existsSync(`/proc/${daemonPid}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(`/proc/${daemonPid}`)).toBe(false);
    expect(fs.existsSync(pidfile)).toBe(false);
  });

  it('exits 1 with the daemon\'s error when the daemon cannot start', async () => {
    const dir = tempDir();
    const launcher = startEmulator(['-M', 'none', '-daemonize', '-pidfile', path.join(dir, 'p'), '-chardev', 'socket,fd=987,server=on,id=mon']);
    expect(await withTimeout(launcher.exited, 15000, 'launcher exit')).toBe(1);
    expect(launcher.stderr()).toMatch(/descriptor 987 is not open/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
