/**
 * One HMP (readline mode) client: a banner, then lines edited and echoed as QEMU's readline does
 * (readline.ts) and executed one at a time, each followed by the `(qemu) ` prompt that scripts wait
 * for. Output lines end in CRLF as QEMU's monitor writes them.
 *
 * On a multiplexed chardev (`-nographic`, `-serial mon:stdio`) the monitor shares the terminal with
 * a serial port and has it only while it holds the focus (`C-a c`). As QEMU's monitor does, it
 * holds its output back while out of focus (so its banner appears at the first switch to it),
 * prints a fresh prompt each time it gets the focus and a newline when it loses it.
 */
import { isUtf8 } from 'node:buffer';
import type { CharStream, StreamHandlers } from '../../chardev/stream';
import type { Emulator } from '../../emulator';
import { QEMU_COMPAT_VERSION } from '../../version';
import type { FdStore } from '../fd-store';
import type { CommandContext } from '../qmp/command';
import { ReceivedFds } from '../received-fds';
import { completeHmpLine, runHmpLine } from './commands';
import { LineEditor } from './readline';

export class HmpSession {
  private readonly received = new ReceivedFds();
  private readonly editor: LineEditor;
  /** Input not yet given to the editor: keys typed while a command runs wait for it. */
  private pending: number[] = [];
  private busy = false;
  private ended = false;
  private focused: boolean;
  private held: Buffer[] = [];
  private readonly context: CommandContext;

  constructor(
    private readonly stream: CharStream,
    emulator: Emulator,
    fds: FdStore,
  ) {
    this.focused = stream.focused ?? true;
    this.context = { emulator, fds, takeReceivedFd: () => this.received.take() };
    this.editor = new LineEditor((text) => this.write(text, 'latin1'), completeHmpLine);
    const v = QEMU_COMPAT_VERSION;
    this.write(`QEMU ${v.major}.${v.minor}.${v.micro} monitor - type 'help' for more information\n`);
    if (this.focused) this.editor.showPrompt();
  }

  get handlers(): StreamHandlers {
    return {
      data: (chunk, fds) => this.onData(chunk, fds),
      end: () => this.onEnd(),
      focus: (focused) => this.onFocus(focused),
    };
  }

  /** Sends `text` (`\n` as CRLF) now, or once the monitor has the focus. */
  private write(text: string, encoding: BufferEncoding = 'utf8'): void {
    if (this.ended || text === '') return;
    const bytes = Buffer.from(text.replace(/\r?\n/g, '\r\n'), encoding);
    if (this.focused) this.stream.write(bytes);
    else this.held.push(bytes);
  }

  private onFocus(focused: boolean): void {
    if (focused === this.focused) return;
    if (focused) {
      this.focused = true;
      this.editor.restart();
      for (const bytes of this.held.splice(0)) this.stream.write(bytes);
      if (!this.busy) this.editor.showPrompt();
    } else {
      this.write('\n');
      this.focused = false;
    }
  }

  private onData(chunk: Buffer, fds: number[]): void {
    this.received.add(fds);
    for (const byte of chunk) this.pending.push(byte);
    this.pump();
  }

  /** Feeds pending keys to the editor until a line is finished, then runs it and goes on after it. */
  private pump(): void {
    while (!this.busy && this.pending.length > 0) {
      const line = this.editor.key(this.pending.shift()!);
      if (line !== undefined) void this.runLine(line);
    }
    // Descriptors belong to the command whose bytes they came with: kept while one is half typed.
    if (!this.busy && this.pending.length === 0 && (this.editor.idle || this.ended)) this.received.closeAll();
  }

  /** Runs even after the peer left: a client may send `quit` and hang up at once. */
  private async runLine(line: string): Promise<void> {
    this.busy = true;
    try {
      // The editor works on bytes; a line that is valid UTF-8 is read (and answered) as UTF-8.
      const bytes = Buffer.from(line, 'latin1');
      const encoding = isUtf8(bytes) ? 'utf8' : 'latin1';
      this.write(await runHmpLine(this.context, bytes.toString(encoding)), encoding);
    } finally {
      this.busy = false;
    }
    if (this.focused) this.editor.showPrompt();
    this.pump();
  }

  /**
   * Keys received before the hang-up are still carried out, as QEMU's monitor does with the bytes
   * it has read: a client may send `quit` and leave at once. The hang-up can be reported in the
   * middle of those keys (echoing one to the gone peer fails), so they go on after this returns.
   */
  private onEnd(): void {
    this.ended = true;
    queueMicrotask(() => this.pump());
  }
}
