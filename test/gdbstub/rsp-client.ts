/**
 * A bare GDB remote protocol client for what gdb's batch mode cannot do without a terminal
 * (sending the Ctrl-C byte): frames packets, acknowledges replies, collects them in order.
 */
import net from 'node:net';

export class RspClient {
  private buffer = '';
  private readonly waiters: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(port: number): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RspClient(socket)));
      socket.on('error', reject);
    });
  }

  send(payload: string): void {
    let sum = 0;
    for (const c of Buffer.from(payload, 'latin1')) sum += c;
    this.socket.write(`$${payload}#${(sum & 0xff).toString(16).padStart(2, '0')}`);
  }

  interrupt(): void {
    this.socket.write('\x03');
  }

  /** The next reply packet's payload (acks skipped), or undefined after timeoutMs. */
  async reply(timeoutMs = 10_000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /\$([^#]*)#[0-9a-f]{2}/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m.index + m[0].length);
        this.socket.write('+');
        return m[1];
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async request(payload: string): Promise<string | undefined> {
    this.send(payload);
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * Continues the guest and interrupts it (Ctrl-C) after a moment, again until `reached` says it
 * stopped where the test wants it (a loaded machine may take seconds to get there); returns the
 * last stop reply (undefined if the guest did not stop).
 */
export async function interruptWhen(
  client: RspClient,
  reached: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    client.send('vCont;c');
    await new Promise((r) => setTimeout(r, 1500));
    client.interrupt();
    const stop = await client.reply();
    if (stop === undefined || Date.now() > deadline || (await reached())) return stop;
  }
}
