/**
 * The cylinders/heads/sectors a block device reports (virtio-blk's geometry field), guessed as
 * QEMU does (hw/block/hd-geometry.c facts): from an MS-DOS partition table's ending CHS if it
 * gives a consistent one with fewer than 16 heads, else 16 heads, 63 sectors and as many cylinders
 * as the size gives, between 2 and 16383.
 */
import { SECTOR } from './raw-image';

export interface Geometry {
  cylinders: number;
  heads: number;
  sectors: number;
}

const PARTITION_TABLE = 0x1be;
const MAX_CYLINDERS = 16383;

/** The logical geometry an MBR's partitions were made for, if one is there. */
function partitionTableGeometry(mbr: Uint8Array, totalSectors: number): Geometry | undefined {
  if (mbr.length < SECTOR || mbr[510] !== 0x55 || mbr[511] !== 0xaa) return undefined;
  const view = new DataView(mbr.buffer, mbr.byteOffset, SECTOR);
  for (let i = 0; i < 4; i++) {
    const p = PARTITION_TABLE + 16 * i;
    const endHead = mbr[p + 5]!;
    const sectors = mbr[p + 6]! & 63;
    if (view.getUint32(p + 12, true) === 0 || endHead === 0 || sectors === 0) continue;
    const heads = endHead + 1;
    const cylinders = Math.floor(totalSectors / (heads * sectors));
    if (cylinders < 1 || cylinders > MAX_CYLINDERS) continue;
    return { cylinders, heads, sectors };
  }
  return undefined;
}

export function guessGeometry(firstSector: Uint8Array, totalSectors: number): Geometry {
  const table = partitionTableGeometry(firstSector, totalSectors);
  if (table && table.heads <= 15) return table;
  const cylinders = Math.min(Math.max(Math.floor(totalSectors / (16 * 63)), 2), MAX_CYLINDERS);
  return { cylinders, heads: 16, sectors: 63 };
}
