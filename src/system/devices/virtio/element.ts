/**
 * One request popped from a virtqueue: the guest buffers of its descriptor chain, the ones the
 * device reads (driver to device) before the ones it writes, with scatter/gather access as if each
 * side were one contiguous byte range.
 */
import type { GuestRam } from './guest-ram';

export interface Segment {
  addr: bigint;
  length: number;
}

const total = (segments: readonly Segment[]): number => segments.reduce((n, s) => n + s.length, 0);

export class VirtqElement {
  constructor(
    private readonly ram: GuestRam,
    /** The chain's head descriptor index (what the used ring reports back). */
    readonly head: number,
    readonly readable: readonly Segment[],
    readonly writable: readonly Segment[],
  ) {}

  get readableSize(): number {
    return total(this.readable);
  }

  get writableSize(): number {
    return total(this.writable);
  }

  /** Bytes [offset, offset + length) of the readable side (fewer if it is shorter). */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(length, this.readableSize - offset)));
    let at = 0;
    let skip = offset;
    for (const s of this.readable) {
      if (at >= out.length) break;
      if (skip >= s.length) {
        skip -= s.length;
        continue;
      }
      const n = Math.min(s.length - skip, out.length - at);
      out.set(this.ram.bytes(s.addr + BigInt(skip), n)!, at);
      at += n;
      skip = 0;
    }
    return out;
  }

  /** Writes `data` into the writable side from `offset` on (cut at its end); returns bytes written. */
  write(offset: number, data: Uint8Array): number {
    let at = 0;
    let skip = offset;
    for (const s of this.writable) {
      if (at >= data.length) break;
      if (skip >= s.length) {
        skip -= s.length;
        continue;
      }
      const n = Math.min(s.length - skip, data.length - at);
      this.ram.write(s.addr + BigInt(skip), data.subarray(at, at + n));
      at += n;
      skip = 0;
    }
    return at;
  }
}
