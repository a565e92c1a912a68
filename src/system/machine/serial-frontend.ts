/**
 * The frontend connecting a board's UART to its chardev: received bytes go to the UART, bytes the
 * UART transmits go out in batches (one write per burst, not per byte). QEMU's Ctrl-A escapes
 * belong to the multiplexed chardev -nographic puts it on (chardev/mux.ts), not to the UART.
 */
import type { CharFrontend } from '../chardev/chardev';
import type { CharStream, StreamHandlers } from '../chardev/stream';

/** A UART's receiver: takes what fits in its FIFO and says how many bytes it took. */
export interface SerialSink {
  receive(bytes: Uint8Array): number;
  /** A break condition on the line. */
  receiveBreak(): void;
}

export class SerialFrontend implements CharFrontend {
  private stream?: CharStream;
  private pending: number[] = [];
  /** Received bytes the UART had no room for yet (QEMU's chardevs wait for can_receive too). */
  private inbox: number[] = [];

  constructor(private readonly uart: SerialSink) {}

  open(stream: CharStream): StreamHandlers {
    this.stream = stream;
    return {
      data: (chunk) => this.deliver(chunk),
      // Ahead of the bytes still waiting for room, as QEMU's chardev events are.
      break: () => this.uart.receiveBreak(),
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
}
