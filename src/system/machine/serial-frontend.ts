/**
 * The frontend connecting a board's UART to its chardev: received bytes go to the UART, bytes the
 * UART transmits go out in batches (one write per burst, not per byte). On -nographic's stdio it
 * also takes QEMU's Ctrl-A escapes: `C-a x` ends the emulator, `C-a h` lists the escapes,
 * `C-a C-a` sends a Ctrl-A to the guest.
 */
import type { CharFrontend } from '../chardev/chardev';
import type { CharStream, StreamHandlers } from '../chardev/stream';

const CTRL_A = 0x01;
const ESCAPE_HELP = 'C-a h    print this help\n\rC-a x    exit emulator\n\rC-a C-a  sends C-a\n\r';

/** A UART's receiver: takes what fits in its FIFO and says how many bytes it took. */
export interface SerialSink {
  receive(bytes: Uint8Array): number;
}

export class SerialFrontend implements CharFrontend {
  private stream?: CharStream;
  private pending: number[] = [];
  /** Received bytes the UART had no room for yet (QEMU's chardevs wait for can_receive too). */
  private inbox: number[] = [];
  private escapePending = false;

  constructor(
    private readonly uart: SerialSink,
    private readonly escapes: boolean,
    /** `C-a x`: end the emulator. */
    private readonly onExit: () => void,
  ) {}

  open(stream: CharStream): StreamHandlers {
    this.stream = stream;
    if (this.escapes && process.stdin.isTTY) process.stdin.setRawMode(true);
    return {
      data: (chunk) => this.input(chunk),
      end: () => {
        if (this.stream === stream) this.stream = undefined;
      },
    };
  }

  /** A byte from the UART's transmitter. */
  transmit(byte: number): void {
    if (!this.stream) return;
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(byte);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.stream?.write(Buffer.from(this.pending));
    this.pending = [];
  }

  /** Offers queued input to the UART again (it calls this when its FIFO has room). */
  drain(): void {
    if (this.inbox.length === 0) return;
    const taken = this.uart.receive(Uint8Array.from(this.inbox));
    this.inbox.splice(0, taken);
  }

  private deliver(bytes: Iterable<number>): void {
    this.inbox.push(...bytes);
    this.drain();
  }

  private input(chunk: Buffer): void {
    if (!this.escapes) {
      this.deliver(chunk);
      return;
    }
    const forward: number[] = [];
    for (const byte of chunk) {
      if (!this.escapePending) {
        if (byte === CTRL_A) this.escapePending = true;
        else forward.push(byte);
        continue;
      }
      this.escapePending = false;
      if (byte === CTRL_A) forward.push(CTRL_A);
      else if (byte === 0x78 /* x */) {
        this.flush();
        this.stream?.write('QEMU: Terminated\n\r');
        this.onExit();
        return;
      } else if (byte === 0x68 /* h */) this.stream?.write(ESCAPE_HELP);
    }
    this.deliver(forward);
  }
}
