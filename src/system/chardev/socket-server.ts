/**
 * A listening socket chardev (`server=on`): on a unix path, a TCP host/port, or a listening
 * descriptor (inherited on the command line, or passed to a monitor with getfd). Node's net.Server
 * accepts; a plain unix connection is then taken over as a raw descriptor (FdStream, so the peer
 * can pass descriptors), while TCP and TLS connections stay Node sockets.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { native } from '../../native';
import { ChardevError, Chardev } from './chardev';
import { FdStream } from './fd-stream';
import { NodeStream } from './node-stream';
import type { CharStream } from './stream';
import type { TlsCreds } from './tls-creds';

/** Where the server listens. */
export type ListenTarget = { kind: 'unix'; path: string } | { kind: 'inet'; host: string; port: number } | { kind: 'fd'; fd: number };

export class SocketServerChardev extends Chardev {
  readonly backend = 'socket';
  private readonly server = net.createServer({ pauseOnConnect: true });
  private createdPath?: string;
  private listened = false;
  private lastPeer = '';

  constructor(
    id: string,
    private readonly target: ListenTarget,
    private readonly tlsCreds?: TlsCreds,
  ) {
    super(id);
    this.server.on('connection', (socket) => this.accept(socket));
    this.server.on('error', () => undefined);
  }

  get filename(): string {
    const address = this.server.address();
    const connected = this.streams.size > 0;
    if (typeof address === 'string') return `${connected ? '' : 'disconnected:'}unix:${address},server=on`;
    if (address === null) return `${connected ? '' : 'disconnected:'}${this.describeTarget()},server=on`;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    if (!connected) return `disconnected:tcp:${host}:${address.port},server=on`;
    return `tcp:${host}:${address.port},server=on <-> ${this.lastPeer}`;
  }

  async open(): Promise<void> {
    const t = this.target;
    if (t.kind === 'unix') removeStaleSocket(t.path);
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => reject(new ChardevError(`Failed to listen on ${this.describeTarget()}: ${e.message}`));
      this.server.once('error', onError);
      const listening = (): void => {
        this.server.off('error', onError);
        resolve();
      };
      if (t.kind === 'unix') this.server.listen(t.path, listening);
      else if (t.kind === 'inet') this.server.listen(t.port, t.host || undefined, listening);
      else this.server.listen({ fd: t.fd }, listening);
    });
    this.listened = true;
    // Absolute, so removal still works after a daemon leaves its working directory.
    if (t.kind === 'unix') this.createdPath = path.resolve(t.path);
  }

  protected release(): void {
    // Once listening, the server's handle owns an inherited descriptor and closes it.
    if (this.listened) this.server.close();
    else if (this.target.kind === 'fd') native().closeFd(this.target.fd);
    if (this.createdPath !== undefined) fs.rmSync(this.createdPath, { force: true });
  }

  private describeTarget(): string {
    const t = this.target;
    if (t.kind === 'unix') return `unix:${t.path}`;
    if (t.kind === 'inet') return `tcp:${t.host}:${t.port}`;
    return `fd:${t.fd}`;
  }

  private accept(socket: net.Socket): void {
    const peer = socket.remoteAddress !== undefined ? `${socket.remoteAddress}:${socket.remotePort}` : '';
    if (this.tlsCreds) {
      this.acceptTls(socket, peer, this.tlsCreds);
      return;
    }
    this.lastPeer = peer;
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (socket.remoteAddress === undefined && fd !== undefined && fd >= 0) {
      // A unix peer: read it through the addon so SCM_RIGHTS descriptors arrive.
      const own = native().dupFd(fd);
      socket.destroy();
      if (own >= 0) this.addStream(new FdStream(own, { peer, canReceiveFds: true }));
      return;
    }
    this.addStream(new NodeStream(socket, peer));
  }

  private acceptTls(socket: net.Socket, peer: string, creds: TlsCreds): void {
    const secure = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: creds.context,
      requestCert: creds.verifyPeer,
      rejectUnauthorized: creds.verifyPeer,
    });
    secure.on('error', () => secure.destroy());
    secure.once('secure', () => {
      this.lastPeer = peer;
      const stream: CharStream = new NodeStream(secure, peer);
      this.addStream(stream);
    });
    socket.resume();
  }
}

/** Removes a leftover socket file at `file` (as QEMU unlinks before bind); any other file stays and bind fails. */
function removeStaleSocket(file: string): void {
  try {
    if (fs.lstatSync(file).isSocket()) fs.unlinkSync(file);
  } catch {
    // Nothing there.
  }
}
