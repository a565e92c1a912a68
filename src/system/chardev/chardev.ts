/**
 * A chardev: a named backend that produces streams, and the one frontend they are handed to.
 * Streams that arrive before a frontend is attached (or on a chardev that never gets one, as after
 * a bare chardev-add) are held unread, as QEMU holds an accepted client with no frontend.
 */
import type { CharStream, StreamHandlers } from './stream';

/** The user of a chardev's streams (a monitor, a UART). */
export interface CharFrontend {
  /** A stream to a new peer: returns what to do with its input. */
  open(stream: CharStream): StreamHandlers;
}

/** Error with QEMU's wording, raised by chardev operations. */
export class ChardevError extends Error {}

export abstract class Chardev {
  private frontend?: CharFrontend;
  private readonly held: CharStream[] = [];
  protected readonly streams = new Set<CharStream>();
  private readonly connectWaiters: (() => void)[] = [];

  constructor(readonly id: string) {}

  /** The backend's address as query-chardev reports it. */
  abstract get filename(): string;

  /** The backend's QAPI name (socket, stdio, file, null, pty, mux): its QOM type is `chardev-` + this. */
  abstract readonly backend: string;

  /** Starts the backend (listen, connect, open files). Errors are ChardevError/OptsError. */
  abstract open(): Promise<void>;

  /** Stops the backend; called after its streams are closed. */
  protected abstract release(): void;

  get frontendOpen(): boolean {
    return this.frontend !== undefined;
  }

  attachFrontend(frontend: CharFrontend): void {
    if (this.frontend) throw new ChardevError(`Chardev '${this.id}' is busy`);
    this.frontend = frontend;
    for (const stream of this.held.splice(0)) this.connect(stream, frontend);
  }

  /** Resolves when a peer is connected (for `wait=on` servers). */
  waitForPeer(): Promise<void> {
    if (this.streams.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.connectWaiters.push(resolve));
  }

  /** Closes every stream (flushing output), then the backend. */
  async close(): Promise<void> {
    const streams = [...this.streams];
    this.held.length = 0;
    await Promise.all(streams.map((s) => s.close()));
    this.release();
  }

  protected addStream(stream: CharStream): void {
    this.streams.add(stream);
    for (const resolve of this.connectWaiters.splice(0)) resolve();
    if (this.frontend) this.connect(stream, this.frontend);
    else this.held.push(stream);
  }

  /** Called when a stream ends, after the frontend heard of it. */
  protected streamEnded(stream: CharStream): void {
    void stream;
  }

  private connect(stream: CharStream, frontend: CharFrontend): void {
    const handlers = frontend.open(stream);
    stream.start({
      data: (chunk, fds) => handlers.data(chunk, fds),
      end: () => {
        this.streams.delete(stream);
        handlers.end();
        this.streamEnded(stream);
      },
    });
  }
}
