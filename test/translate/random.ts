/**
 * Test support: a small seeded pseudo-random generator (mulberry32), so every differential run is
 * reproducible from its seed, and the "interesting" values random machine states are drawn from.
 */

export class Random {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, n) for n <= 2^32. */
  below(n: number): number {
    return n >= 2 ** 32 ? this.u32() : Math.floor((this.u32() / 2 ** 32) * n);
  }

  pick<T>(values: readonly T[]): T {
    return values[this.below(values.length)]!;
  }

  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

/** A seed from a name, so each instruction class has its own stable stream. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

const bitsOf64 = (x: number): bigint => {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x, true);
  return v.getBigUint64(0, true);
};
const bitsOf32 = (x: number): bigint => {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x, true);
  return BigInt(v.getUint32(0, true));
};

/** Integer edge values: zero, ones, sign boundaries of 8..64 bits. */
export const EDGE_INTS: readonly bigint[] = [
  0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn,
  0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffffen,
];

const FLOATS = [0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.1, 3, 255.75, 65504, 1e10, -3e9, 2 ** 31, -(2 ** 63), 2 ** 64,
  1e300, -1e-300, Infinity, -Infinity, NaN];

/** Float edge patterns: f64 values, pairs of f32 values, half-precision and NaN payloads. */
export function edgeFloat64(rng: Random): bigint {
  switch (rng.below(4)) {
    case 0:
      return bitsOf64(rng.pick(FLOATS));
    case 1:
      return (bitsOf32(rng.pick(FLOATS)) << 32n) | bitsOf32(rng.pick(FLOATS));
    case 2:
      // Signalling NaNs, denormals and the smallest normals of both widths.
      return rng.pick([0x7ff0000000000001n, 0xfff4000000000000n, 0x7f800001ff800001n, 0x0000000000000001n,
        0x8000000000000001n, 0x0010000000000000n, 0x0000000100800000n, 0x7c017e00fc00bc00n]);
    default:
      return bitsOf64(rng.pick(FLOATS) * (1 + rng.below(1000) / 997));
  }
}
