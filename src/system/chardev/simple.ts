/**
 * The simple backends: stdio (the emulator's own stdin/stdout), file (output appended or
 * truncated, no input), null (discards output, never has input) and pty (a new pseudo-terminal
 * whose slave path is announced on stderr, as QEMU does).
 */
import fs from 'node:fs';
import { native } from '../../native';
import { hostSyscall } from '../../syscalls/linux/host';
import { ChardevError, Chardev } from './chardev';
import { hostErrorReason, openPathOrFdSet } from '../fd-sets';
import { FdStream } from './fd-stream';
import type { CharStream, StreamHandlers } from './stream';

const STDIN = 0;
const TCGETS = 0x5401;
const TCSETS = 0x5402;
/** struct termios as TCGETS fills it (x86_64): c_lflag at byte 12; ISIG is its bit 0. */
const TERMIOS_SIZE = 60;
const C_LFLAG = 12;
const ISIG = 1;

/** Turns the terminal's signal keys (C-c, C-z, C-\\) back on. */
function setTerminalSignals(fd: number): void {
  const termios = new Uint8Array(TERMIOS_SIZE);
  const address = native().bufferAddress(termios);
  if (hostSyscall('ioctl', fd, TCGETS, address) < 0) return;
  const view = new DataView(termios.buffer);
  view.setUint32(C_LFLAG, view.getUint32(C_LFLAG, true) | ISIG, true);
  hostSyscall('ioctl', fd, TCSETS, address);
}

/** A stream over two Node streams that this chardev does not own (process.stdin/stdout). */
class StdioStream implements CharStream {
  readonly canReceiveFds = false;
  readonly peer = '';

  start(handlers: StreamHandlers): void {
    process.stdin.on('data', (chunk: Buffer) => handlers.data(chunk, []));
    process.stdin.on('error', () => undefined);
    // A reader that went away (EPIPE) loses the output, as with QEMU; the emulator goes on.
    process.stdout.on('error', () => undefined);
    process.stdin.resume();
  }

  write(data: string | Buffer): void {
    process.stdout.write(data);
  }

  close(): Promise<void> {
    process.stdin.pause();
    return Promise.resolve();
  }
}

export class StdioChardev extends Chardev {
  readonly backend = 'stdio';
  readonly filename = 'stdio';

  constructor(
    id: string,
    private readonly signal: boolean,
  ) {
    super(id);
  }

  /** On a terminal, QEMU's settings: no echo, no line editing, C-c a signal only with `signal=on`. */
  open(): Promise<void> {
    if (process.stdin.isTTY) {
      // Node's raw mode is QEMU's but for ISIG; Node restores the terminal at exit.
      process.stdin.setRawMode(true);
      if (this.signal) setTerminalSignals(STDIN);
    }
    this.addStream(new StdioStream());
    return Promise.resolve();
  }

  protected release(): void {
    process.stdin.destroy();
  }
}

/** Output-only stream to an open file, written synchronously so nothing is lost at exit. */
class FileStream implements CharStream {
  readonly canReceiveFds = false;
  readonly peer = '';

  constructor(private readonly fd: number) {}

  start(): void {
    // A file has no input.
  }

  write(data: string | Buffer): void {
    if (typeof data === 'string') fs.writeSync(this.fd, data);
    else fs.writeSync(this.fd, data);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class FileChardev extends Chardev {
  readonly backend = 'file';
  private fd = -1;

  constructor(
    id: string,
    private readonly path: string,
    private readonly append: boolean,
  ) {
    super(id);
  }

  get filename(): string {
    return `file:${this.path}`;
  }

  open(): Promise<void> {
    try {
      const { O_WRONLY, O_CREAT, O_APPEND, O_TRUNC } = fs.constants;
      this.fd = openPathOrFdSet(this.path, O_WRONLY | O_CREAT | (this.append ? O_APPEND : O_TRUNC), 0o666);
    } catch (e) {
      throw new ChardevError(`Could not open '${this.path}': ${hostErrorReason(e)}`);
    }
    this.addStream(new FileStream(this.fd));
    return Promise.resolve();
  }

  protected release(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** Discards output; never produces input. */
class NullStream implements CharStream {
  readonly canReceiveFds = false;
  readonly peer = '';
  start(): void {
    // No input ever.
  }
  write(): void {
    // Discarded.
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class NullChardev extends Chardev {
  readonly backend = 'null';
  readonly filename = 'null';

  open(): Promise<void> {
    this.addStream(new NullStream());
    return Promise.resolve();
  }

  protected release(): void {
    // Nothing held.
  }
}

// How often to look again for a process opening the slave side of a pty.
const PTY_RETRY_MS = 1000;

export class PtyChardev extends Chardev {
  readonly backend = 'pty';
  private path = '';

  get filename(): string {
    return `pty:${this.path}`;
  }

  open(): Promise<void> {
    const pty = native().openPty();
    if (pty.fd < 0) throw new ChardevError(`Failed to create PTY: errno ${-pty.fd}`);
    this.path = pty.path;
    process.stderr.write(`char device redirected to ${pty.path} (label ${this.id})\n`);
    this.addStream(new FdStream(pty.fd, { peer: '', canReceiveFds: false, retryAfterHangupMs: PTY_RETRY_MS }));
    return Promise.resolve();
  }

  protected release(): void {
    // The stream owned and closed the master.
  }
}
