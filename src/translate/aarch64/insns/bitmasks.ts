/**
 * The A64 logical-immediate encoding (ARM ARM DecodeBitMasks): N:immr:imms names a rotated run of
 * ones replicated across the register in elements of 2, 4, ..., 64 bits.
 */
import { ones } from './alu';

/**
 * The immediate of a logical (immediate) instruction of `datasize` bits (32 or 64), or undefined
 * when the encoding is reserved (all-ones element, or N = 1 for a 32-bit operation).
 */
export function logicalImmediate(n: number, immr: number, imms: number, datasize: 32 | 64): bigint | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  const esize = 1 << len;
  if (len < 1 || esize > datasize) return undefined;
  const levels = esize - 1;
  const s = imms & levels;
  if (s === levels) return undefined;
  const r = immr & levels;
  const welem = ones(s + 1);
  const mask = ones(esize);
  const rotated = ((welem >> BigInt(r)) | (welem << BigInt(esize - r))) & mask;
  let value = 0n;
  for (let at = 0; at < datasize; at += esize) value |= rotated << BigInt(at);
  return value;
}
