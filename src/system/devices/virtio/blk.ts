/**
 * virtio-blk (virtio 1.2 spec, 5.2; `-device virtio-blk-device,drive=ID`): one request queue over
 * a raw image. Requests: read, write, flush, get ID (the `serial` property), discard (ignored, as
 * QEMU's default discard=ignore does) and write zeroes; anything else is answered UNSUPP. The
 * features and configuration space are QEMU 7.2's, so a driver sees the same device on both.
 */
import type { AccountKind, BlockStats } from '../../block/stats';
import { bit, VIRTIO_F, VirtioError, type VirtioDevice } from './device';
import { guessGeometry } from './disk-geometry';
import type { VirtqElement } from './element';
import { SECTOR, type RawImage } from './raw-image';
import type { Virtqueue } from './virtqueue';

const F = {
  segMax: 2n,
  geometry: 4n,
  readOnly: 5n,
  blkSize: 6n,
  scsi: 7n,
  flush: 9n,
  topology: 10n,
  configWce: 11n,
  discard: 13n,
  writeZeroes: 14n,
};

const T_IN = 0;
const T_OUT = 1;
const T_FLUSH = 4;
const T_GET_ID = 8;
const T_DISCARD = 11;
const T_WRITE_ZEROES = 13;
const T_BARRIER = 0x80000000;
const WRITE_ZEROES_F_UNMAP = 1;

const S_OK = 0;
const S_IOERR = 1;
const S_UNSUPP = 2;

const HEADER_SIZE = 16;
const ID_BYTES = 20;
/** Segments per request (seg_max): the queue size less the header and status descriptors. */
const SEG_MAX = 254;
/** Sectors one discard or write-zeroes segment may cover, and segments per request (QEMU's). */
const MAX_DISCARD_SECTORS = 0x3fffff;
const MAX_DWZ_SEGMENTS = 1;
const DWZ_SEGMENT_SIZE = 16;
/** The configuration up to write_zeroes_may_unmap, the last field QEMU 7.2 fills. */
const CONFIG_SIZE = 57;
const CONFIG_WRITEBACK = 32;

export interface VirtioBlkOptions {
  serial?: string;
  /** Where the requests are accounted (query-blockstats). */
  stats: BlockStats;
}

export class VirtioBlk implements VirtioDevice {
  readonly name = 'virtio-blk-device';
  readonly deviceId = 2;
  readonly queueCount = 1;
  readonly queueSize = 256;
  private readonly capacity: number;
  private readonly configSpace = new Uint8Array(CONFIG_SIZE);

  constructor(
    private readonly image: RawImage,
    private readonly options: VirtioBlkOptions,
  ) {
    this.capacity = Math.floor(image.size / SECTOR);
    const first = new Uint8Array(SECTOR);
    if (this.capacity > 0) image.read(0, first);
    const geometry = guessGeometry(first, this.capacity);
    const view = new DataView(this.configSpace.buffer);
    view.setBigUint64(0, BigInt(this.capacity), true);
    view.setUint32(12, SEG_MAX, true);
    view.setUint16(16, geometry.cylinders, true);
    view.setUint8(18, geometry.heads);
    view.setUint8(19, geometry.sectors);
    view.setUint32(20, SECTOR, true);
    view.setUint16(34, this.queueCount, true);
    view.setUint32(36, MAX_DISCARD_SECTORS, true);
    view.setUint32(40, MAX_DWZ_SEGMENTS, true);
    view.setUint32(44, 1, true); // discard_sector_alignment, in sectors
    view.setUint32(48, MAX_DISCARD_SECTORS, true);
    view.setUint32(52, MAX_DWZ_SEGMENTS, true);
    this.reset();
  }

  features(common: bigint, legacy: boolean): bigint {
    let f = common;
    const always = [F.segMax, F.geometry, F.blkSize, F.flush, F.topology, F.configWce, F.discard, F.writeZeroes];
    for (const b of always) f |= bit(b);
    if (this.image.readOnly) f |= bit(F.readOnly);
    // Legacy drivers get the SCSI passthrough bit QEMU offers them, and must keep the header apart.
    if (legacy) f = (f | bit(F.scsi)) & ~bit(VIRTIO_F.anyLayout);
    return f;
  }

  config(): Uint8Array {
    return this.configSpace;
  }

  writeConfig(offset: number, bytes: Uint8Array): void {
    if (offset === CONFIG_WRITEBACK && bytes.length === 1)
      this.configSpace[CONFIG_WRITEBACK] = bytes[0]! ? 1 : 0;
  }

