/**
 * CRC32 and CRC32C (A64's CRC32B/H/W/X and CRC32CB/H/W/X, A32's and T32's CRC32B/H/W and
 * CRC32CB/H/W): one helper per polynomial, table-driven over the bytes of the data operand, least
 * significant byte first (the bit-reflected CRC the instructions define).
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

/** Helper id computing crc(acc: i32, bytes: i32, data: i64) -> i32 with `poly`. */
function defineCrc(name: string, poly: number): number {
  const table = crcTable(poly);
  return defineHelper({
    name,
    params: ['i32', 'i32', 'i64'],
    result: 'i32',
    impl: (_ctx, acc: HelperValue, bytes: HelperValue, data: HelperValue) => {
      let crc = Number(acc) >>> 0;
      let rest = BigInt(data);
      for (let i = 0; i < Number(bytes); i++) {
        crc = (crc >>> 8) ^ table[(crc ^ Number(rest & 0xffn)) & 0xff]!;
        rest >>= 8n;
      }
      return crc | 0;
    },
  });
}

/** Polynomials 0x04C11DB7 (CRC-32) and 0x1EDC6F41 (CRC-32C), bit-reversed. */
const HELPER_CRC32 = defineCrc('crc32', 0xedb88320);
const HELPER_CRC32C = defineCrc('crc32c', 0x82f63b78);

/** The CRC (CRC-32C when `castagnoli`) of the low `bytes` bytes of `data` (i64) from the accumulator `acc` (i32). */
export const crc32 = (b: IRBuilder, castagnoli: boolean, acc: Temp, bytes: number, data: Temp): Temp =>
  b.call(castagnoli ? HELPER_CRC32C : HELPER_CRC32, [acc, b.i32(bytes), data])!;
