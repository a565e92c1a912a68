/**
 * A stream over a Node socket (TCP, TLS, or a client connection): used where descriptors cannot
 * be passed anyway, so Node's own buffering and TLS apply.
 */
import type { Duplex } from 'node:stream';
import { CLOSE_FLUSH_TIMEOUT_MS, type CharStream, type StreamHandlers } from './stream';

export class NodeStream implements CharStream {
  readonly canReceiveFds = false;
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    readonly peer: string,
  ) {
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  start(handlers: StreamHandlers): void {
    this.socket.on('data', (chunk: Buffer) => handlers.data(chunk, []));
    this.socket.on('close', () => handlers.end());
    if (this.closed) handlers.end();
    this.socket.resume();
  }

  write(data: string | Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(data);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), CLOSE_FLUSH_TIMEOUT_MS).unref();
    });
  }
}
