/**
 * Acceptance 4: TLS on a server socket chardev given by fd, with x509 credentials made by
 * openssl. A TLS client (verifying the server against the test CA) completes the QMP handshake;
 * a plain client gets no greeting and is disconnected; with verify-peer=on a client without a
 * certificate signed by the CA is refused too.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { killAll, listenTcpFd, makeCertificates, QmpClient, startEmulator, tempDir, withTimeout } from './harness';

afterEach(killAll);

let certs = '';
beforeAll(() => {
  certs = tempDir();
  makeCertificates(certs);
});

function start(verifyPeer: boolean): { port: number; exited: Promise<number | null> } {
  const { fd, port } = listenTcpFd();
  const emu = startEmulator(
    [
      '-M',
      'none',
      '-nographic',
      '-object',
      `tls-creds-x509,id=tls0,dir=${certs},endpoint=server,verify-peer=${verifyPeer ? 'on' : 'off'}`,
      '-chardev',
      'socket,fd=3,server=on,wait=off,tls-creds=tls0,id=mon',
      '-mon',
      'chardev=mon,mode=control',
    ],
    [fd],
  );
  native().closeFd(fd);
  return { port, exited: emu.exited };
}

function tlsConnect(port: number, withClientCert: boolean): Promise<QmpClient> {
  const read = (name: string): Buffer => fs.readFileSync(path.join(certs, name));
  return withTimeout(
    new Promise<QmpClient>((resolve, reject) => {
      const s = tls.connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: read('ca-cert.pem'),
        ...(withClientCert ? { cert: read('client-cert.pem'), key: read('client-key.pem') } : {}),
      });
      s.once('secureConnect', () => resolve(new QmpClient(s)));
      s.once('error', reject);
    }),
    10000,
    'TLS connect',
  );
}

describe('TLS on a pre-opened server socket', () => {
  it('a TLS client completes the QMP handshake; a plain client is rejected', async () => {
    const { port, exited } = start(false);

    const plain = await new Promise<{ received: string; closed: boolean }>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      let received = '';
      s.on('data', (d: Buffer) => (received += d.toString('latin1')));
      s.on('error', () => undefined);
      s.on('connect', () => s.write('{"execute": "qmp_capabilities"}\n'));
      s.on('close', () => resolve({ received, closed: true }));
      setTimeout(() => resolve({ received, closed: false }), 10000);
    });
    expect(plain.closed).toBe(true);
    expect(plain.received).not.toContain('"QMP"');

    const client = await tlsConnect(port, false);
    const greeting = await client.handshake();
    expect(greeting['QMP']).toBeDefined();
    const version = await client.execute('query-version');
    expect((version['return'] as Record<string, unknown>)['qemu']).toEqual(expect.objectContaining({ major: expect.any(Number) }));
    await client.execute('quit');
    expect(await withTimeout(exited, 10000, 'exit')).toBe(0);
  });

  it('verify-peer=on: a client certificate from the CA is required', async () => {
    const { port, exited } = start(true);
    const anonymous = await tlsConnect(port, false).then(
      async (c) => {
        // TLS 1.3 reports the missing certificate after the handshake: the server then closes.
        await c.waitClosed();
        return c.messages.length;
      },
      () => 0,
    );
    expect(anonymous).toBe(0);
    const client = await tlsConnect(port, true);
    await client.handshake();
    await client.execute('quit');
    expect(await withTimeout(exited, 10000, 'exit')).toBe(0);
  });
});