  reset(): void {
    this.configSpace[CONFIG_WRITEBACK] = 1;
  }

  notify(queue: Virtqueue): void {
    for (let element = queue.pop(); element; element = queue.pop()) {
      if (element.writableSize < 1 || element.readableSize < HEADER_SIZE)
        throw new VirtioError('virtio-blk missing headers');
      const status = this.execute(element);
      const length = element.writableSize;
      element.write(length - 1, Uint8Array.of(status));
      queue.push(element, length);
    }
  }

  /** Carries out one request; returns its status. */
  private execute(element: VirtqElement): number {
    const header = new DataView(element.read(0, HEADER_SIZE).buffer);
    const type = header.getUint32(0, true);
    const sector = header.getBigUint64(8, true);
    switch ((type & ~(T_OUT | T_BARRIER)) >>> 0) {
      case T_IN:
        return type & T_OUT ? this.write(element, sector) : this.read(element, sector);
      case T_FLUSH:
        this.options.stats.account('flush', 0, () => {
          this.image.flush();
          return true;
        });
        return S_OK;
      case T_GET_ID: {
        const serial = Buffer.from(`${this.options.serial ?? ''}\0`, 'latin1');
        element.write(0, serial.subarray(0, Math.min(serial.length, element.writableSize - 1, ID_BYTES)));
        return S_OK;
      }
      // Both are defined with the OUT bit set, which the switch masks.
      case T_DISCARD & ~T_OUT:
      case T_WRITE_ZEROES & ~T_OUT:
        return this.discardOrWriteZeroes(element, ((type & ~T_BARRIER) >>> 0) === T_WRITE_ZEROES);
      default:
        return S_UNSUPP;
    }
  }

  /** Whether `bytes` from `sector` on is whole sectors inside the disk. */
  private inRange(sector: bigint, bytes: number): boolean {
    return bytes % SECTOR === 0 && sector + BigInt(bytes / SECTOR) <= BigInt(this.capacity);
  }

  private read(element: VirtqElement, sector: bigint): number {
    const length = element.writableSize - 1;
    if (!this.inRange(sector, length)) return this.refuse('rd');
    this.options.stats.account('rd', length, () => {
      const data = new Uint8Array(length);
      this.image.read(Number(sector) * SECTOR, data);
      element.write(0, data);
      return true;
    });
    return S_OK;
  }

  private write(element: VirtqElement, sector: bigint): number {
    const length = element.readableSize - HEADER_SIZE;
    if (!this.inRange(sector, length)) return this.refuse('wr');
    return this.writeStatus('wr', length, () => this.image.write(Number(sector) * SECTOR, element.read(HEADER_SIZE, length)));
  }

  /** A request out of range: QEMU accounts it as invalid. */
  private refuse(kind: AccountKind): number {
    this.options.stats.invalid(kind);
    return S_IOERR;
  }

  /** A write of `bytes` (of data, zeros, or a discard), failed on a read-only disk. */
  private writeStatus(kind: AccountKind, bytes: number, write: () => void): number {
    const ok = this.options.stats.account(kind, bytes, () => {
      if (this.image.readOnly) return false;
      write();
      return true;
    });
    return ok ? S_OK : S_IOERR;
  }

  private discardOrWriteZeroes(element: VirtqElement, writeZeroes: boolean): number {
    const payload = element.read(HEADER_SIZE, element.readableSize - HEADER_SIZE);
    if (payload.length < DWZ_SEGMENT_SIZE)
      throw new VirtioError('virtio-blk discard/write_zeroes header too short');
    if (payload.length > DWZ_SEGMENT_SIZE * MAX_DWZ_SEGMENTS) return S_UNSUPP;
    const segment = new DataView(payload.buffer);
    const sector = segment.getBigUint64(0, true);
    const count = segment.getUint32(8, true);
    const flags = segment.getUint32(12, true);
    if (flags & ~(writeZeroes ? WRITE_ZEROES_F_UNMAP : 0)) return S_UNSUPP;
    const bytes = count * SECTOR;
    // QEMU accounts a refused write-zeroes as an invalid write, and a refused discard not at all.
    if (count > MAX_DISCARD_SECTORS || !this.inRange(sector, bytes)) return writeZeroes ? this.refuse('wr') : S_IOERR;
    return this.writeStatus(writeZeroes ? 'wr' : 'unmap', bytes, () => {
      if (writeZeroes) this.image.write(Number(sector) * SECTOR, new Uint8Array(bytes));
    });
  }
}
