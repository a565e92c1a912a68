/**
 * What a pflash_cfi01 bank answers in its query modes, as QEMU's model computes it: the CFI table
 * (JEDEC JESD68 / Intel's command set 0001 layout) of one of the bank's devices, and the
 * manufacturer and device IDs. A bank of `bankWidth` bytes is made of bankWidth / deviceWidth
 * devices side by side; query addresses count in bank-wide words, and each device's answer is
 * repeated across the bank's width.
 */

export interface PflashGeometry {
  /** The bank's size in bytes. */
  size: number;
  /** Bytes erased by one block erase (the bank's, across all its devices). */
  sectorLength: number;
  /** Bytes the bank reads and writes at once, and each device's share of them. */
  bankWidth: number;
  deviceWidth: number;
  /** Manufacturer and device IDs (QEMU's id0, id1). */
  ids: readonly [number, number];
}

const CFI_TABLE_SIZE = 0x52;

export function devicesOf(g: PflashGeometry): number {
  return g.bankWidth / g.deviceWidth;
}

/** Bytes a buffered program (0xe8) may write at once, across the bank. */
export function writeBlockSize(g: PflashGeometry): number {
  return 2 ** (g.bankWidth === 1 ? 8 : 11) * devicesOf(g);
}

export function cfiTable(g: PflashGeometry): Uint8Array {
  const t = new Uint8Array(CFI_TABLE_SIZE);
  const blocks = g.size / g.sectorLength;
  const sectorPerDevice = g.sectorLength / devicesOf(g);
  const deviceSize = sectorPerDevice * blocks;
  t.set([0x51, 0x52, 0x59], 0x10); // "QRY"
  t.set([0x01, 0x00], 0x13); // primary command set: Intel
  t.set([0x31, 0x00], 0x15); // primary extended table at 0x31
  t[0x1b] = 0x45; // Vcc min, max
  t[0x1c] = 0x55;
  t[0x1f] = 0x07; // typical timeouts: word program, buffer write, block erase, chip erase
  t[0x20] = 0x07;
  t[0x21] = 0x0a;
  t[0x22] = 0x00;
  t[0x23] = 0x04; // maximum timeouts, the same four
  t[0x24] = 0x04;
  t[0x25] = 0x04;
  t[0x26] = 0x00;
  t[0x27] = Math.log2(deviceSize);
  t.set([0x02, 0x00], 0x28); // interface: x8/x16
  t.set([g.bankWidth === 1 ? 0x08 : 0x0b, 0x00], 0x2a); // log2 of the write buffer
  t[0x2c] = 0x01; // one erase block region
  t[0x2d] = (blocks - 1) & 0xff;
  t[0x2e] = (blocks - 1) >> 8;
  t[0x2f] = (sectorPerDevice >> 8) & 0xff;
  t[0x30] = sectorPerDevice >> 16;
  t.set([0x50, 0x52, 0x49, 0x31, 0x30], 0x31); // "PRI1.0"
  t[0x3f] = 0x01; // protection fields
  return t;
}

/** A device's answer repeated across the bank (the low 32 bits, as QEMU composes it). */
function perBank(g: PflashGeometry, answer: number): number {
  let value = answer;
  for (let i = g.deviceWidth; i < g.bankWidth && i < 4; i += g.deviceWidth)
    value = (value | (answer << (8 * i))) >>> 0;
  return value;
}

/** The word index a query address names (addresses count in bank-wide words). */
const wordIndex = (g: PflashGeometry, offset: number): number => Math.floor(offset / g.bankWidth);

/** A CFI query read at `offset` (0x98 mode). */
export function cfiQuery(g: PflashGeometry, table: Uint8Array, offset: number): number {
  const index = wordIndex(g, offset);
  return index < table.length ? perBank(g, table[index]!) : 0;
}

/** A read-ID read at `offset` (0x90 mode): word 0 the manufacturer, word 1 the device, others 0. */
export function idQuery(g: PflashGeometry, offset: number): number {
  const index = wordIndex(g, offset) & 0xff;
  return index < 2 ? perBank(g, g.ids[index]!) : 0;
}
