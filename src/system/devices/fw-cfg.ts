/**
 * QEMU's firmware configuration device (fw_cfg) in its MMIO form, as the virt board has it: how
 * QEMU hands firmware what it cannot find by itself (the kernel, initrd and command line given with
 * -bios, SMBIOS tables, the boot order). Facts from QEMU's docs/specs/fw_cfg.txt and its observable
 * behaviour:
 *
 * - Items are byte strings under 16-bit keys: fixed keys below 0x20, named files from 0x20 in name
 *   order (the directory, key 0x19, lists them), arch-local keys with bit 15 set; keys from 0x40
 *   (the 32 file slots' end) select nothing, which reads as zeros.
 * - Registers (big-endian, as on ARM): the selector at +8 (16 bits, write-only), the data register at
 *   +0 returning the selected item's next 1 to 8 bytes in order (zeros past its end), and the DMA
 *   address at +16 (a 64-bit write, or the high then the low half; the low half starts the
 *   transfer), which reads as the bytes "QEMU CFG".
 * - DMA: an FWCfgDmaAccess in guest memory (be32 control, be32 length, be64 address); control
 *   selects (key in bits 31:16), then reads (past the end: zeros), skips or writes (refused with
 *   the error bit: no item here is writable); the device writes the control word back, 0 or ERROR.
 */
import type { MmioDevice } from './mmio';
import type { GuestRam } from './virtio/guest-ram';

/** The fixed keys (QEMU's FW_CFG_*). */
export const FW_CFG_KEY = {
  signature: 0x00,
  id: 0x01,
  uuid: 0x02,
  nographic: 0x04,
  nbCpus: 0x05,
  kernelSize: 0x08,
  initrdSize: 0x0b,
  bootMenu: 0x0e,
  kernelData: 0x11,
  initrdData: 0x12,
  cmdlineSize: 0x14,
  cmdlineData: 0x15,
  fileDir: 0x19,
} as const;

const FILE_FIRST = 0x20;
const FILE_SLOTS = 0x20;
const ARCH_LOCAL = 0x8000;
const ENTRY_MASK = 0x3fff;
const FILE_NAME_SIZE = 56;
/** FW_CFG_ID: the traditional interface, and DMA. */
const ID_TRADITIONAL = 1;
const ID_DMA = 2;
const DMA_SIGNATURE = Buffer.from('QEMU CFG', 'latin1');

const DMA_CTL = { error: 0x01, read: 0x02, skip: 0x04, select: 0x08, write: 0x10 } as const;
const DMA_ACCESS_SIZE = 16;

const OFFSET = { data: 0, selector: 8, dma: 16 } as const;

/** An item value as QEMU's fw_cfg_add_i16/i32 store them: little-endian. */
export const fwCfgU16 = (v: number): Uint8Array => Uint8Array.of(v & 0xff, (v >> 8) & 0xff);
export const fwCfgU32 = (v: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v >>> 0, true);
  return out;
};

/** The value a `size`-byte big-endian register access carries, from the guest's (little-endian) view. */
function swap(value: number, size: number): number {
  let out = 0;
  for (let i = 0; i < size; i++) out = out * 256 + ((value >>> (8 * i)) & 0xff);
  return out;
}

export class FwCfg implements MmioDevice {
  readonly name = 'fw_cfg_mem';
  readonly size = 0x18;
  private readonly items = new Map<number, Uint8Array>();
  /** The named files, sorted by name: file i is key FILE_FIRST + i. */
  private readonly files: { name: string; data: Uint8Array }[] = [];
  private current: Uint8Array | undefined;
  private offset = 0;
  private dmaAddress = 0n;

  constructor(private readonly ram: GuestRam) {
    this.items.set(FW_CFG_KEY.signature, Buffer.from('QEMU', 'latin1'));
    this.items.set(FW_CFG_KEY.id, fwCfgU32(ID_TRADITIONAL | ID_DMA));
    this.reset();
  }

  /** Sets a fixed (or arch-local) item. */
  setItem(key: number, data: Uint8Array): void {
    this.items.set(key, data);
  }

  /** Adds (or replaces) a named file; the files after it in name order move up a key, as in QEMU. */
  setFile(name: string, data: Uint8Array): void {
    if (Buffer.byteLength(name, 'latin1') >= FILE_NAME_SIZE)
      throw new Error(`fw_cfg file name too long: ${name}`);
    const existing = this.files.find((f) => f.name === name);
    if (existing) {
      existing.data = data;
      return;
    }
    if (this.files.length === FILE_SLOTS) throw new Error(`fw_cfg: no free file slot for ${name}`);
    const at = this.files.findIndex((f) => f.name > name);
    this.files.splice(at < 0 ? this.files.length : at, 0, { name, data });
  }

