/**
 * The SMBIOS 3.0 tables QEMU's virt board puts in fw_cfg (etc/smbios/smbios-tables and the entry
 * point etc/smbios/smbios-anchor) for firmware to publish: system (type 1), chassis (3), one
 * processor per socket (4), the memory array (16) and its 16 GiB DIMMs (17), boot information (32)
 * and the end marker (127), with the field values QEMU 7.2 writes by default (DMTF DSP0134 layouts).
 * The anchor's checksum and table address stay zero: firmware fills them in when it places the
 * tables, as QEMU leaves them.
 */
import type { SmpTopology } from '../machine/machine';

const MANUFACTURER = 'QEMU';
const PRODUCT = 'QEMU Virtual Machine';
const DIMM_MAX = 16 * 2 ** 30;
const CPU_SPEED_MHZ = 2000;
const UNKNOWN_HANDLE = 0xfffe;

/** One structure: formatted area (header added here) and its strings, 1-based by position. */
class Structure {
  private readonly body: number[] = [];
  private readonly strings: string[] = [];

  constructor(
    private readonly type: number,
    private readonly handle: number,
  ) {}

  u8(v: number): this {
    this.body.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(Math.floor(v / 0x10000));
  }
  u64(v: number): this {
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }
  bytes(n: number): this {
    for (let i = 0; i < n; i++) this.u8(0);
    return this;
  }
  /** A string field: its number among the structure's strings. */
  str(text: string): this {
    this.strings.push(text);
    return this.u8(this.strings.length);
  }

  encode(): Buffer {
    const header = Buffer.from([this.type, 4 + this.body.length, this.handle & 0xff, this.handle >> 8]);
    const strings = this.strings.length === 0 ? '\0\0' : `${this.strings.join('\0')}\0\0`;
    return Buffer.concat([header, Buffer.from(this.body), Buffer.from(strings, 'latin1')]);
  }
}

export interface SmbiosOptions {
  ramSize: number;
  smp: SmpTopology;
  /** The machine's versioned name (virt-7.2), the version string of several tables. */
  version: string;
}

export function smbiosTables(o: SmbiosOptions): { tables: Buffer; anchor: Buffer } {
  const structures: Structure[] = [];
  structures.push(
    new Structure(1, 0x0100)
      .str(MANUFACTURER)
      .str(PRODUCT)
      .str(o.version)
      .u8(0) // serial number
      .bytes(16) // UUID
      .u8(0x06) // wake-up type: power switch
      .u8(0) // SKU
      .u8(0), // family
  );
  structures.push(
    new Structure(3, 0x0300)
      .str(MANUFACTURER)
      .u8(0x01) // type: other
      .str(o.version)
      .u8(0) // serial number
      .u8(0) // asset tag
      .u8(0x03) // boot-up state: safe
      .u8(0x03) // power supply state
      .u8(0x03) // thermal state
      .u8(0x02) // security status: unknown
      .u32(0) // OEM-defined
      .u8(0) // height
      .u8(0) // power cords
      .u8(0) // contained elements
      .u8(0) // element record length
      .u8(0), // SKU
  );
  const coresPerSocket = o.smp.cores * o.smp.clusters;
  const threadsPerSocket = coresPerSocket * o.smp.threads;
  for (let socket = 0; socket < o.smp.sockets; socket++) {
    structures.push(
      new Structure(4, 0x0400 + socket)
        .str(`CPU ${socket}`)
        .u8(0x03) // processor type: central
        .u8(0x01) // family: other (see family 2)
        .str(MANUFACTURER)
        .u64(0) // processor ID
        .str(o.version)
        .u8(0) // voltage
        .u16(0) // external clock
        .u16(CPU_SPEED_MHZ) // maximum speed
        .u16(CPU_SPEED_MHZ) // current speed
        .u8(0x41) // status: populated, enabled
        .u8(0x01) // upgrade: other
        .u16(0xffff) // L1, L2, L3 cache handles: none
        .u16(0xffff)
        .u16(0xffff)
        .u8(0) // serial number
        .u8(0) // asset tag
        .u8(0) // part number
        .u8(Math.min(coresPerSocket, 0xff))
        .u8(Math.min(coresPerSocket, 0xff))
        .u8(Math.min(threadsPerSocket, 0xff))
        .u16(0x02) // characteristics: unknown
        .u16(0x01) // family 2: other
        .u16(coresPerSocket)
        .u16(coresPerSocket)
        .u16(threadsPerSocket),
    );
  }
  const dimms = Math.ceil(o.ramSize / DIMM_MAX);
  structures.push(
    new Structure(16, 0x1000)
      .u8(0x01) // location: other
      .u8(0x03) // use: system memory
      .u8(0x06) // error correction: multi-bit ECC
      .u32(o.ramSize / 1024) // maximum capacity, KiB
      .u16(UNKNOWN_HANDLE) // memory error information
      .u16(dimms)
      .u64(0), // extended maximum capacity
  );
  for (let i = 0; i < dimms; i++) {
    const size = Math.min(DIMM_MAX, o.ramSize - i * DIMM_MAX);
    structures.push(
      new Structure(17, 0x1100 + i)
        .u16(0x1000) // the memory array
        .u16(UNKNOWN_HANDLE) // memory error information
        .u16(0xffff) // total width: unknown
        .u16(0xffff) // data width: unknown
        .u16(size / 2 ** 20) // size, MiB
        .u8(0x09) // form factor: DIMM
        .u8(0) // device set
        .str(`DIMM ${i}`)
        .u8(0) // bank locator
        .u8(0x07) // memory type: RAM
        .u16(0x0002) // type detail: other
        .u16(0) // speed
        .str(MANUFACTURER)
        .u8(0) // serial number
        .u8(0) // asset tag
        .u8(0) // part number
        .u8(0) // attributes
        .u32(0) // extended size
        .u16(0) // configured memory speed
        .u16(0) // minimum, maximum, configured voltage
        .u16(0)
        .u16(0),
    );
  }
  structures.push(new Structure(32, 0x2000).bytes(6).u8(0)); // boot status: no errors
  structures.push(new Structure(127, 0x7f00));
  const tables = Buffer.concat(structures.map((s) => s.encode()));

  const anchor = Buffer.alloc(0x18);
  anchor.write('_SM3_', 0, 'latin1');
  anchor[6] = anchor.length;
  anchor[7] = 3; // SMBIOS 3.0
  anchor[8] = 0;
  anchor[10] = 1; // entry point revision
  anchor.writeUInt32LE(tables.length, 12);
  return { tables, anchor };
}
