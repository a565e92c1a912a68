/**
 * CRC32 and CRC32C (A64's CRC32B/H/W/X and CRC32CB/H/W/X, A32's and T32's CRC32B/H/W and
 * CRC32CB/H/W): one helper per polynomial, table-driven over the bytes of the data operand, least
 * significant byte first (the bit-reflected CRC the instructions define), on Numbers only.
 */
import type { Temp } from '../ir/block';
import type { IRBuilder } from '../ir/builder';
import { defineHelper, type HelperValue } from '../ir/helpers';

/** The 256-entry byte table of the reflected CRC with polynomial `poly` (bit-reversed form). */
function crcTable(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[i] = c;
  }
  return table;
}

/**
 * Helper id computing crc(acc, bytes, low, high) -> i32 with `poly`, all i32: the data is `low`
 * then (for 8 bytes) `high`, so the helper works on Numbers, not BigInt.
 */
function defineCrc(name: string, poly: number): number {
  const table = crcTable(poly);
  return defineHelper({
    name,
    params: ['i32', 'i32', 'i32', 'i32'],
    result: 'i32',
    impl: (_ctx, acc: HelperValue, bytes: HelperValue, low: HelperValue, high: HelperValue) => {
      let crc = acc as number;
      let rest = low as number;
      for (let i = 0; i < (bytes as number); i++) {
        if (i === 4) rest = high as number;
        crc = (crc >>> 8) ^ table[(crc ^ rest) & 0xff]!;
        rest >>>= 8;
      }
      return crc | 0;
    },
  });
}

/** Polynomials 0x04C11DB7 (CRC-32) and 0x1EDC6F41 (CRC-32C), bit-reversed. */
const HELPER_CRC32 = defineCrc('crc32', 0xedb88320);
const HELPER_CRC32C = defineCrc('crc32c', 0x82f63b78);

/**
 * The CRC (CRC-32C when `castagnoli`) of the low `bytes` bytes of the data from the accumulator
 * `acc` (i32): `low` (i32) holds the first four bytes, `high` (i32) the next four of an 8-byte form.
 */
export function crc32(b: IRBuilder, castagnoli: boolean, acc: Temp, bytes: number, low: Temp, high?: Temp): Temp {
  return b.call(castagnoli ? HELPER_CRC32C : HELPER_CRC32, [acc, b.i32(bytes), low, high ?? b.i32(0)])!;
}
