/**
 * The protocol server driven by blocking reads, for user mode: guest code runs synchronously, so
 * while the process is stopped tsemu waits on gdb's socket, and while it runs it polls the socket
 * for Ctrl-C without blocking.
 */
import type { DebugTarget, Exit, ResumeAction, Stop } from './debug-target';
import type { HostConnection } from './host-socket';
import type { Incoming } from './packet';
import { GdbServer } from './server';

export class BlockingGdbServer {
  private readonly server: GdbServer;
  private readonly queue: Incoming[] = [];

  constructor(
    private readonly conn: HostConnection,
    target: DebugTarget,
  ) {
    this.server = new GdbServer(conn, target);
  }

  /**
   * Reports a stop (unless it is the initial one, which gdb asks about with `?`) and serves gdb
   * until it resumes; a closed connection is a detach.
   */
  serve(stop: Stop, report: boolean): ResumeAction {
    this.server.stopped(stop, report);
    for (;;) {
      const incoming = this.next();
      if (incoming === undefined) return { kind: 'detach' };
      const action = this.server.accept(incoming);
      if (action) return action;
    }
  }

  /** Checks, without blocking, whether gdb sent the interrupt byte (Ctrl-C) while the target runs. */
  pollInterrupt(): boolean {
    while (this.conn.readable()) {
      const bytes = this.conn.read();
      if (bytes.length === 0) return false;
      this.queue.push(...this.server.feed(bytes));
    }
    const at = this.queue.findIndex((i) => i.kind === 'interrupt');
    if (at < 0) return false;
    this.queue.splice(at, 1);
    return true;
  }

  reportExit(exit: Exit): void {
    this.server.reportExit(exit);
  }

  close(): void {
    this.conn.close();
  }

  private next(): Incoming | undefined {
    while (this.queue.length === 0) {
      const bytes = this.conn.read();
      if (bytes.length === 0) return undefined;
      this.queue.push(...this.server.feed(bytes));
    }
    return this.queue.shift();
  }
}
