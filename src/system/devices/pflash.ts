/**
 * A flash bank of the virt board as QEMU's pflash_cfi01 models it (Intel/Sharp command set, CFI):
 * in read-array mode its contents read and execute as memory (the CPU reads them straight from the
 * window, see the CPU board's `rom` ranges); a write is a command, and until the guest returns to
 * read-array mode (0xff) reads come here and answer with the status register, the CFI table (0x98)
 * or the IDs (0x90). Commands, with QEMU's behaviour where it differs from a real part: single word
 * program (0x40/0x10: the value is stored as written, not ANDed), block erase (0x20, carried out
 * at once; 0xd0 confirms), buffered program (0xe8, count, count + 1 words into a buffer of the
 * aligned write block, stored by 0xd0 unless a word failed, else dropped),
 * clear status (0x50), lock/unlock (0x60, accepted and ignored), read status (0x70). A read-only
 * bank sets the status error bits instead of changing. Changes land in the drive's image, in the
 * 512-byte sectors they touch, as QEMU's pflash_update writes them.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import type { MmioDevice } from './mmio';
import { cfiQuery, cfiTable, idQuery, writeBlockSize, type PflashGeometry } from './pflash-cfi';
import { SECTOR, type RawImage } from './virtio/raw-image';

/** What the bank tells the board. */
export interface PflashHooks {
  /** Reads switched between memory (read-array mode) and the device. */
  modeChanged(readsAsMemory: boolean): void;
  /** The bytes [offset, offset + size) of the bank changed (translated code there is stale). */
  contentsChanged(offset: number, size: number): void;
}

const STATUS_READY = 0x80;
const STATUS_ERASE_ERROR = 0x20;
const STATUS_PROGRAM_ERROR = 0x10;
/** QEMU's state for read-array mode (0xff is the command that enters it). */
const READ_ARRAY = 0x00;
const CONFIRM = 0xd0;

export class Pflash implements MmioDevice {
  readonly name = 'cfi.pflash01';
  readonly size: number;
  private readonly table: Uint8Array;
  private readonly writeBlock: number;
  private cmd = READ_ARRAY;
  /** Which write of a command sequence comes next (QEMU's wcycle). */
  private cycle = 0;
  private status = STATUS_READY;
  /** Words left to write in a buffered program, minus one. */
  private counter = 0;
  /** A buffered program's block: where it goes and its bytes so far. */
  private buffer?: { offset: number; bytes: Uint8Array };
  private memoryMode = true;

  constructor(
    private readonly memory: GuestMemory,
    /** The bank's physical address, which is also where its bytes live in the window. */
    readonly base: number,
    private readonly geometry: PflashGeometry,
    private readonly hooks: PflashHooks,
    /** The drive holding the bank's contents (-drive if=pflash), if any. */
    private readonly image?: RawImage,
  ) {
    this.size = geometry.size;
    this.table = cfiTable(geometry);
    this.writeBlock = writeBlockSize(geometry);
    if (image) {
      const contents = new Uint8Array(this.size);
      image.read(0, contents);
      memory.writeBytes(base, contents);
    }
  }

  private get readOnly(): boolean {
    return this.image?.readOnly ?? false;
  }

  reset(): void {
    this.cmd = READ_ARRAY;
    this.cycle = 0;
    this.status = STATUS_READY;
    this.setReadsAsMemory(true);
  }

  /** Whether the bank is in read-array mode, where the CPU reads it as memory. */
  get readsAsMemory(): boolean {
    return this.memoryMode;
  }

  private setReadsAsMemory(on: boolean): void {
    if (on === this.memoryMode) return;
    this.memoryMode = on;
    this.hooks.modeChanged(on);
  }

  /** Replaces the start of the bank with `image` (the rest keeps its contents, as QEMU's ROM reload does). */
  load(image: Uint8Array): void {
    this.memory.writeBytes(this.base, image);
    this.hooks.contentsChanged(0, image.length);
  }

  read(offset: number, size: number): number {
    const g = this.geometry;
    switch (this.cmd) {
      case 0x10:
      case 0x20:
      case 0x28:
      case 0x40:
      case 0x50:
      case 0x60:
      case 0x70:
      case 0xe8: {
        // The status register of each device the access spans.
        let value = this.status;
        for (let shift = g.deviceWidth * 8; shift + g.deviceWidth * 8 <= size * 8; shift += g.deviceWidth * 8)
          value |= this.status << shift;
        return value >>> 0;
      }
      case 0x90:
        return mask(idQuery(g, offset), size);
      case 0x98:
        return mask(cfiQuery(g, this.table, offset), size);
      default:
        this.cmd = READ_ARRAY;
        this.cycle = 0;
        return this.arrayRead(offset, size);
    }
  }

