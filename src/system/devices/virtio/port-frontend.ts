/**
 * The chardev frontend of a virtio-serial port (virtconsole, virtserialport): the port's output
 * written to the chardev's stream, the stream's input handed to the port.
 */
import type { CharFrontend } from '../../chardev/chardev';
import type { CharStream, StreamHandlers } from '../../chardev/stream';
import type { PortHost } from './serial';

export class PortFrontend implements CharFrontend, PortHost {
  private stream?: CharStream;
  /** Set by the board to the port's input. */
  input: (bytes: Uint8Array) => void = () => undefined;

  open(stream: CharStream): StreamHandlers {
    this.stream = stream;
    return {
      data: (chunk) => this.input(chunk),
      end: () => {
        if (this.stream === stream) this.stream = undefined;
      },
    };
  }

  write(bytes: Uint8Array): void {
    this.stream?.write(Buffer.from(bytes));
  }
}
