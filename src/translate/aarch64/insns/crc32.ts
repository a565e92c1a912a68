/**
 * A64 CRC32B/H/W/X and CRC32CB/H/W/X (ARM ARM C4.1.88, data processing 2 source), with the CRC
 * helpers of src/translate/crypto/crc32.ts.
 */
import { crc32 as emitCrc32 } from '../../crypto/crc32';
import type { A64Handler } from '../context';

/** sz selects 1, 2, 4 or 8 data bytes; the 8-byte form needs sf = 1, the others sf = 0. */
const crc32: A64Handler = (ctx, f) => {
  if ((f.sz === 3) !== (f.sf === 1)) return false;
  const b = ctx.b;
  const high = f.sz === 3 ? b.wrap(b.shrU(ctx.x(f.rm), b.i64(32n))) : undefined;
  ctx.setReg(f.rd, emitCrc32(b, f.c === 1, ctx.w(f.rn), 1 << f.sz, ctx.w(f.rm), high));
  return true;
};

export const CRC32_ROWS = [['sf:1 0 0 11010110 rm:5 010 c:1 sz:2 rn:5 rd:5', 'CRC32/CRC32C', crc32]] as const;