  private arrayRead(offset: number, size: number): number {
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + this.memory.u8[this.base + offset + i]!;
    return value;
  }

  write(offset: number, size: number, value: number): void {
    const cmd = value & 0xff;
    if (this.cycle === 0) this.setReadsAsMemory(false);
    switch (this.cycle) {
      case 0:
        return this.firstCycle(offset, cmd);
      case 1:
        return this.secondCycle(offset, size, value, cmd);
      case 2:
        return this.bufferWord(offset, size, value);
      default:
        if (this.cmd === 0xe8 && cmd === CONFIRM && !(this.status & STATUS_PROGRAM_ERROR) && this.buffer) {
          this.store(this.buffer.offset, this.buffer.bytes);
          this.buffer = undefined;
          this.cycle = 0;
          this.status |= STATUS_READY;
          return;
        }
        return this.readArrayMode();
    }
  }

  private firstCycle(offset: number, cmd: number): void {
    switch (cmd) {
      case 0x00:
      case 0x50:
      case 0xf0:
      case 0xff:
        if (cmd === 0x50) this.status = 0;
        return this.readArrayMode();
      case 0x10:
      case 0x40:
      case 0x60:
      case 0x98:
        break;
      case 0x20: {
        const at = offset - (offset % this.geometry.sectorLength);
        if (this.readOnly) this.status |= STATUS_ERASE_ERROR;
        else this.store(at, new Uint8Array(this.geometry.sectorLength).fill(0xff));
        this.status |= STATUS_READY;
        break;
      }
      case 0x70:
      case 0x90:
        this.cmd = cmd;
        return;
      case 0xe8:
        this.status |= STATUS_READY;
        break;
      default:
        return this.readArrayMode();
    }
    this.cycle++;
    this.cmd = cmd;
  }

  private secondCycle(offset: number, size: number, value: number, cmd: number): void {
    switch (this.cmd) {
      case 0x10:
      case 0x40:
        if (this.readOnly) this.status |= STATUS_PROGRAM_ERROR;
        else this.store(offset, littleEndian(value, size));
        this.status |= STATUS_READY;
        this.cycle = 0;
        return;
      case 0x20:
      case 0x28:
        if (cmd !== CONFIRM) return this.readArrayMode();
        this.cycle = 0;
        this.status |= STATUS_READY;
        return;
      case 0xe8: {
        // The word count, as wide as one device; the buffer starts as the block's contents.
        const at = offset - (offset % this.writeBlock);
        this.counter = value & (2 ** (8 * this.geometry.deviceWidth) - 1);
        const bytes = this.memory.u8.slice(this.base + at, this.base + at + this.writeBlock);
        this.buffer = { offset: at, bytes };
        this.cycle++;
        return;
      }
      case 0x60:
        if (cmd === CONFIRM || cmd === 0x01) {
          this.cycle = 0;
          this.status |= STATUS_READY;
          return;
        }
        return this.readArrayMode();
      case 0x98:
        // Anything but read-array leaves the bank answering queries.
        if (cmd === 0xff) this.readArrayMode();
        return;
      default:
        return this.readArrayMode();
    }
  }

  /** A buffered program's word, into the buffer (an error outside its block); the last one awaits 0xd0. */
  private bufferWord(offset: number, size: number, value: number): void {
    const at = offset - (this.buffer?.offset ?? 0);
    if (this.readOnly || !this.buffer || at < 0 || at + size > this.writeBlock)
      this.status |= STATUS_PROGRAM_ERROR;
    else this.buffer.bytes.set(littleEndian(value, size), at);
    this.status |= STATUS_READY;
    if (this.counter === 0) this.cycle++;
    else this.counter--;
  }

  private readArrayMode(): void {
    this.buffer = undefined;
    this.cycle = 0;
    this.cmd = READ_ARRAY;
    this.setReadsAsMemory(true);
  }

  /** Changes the bank's bytes at `offset`, and the drive's image too. */
  private store(offset: number, bytes: Uint8Array): void {
    if (offset + bytes.length > this.size) bytes = bytes.subarray(0, this.size - offset);
    this.memory.u8.set(bytes, this.base + offset);
    this.hooks.contentsChanged(offset, bytes.length);
    this.persist(offset, bytes.length);
  }

  /** Writes the whole sectors holding [offset, offset + size) to the drive. */
  private persist(offset: number, size: number): void {
    if (!this.image) return;
    const start = offset - (offset % SECTOR);
    const end = Math.min(this.size, Math.ceil((offset + size) / SECTOR) * SECTOR);
    this.image.write(start, this.memory.u8.slice(this.base + start, this.base + end));
  }
}

function mask(value: number, size: number): number {
  return size >= 4 ? value >>> 0 : value & (2 ** (8 * size) - 1);
}

function littleEndian(value: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (value >>> (8 * i)) & 0xff;
  return out;
}
