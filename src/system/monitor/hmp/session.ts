/**
 * One HMP (readline mode) client: a banner, then lines executed one at a time, each followed by
 * the `(qemu) ` prompt that scripts wait for. Input is not echoed (there is no terminal to echo
 * to on a socket). Output lines end in CRLF as QEMU's monitor writes them.
 */
import { StringDecoder } from 'node:string_decoder';
import type { CharStream, StreamHandlers } from '../../chardev/stream';
import type { Emulator } from '../../emulator';
import { QEMU_COMPAT_VERSION } from '../../version';
import type { FdStore } from '../fd-store';
import type { CommandContext } from '../qmp/command';
import { ReceivedFds } from '../received-fds';
import { runHmpLine } from './commands';

const PROMPT = '(qemu) ';
// A longer line is dropped with an error rather than buffered without bound.
const MAX_LINE_CHARS = 1024 * 1024;

export class HmpSession {
  private readonly decoder = new StringDecoder('utf8');
  private readonly received = new ReceivedFds();
  private partial = '';
  private overlong = false;
  private queue: Promise<void> = Promise.resolve();
  private ended = false;
  private readonly context: CommandContext;

  constructor(
    private readonly stream: CharStream,
    emulator: Emulator,
    fds: FdStore,
  ) {
    this.context = { emulator, fds, takeReceivedFd: () => this.received.take() };
    const v = QEMU_COMPAT_VERSION;
    this.write(`QEMU ${v.major}.${v.minor}.${v.micro} monitor - type 'help' for more information\n${PROMPT}`);
  }

  get handlers(): StreamHandlers {
    return { data: (chunk, fds) => this.onData(chunk, fds), end: () => this.onEnd() };
  }

  private write(text: string): void {
    if (!this.ended && text !== '') this.stream.write(text.replace(/\r?\n/g, '\r\n'));
  }

  private enqueue(step: () => void | Promise<void>): void {
    this.queue = this.queue.then(step).catch(() => undefined);
  }

  private onData(chunk: Buffer, fds: number[]): void {
    this.received.add(fds);
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      const tooLong = this.overlong || line.length > MAX_LINE_CHARS;
      this.overlong = false;
      this.enqueue(() => this.runLine(tooLong ? undefined : line.replace(/\r$/, '')));
    }
    if (this.partial.length > MAX_LINE_CHARS) {
      this.partial = '';
      this.overlong = true;
    }
    if (this.partial === '' && !this.overlong) this.enqueue(() => this.received.closeAll());
  }

  /** Runs even after the peer left: a client may send `quit` and hang up at once. */
  private async runLine(line: string | undefined): Promise<void> {
    const output = line === undefined ? `Error: line too long (limit ${MAX_LINE_CHARS} characters)\n` : await runHmpLine(this.context, line);
    this.write(output + PROMPT);
  }

  private onEnd(): void {
    this.ended = true;
    this.enqueue(() => this.received.closeAll());
  }
}
