/**
 * The packet layer of the GDB remote serial protocol: `$payload#checksum` framing, `+`/`-`
 * acknowledgements, the 0x03 interrupt byte, and the `}` escape of binary data (gdb's
 * "Overview" and "Binary Data" sections of the Remote Protocol appendix).
 */

/** What arrives from gdb: a packet (payload as latin1 text, escapes still in), an interrupt, or a nak. */
export type Incoming = { kind: 'packet'; payload: string } | { kind: 'interrupt' } | { kind: 'nak' };

const ESCAPE = 0x7d;

/** Frames a reply; binary bytes in the payload are escaped. */
export function encodePacket(payload: string | Buffer): Buffer {
  const raw = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  const out: number[] = [0x24];
  let sum = 0;
  for (const byte of raw) {
    if (byte === 0x24 || byte === 0x23 || byte === 0x7d || byte === 0x2a) {
      out.push(ESCAPE, byte ^ 0x20);
      sum += ESCAPE + (byte ^ 0x20);
    } else {
      out.push(byte);
      sum += byte;
    }
  }
  out.push(0x23);
  return Buffer.concat([Buffer.from(out), Buffer.from((sum & 0xff).toString(16).padStart(2, '0'), 'latin1')]);
}

/** Undoes the `}` escape of binary data in a packet (X, vFile:pwrite). */
export function unescapeBinary(data: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === ESCAPE && i + 1 < data.length) out.push(data.charCodeAt(++i) ^ 0x20);
    else out.push(c);
  }
  return Buffer.from(out);
}

/** Splits the byte stream from gdb into packets; checksums are verified and bad packets nak'ed. */
export class PacketReader {
  private pending = '';

  feed(bytes: Buffer): Incoming[] {
    this.pending += bytes.toString('latin1');
    const out: Incoming[] = [];
    for (;;) {
      const start = this.pending.search(/[$\x03-]/);
      if (start < 0) {
        this.pending = '';
        return out;
      }
      const lead = this.pending[start]!;
      if (lead !== '$') {
        out.push(lead === '-' ? { kind: 'nak' } : { kind: 'interrupt' });
        this.pending = this.pending.slice(start + 1);
        continue;
      }
      const hash = this.pending.indexOf('#', start);
      if (hash < 0 || hash + 3 > this.pending.length) {
        this.pending = this.pending.slice(start);
        return out;
      }
      const payload = this.pending.slice(start + 1, hash);
      const sum = parseInt(this.pending.slice(hash + 1, hash + 3), 16);
      this.pending = this.pending.slice(hash + 3);
      out.push(checksum(payload) === sum ? { kind: 'packet', payload } : { kind: 'nak' });
    }
  }
}

function checksum(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) sum += payload.charCodeAt(i);
  return sum & 0xff;
}
