/**
 * A64 CRC32B/H/W/X and CRC32CB/H/W/X (ARM ARM C4.1.88, data processing 2 source): one helper per
 * polynomial, table-driven over the bytes of the data operand, least significant byte first
 * (the bit-reflected CRC the instructions define).
 */
import { defineHelper, type HelperValue } from '../../ir/helpers';
import type { A64Handler } from '../context';

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

/** Helper id computing crc(acc: i32, data: i64, bytes: i32) -> i32 with `poly`. */
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
const HELPER_CRC32 = defineCrc('a64_crc32', 0xedb88320);
const HELPER_CRC32C = defineCrc('a64_crc32c', 0x82f63b78);

/** sz selects 1, 2, 4 or 8 data bytes; the 8-byte form needs sf = 1, the others sf = 0. */
const crc32: A64Handler = (ctx, f) => {
  if ((f.sz === 3) !== (f.sf === 1)) return false;
  const b = ctx.b;
  const data = f.sz === 3 ? ctx.x(f.rm) : b.zext(ctx.w(f.rm));
  const result = b.call(f.c ? HELPER_CRC32C : HELPER_CRC32, [ctx.w(f.rn), b.i32(1 << f.sz), data]);
  ctx.setReg(f.rd, result!);
  return true;
};

export const CRC32_ROWS = [['sf:1 0 0 11010110 rm:5 010 c:1 sz:2 rn:5 rd:5', 'CRC32/CRC32C', crc32]] as const;
