/**
 * The random bytes tsemu itself hands the guest (AT_RANDOM). With -seed they are the same in every
 * run, and the same as qemu-user's with that seed: QEMU draws them from GLib's GRand (MT19937
 * seeded with init_by_array over the seed's two 32-bit halves, low half first), four bytes per
 * 32-bit draw in the host's (little-endian) byte order.
 */
import crypto from 'node:crypto';

const N = 624;
const M = 397;

/** MT19937 as GLib's g_rand_new_with_seed_array and g_rand_int compute it. */
class Mersenne {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: readonly number[]) {
    const mt = this.mt;
    mt[0] = 19650218;
    for (let i = 1; i < N; i++) mt[i] = Math.imul(1812433253, mt[i - 1]! ^ (mt[i - 1]! >>> 30)) + i;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, seed.length); k > 0; k--) {
      mt[i] = (mt[i]! ^ Math.imul(mt[i - 1]! ^ (mt[i - 1]! >>> 30), 1664525)) + seed[j]! + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= seed.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = (mt[i]! ^ Math.imul(mt[i - 1]! ^ (mt[i - 1]! >>> 30), 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  next(): number {
    const mt = this.mt;
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
        mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** A source of `n` random bytes at a time: the host's when `seed` is absent, else -seed's sequence. */
export function guestRandomSource(seed: bigint | undefined): (n: number) => Uint8Array {
  if (seed === undefined) return (n) => crypto.randomBytes(n);
  const generator = new Mersenne([Number(seed & 0xffffffffn), Number(seed >> 32n)]);
  return (n) => {
    const words = new DataView(new ArrayBuffer(Math.ceil(n / 4) * 4));
    for (let at = 0; at < words.byteLength; at += 4) words.setUint32(at, generator.next(), true);
    return new Uint8Array(words.buffer, 0, n);
  };
}

/** -seed's number as QEMU reads it (strtoull with base 0, the whole string, no sign); undefined when it is not one. */
export function parseSeed(text: string): bigint | undefined {
  const digits = text.trimStart();
  if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(digits)) return undefined;
  const value = /^0[0-7]+$/.test(digits) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  return value < 1n << 64n ? value : undefined;
}
