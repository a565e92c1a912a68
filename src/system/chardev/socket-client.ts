/**
 * A connecting socket chardev (`server=off`): to a unix path or TCP host/port (optionally TLS,
 * verifying the server against the host name), or an already-connected descriptor. With
 * `reconnect=N` a lost or refused connection is retried every N seconds.
 */
import net from 'node:net';
import tls from 'node:tls';
import { ChardevError, Chardev } from './chardev';
import { NodeStream } from './node-stream';
import type { CharStream } from './stream';
import type { TlsCreds } from './tls-creds';

export type ConnectTarget = { kind: 'unix'; path: string } | { kind: 'inet'; host: string; port: number } | { kind: 'fd'; fd: number };

export class SocketClientChardev extends Chardev {
  readonly backend = 'socket';
  private retryTimer?: NodeJS.Timeout;
  private closing = false;
  private current?: net.Socket;

  constructor(
    id: string,
    private readonly target: ConnectTarget,
    private readonly reconnectSeconds: number,
    private readonly tlsCreds?: TlsCreds,
  ) {
    super(id);
  }

  get filename(): string {
    const t = this.target;
    const where = t.kind === 'unix' ? `unix:${t.path}` : t.kind === 'inet' ? `tcp:${t.host}:${t.port}` : `fd:${t.fd}`;
    const connected = this.streams.size > 0;
    if (!connected) return `disconnected:${where}`;
    const s = this.current;
    return t.kind === 'inet' && s ? `tcp:${s.localAddress}:${s.localPort} <-> ${s.remoteAddress}:${s.remotePort}` : where;
  }

  async open(): Promise<void> {
    try {
      await this.connectOnce();
    } catch (e) {
      if (this.reconnectSeconds === 0) throw e;
      this.scheduleReconnect();
    }
  }

  protected release(): void {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  protected override streamEnded(): void {
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectSeconds === 0) return;
    this.retryTimer = setTimeout(() => {
      this.connectOnce().catch(() => this.scheduleReconnect());
    }, this.reconnectSeconds * 1000);
  }

  private connectOnce(): Promise<void> {
    const t = this.target;
    if (t.kind === 'fd') {
      const socket = new net.Socket({ fd: t.fd, readable: true, writable: true });
      this.current = socket;
      this.addStream(new NodeStream(socket, ''));
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const socket = t.kind === 'unix' ? net.connect(t.path) : net.connect(t.port, t.host);
      socket.pause();
      const where = t.kind === 'unix' ? t.path : `${t.host}:${t.port}`;
      socket.once('error', (e) => reject(new ChardevError(`Failed to connect to '${where}': ${e.message}`)));
      socket.once('connect', () => {
        this.current = socket;
        if (!this.tlsCreds) {
          this.addStream(new NodeStream(socket, ''));
          resolve();
          return;
        }
        const secure = tls.connect({
          socket,
          servername: t.kind === 'inet' ? t.host : undefined,
          secureContext: this.tlsCreds.context,
          rejectUnauthorized: this.tlsCreds.verifyPeer,
        });
        secure.once('error', (e) => reject(new ChardevError(`TLS handshake with '${where}' failed: ${e.message}`)));
        secure.once('secureConnect', () => {
          const stream: CharStream = new NodeStream(secure, '');
          this.addStream(stream);
          resolve();
        });
      });
    });
  }
}