  /** FW_CFG_FILE_DIR: be32 count, then per file be32 size, be16 select, be16 reserved, name[56]. */
  private directory(): Uint8Array {
    const out = Buffer.alloc(4 + this.files.length * (8 + FILE_NAME_SIZE));
    out.writeUInt32BE(this.files.length, 0);
    this.files.forEach((file, i) => {
      const at = 4 + i * (8 + FILE_NAME_SIZE);
      out.writeUInt32BE(file.data.length, at);
      out.writeUInt16BE(FILE_FIRST + i, at + 4);
      out.write(file.name, at + 8, 'latin1');
    });
    return out;
  }

  /** The item `key` selects: undefined for an invalid key and for a valid one holding nothing. */
  private itemAt(key: number): Uint8Array | undefined {
    const index = key & ENTRY_MASK;
    if (index >= FILE_FIRST + FILE_SLOTS) return undefined;
    if (key & ARCH_LOCAL) return this.items.get(ARCH_LOCAL | index);
    if (index === FW_CFG_KEY.fileDir) return this.directory();
    if (index >= FILE_FIRST) return this.files[index - FILE_FIRST]?.data;
    return this.items.get(index);
  }

  private select(key: number): void {
    this.current = this.itemAt(key);
    this.offset = 0;
  }

  reset(): void {
    this.select(FW_CFG_KEY.signature);
  }

  read(offset: number, size: number): number {
    if (offset >= OFFSET.dma) {
      let value = 0;
      for (let i = size - 1; i >= 0; i--) value = value * 256 + (DMA_SIGNATURE[offset - OFFSET.dma + i] ?? 0);
      return value;
    }
    if (offset >= OFFSET.selector) return 0;
    // The item's next bytes in order (the first at the lowest address), zeros past its end.
    const bytes = new Uint8Array(size);
    if (this.current) {
      const take = Math.max(0, Math.min(size, this.current.length - this.offset));
      bytes.set(this.current.subarray(this.offset, this.offset + take));
      this.offset += take;
    }
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + bytes[i]!;
    return value;
  }

  write(offset: number, size: number, value: number): void {
    if (offset === OFFSET.selector && size === 2) {
      this.select(swap(value, 2));
    } else if (offset === OFFSET.dma && size === 4) {
      this.dmaAddress = BigInt(swap(value, 4)) << 32n;
    } else if (offset === OFFSET.dma + 4 && size === 4) {
      const address = this.dmaAddress | BigInt(swap(value, 4));
      this.dmaAddress = 0n;
      this.transfer(address);
    }
    // Writes to the data register do nothing (QEMU removed them in 2.4).
  }

  /** Carries out the FWCfgDmaAccess at `address` and writes its control word back. */
  private transfer(address: bigint): void {
    const header = this.ram.bytes(address, DMA_ACCESS_SIZE);
    if (!header) return;
    const view = new DataView(header.buffer, header.byteOffset, DMA_ACCESS_SIZE);
    const control = view.getUint32(0);
    let length = view.getUint32(4);
    let target = view.getBigUint64(8);
    if (control & DMA_CTL.select) this.select(control >>> 16);
    const op =
      control & DMA_CTL.read
        ? 'read'
        : control & DMA_CTL.write
          ? 'write'
          : control & DMA_CTL.skip
            ? 'skip'
            : undefined;
    if (op === undefined) length = 0;
    let result = 0;
    while (length > 0 && !(result & DMA_CTL.error)) {
      const item = this.current;
      const left = item ? item.length - this.offset : 0;
      const n = left > 0 ? Math.min(length, left) : length;
      if (left <= 0) {
        if (op === 'read' && !this.ram.write(target, new Uint8Array(n))) result |= DMA_CTL.error;
        if (op === 'write') result |= DMA_CTL.error;
      } else {
        const bytes = item!.subarray(this.offset, this.offset + n);
        if (op === 'read' && !this.ram.write(target, bytes)) result |= DMA_CTL.error;
        if (op === 'write') result |= DMA_CTL.error;
        this.offset += n;
      }
      target += BigInt(n);
      length -= n;
    }
    const word = new Uint8Array(4);
    new DataView(word.buffer).setUint32(0, result);
    this.ram.write(address, word);
  }
}
