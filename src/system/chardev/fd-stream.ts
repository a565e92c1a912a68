/**
 * A stream on a raw descriptor, read with recvmsg through the native addon so descriptors the
 * peer sends with SCM_RIGHTS are received (Node's own sockets read with read(2), and the kernel
 * then closes passed descriptors). Readiness comes from a uv_poll watch in Node's loop; output is
 * queued and written with non-blocking sends, waiting for writability when the socket is full.
 */
import { native } from '../../native';
import { CLOSE_FLUSH_TIMEOUT_MS, type CharStream, type StreamHandlers } from './stream';

const READABLE = 1;
const WRITABLE = 2;
const EAGAIN = 11;
const READ_SIZE = 65536;
// Reads per wakeup, so one busy peer cannot starve the rest of the loop.
const READS_PER_WAKEUP = 16;

export interface FdStreamOptions {
  peer: string;
  canReceiveFds: boolean;
  /** On end of input (a pty with no slave open) wait and poll again instead of closing. */
  retryAfterHangupMs?: number;
}

export class FdStream implements CharStream {
  readonly peer: string;
  readonly canReceiveFds: boolean;
  private watch = 0;
  private handlers?: StreamHandlers;
  private readonly queue: Buffer[] = [];
  private queueOffset = 0;
  private closing = false;
  private closed = false;
  private closeWaiters: (() => void)[] = [];
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly fd: number,
    private readonly options: FdStreamOptions,
  ) {
    this.peer = options.peer;
    this.canReceiveFds = options.canReceiveFds;
  }

  start(handlers: StreamHandlers): void {
    this.handlers = handlers;
    const id = native().watchFd(this.fd, this.wantedEvents(), (status, events) => this.onReady(status, events));
    if (id < 0) {
      this.destroy();
      return;
    }
    this.watch = id;
  }

  write(data: string | Buffer): void {
    if (this.closed || this.closing) return;
    this.queue.push(typeof data === 'string' ? Buffer.from(data) : data);
    if (this.queue.length === 1) this.flush();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    if (!this.closing) {
      this.closing = true;
      if (this.queue.length === 0) this.destroy();
      else setTimeout(() => this.destroy(), CLOSE_FLUSH_TIMEOUT_MS).unref();
    }
    return done;
  }

  private wantedEvents(): number {
    return (this.closing ? 0 : READABLE) | (this.queue.length > 0 ? WRITABLE : 0);
  }

  private updateWatch(): void {
    if (this.watch > 0) native().setWatchEvents(this.watch, this.wantedEvents());
  }

  private onReady(status: number, events: number): void {
    if (status < 0) {
      this.destroy();
      return;
    }
    if (events & WRITABLE) this.flush();
    if (events & READABLE) this.readAvailable();
  }

  private readAvailable(): void {
    for (let i = 0; i < READS_PER_WAKEUP && !this.closed && !this.closing; i++) {
      const r = native().recvWithFds(this.fd, READ_SIZE);
      if (r.error === EAGAIN) return;
      if (r.error !== 0 || r.data.length === 0) {
        for (const fd of r.fds) native().closeFd(fd);
        this.hangup();
        return;
      }
      this.handlers?.data(r.data, r.fds);
    }
  }

  private hangup(): void {
    const retry = this.options.retryAfterHangupMs;
    if (retry === undefined) {
      void this.close();
      return;
    }
    native().setWatchEvents(this.watch, 0);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.updateWatch();
    }, retry);
    this.retryTimer.unref();
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const n = native().sendBytes(this.fd, head, this.queueOffset);
      if (n === -EAGAIN) break;
      if (n < 0) {
        this.queue.length = 0;
        this.destroy();
        return;
      }
      this.queueOffset += n;
      if (this.queueOffset >= head.length) {
        this.queue.shift();
        this.queueOffset = 0;
      }
    }
    if (this.closing && this.queue.length === 0) {
      this.destroy();
      return;
    }
    this.updateWatch();
  }

  private destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watch > 0) native().unwatchFd(this.watch);
    this.watch = 0;
    native().closeFd(this.fd);
    this.handlers?.end();
    for (const resolve of this.closeWaiters.splice(0)) resolve();
  }
}
