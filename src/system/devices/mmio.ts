/**
 * Memory-mapped devices and the bus that routes guest physical addresses to them. Device registers
 * are at most 32 bits wide here; a 64-bit access is two 32-bit ones, low word first.
 */

export interface MmioDevice {
  /** Name for logs (QEMU's type name, e.g. "pl011"). */
  readonly name: string;
  /** Bytes of address space the device decodes. */
  readonly size: number;
  /** Reads `size` (1, 2 or 4) bytes at `offset`. */
  read(offset: number, size: number): number;
  write(offset: number, size: number, value: number): void;
  /** Back to the power-on state (system reset). */
  reset(): void;
}

export interface Mapping {
  base: number;
  device: MmioDevice;
}

/** What the CPU's memory path asks of the bus (the bus itself, or a worker's way to it). */
export interface DeviceBus {
  /** Whether a device decodes `address`. */
  claims(address: bigint): boolean;
  /** Reads `size` bytes (1, 2, 4 or 8) at `address`; undefined if no device is there. */
  read(address: bigint, size: number): bigint | undefined;
  /** Writes; false if no device is there. */
  write(address: bigint, size: number, value: bigint): boolean;
}

/** PrimeCell identification registers (0xfe0..0xffc): each byte of `id` in its own word. */
export function primeCellId(offset: number, id: readonly number[]): number | undefined {
  if (offset < 0xfe0 || offset > 0xffc || offset & 3) return undefined;
  return id[(offset - 0xfe0) >> 2];
}

export class MmioBus implements DeviceBus {
  private readonly mapped: Mapping[] = [];

  /** Each device with where it is mapped. */
  get mappings(): readonly Mapping[] {
    return this.mapped;
  }

  map(base: number, device: MmioDevice): void {
    this.mapped.push({ base, device });
  }

  get devices(): readonly MmioDevice[] {
    return this.mappings.map((m) => m.device);
  }

  private find(address: bigint): { device: MmioDevice; offset: number } | undefined {
    for (const m of this.mappings) {
      const offset = address - BigInt(m.base);
      if (offset >= 0n && offset < BigInt(m.device.size)) return { device: m.device, offset: Number(offset) };
    }
    return undefined;
  }

  /** Whether a device decodes `address`. */
  claims(address: bigint): boolean {
    return this.find(address) !== undefined;
  }

  /** Reads `size` bytes (1, 2, 4 or 8) at `address`; undefined if no device is there. */
  read(address: bigint, size: number): bigint | undefined {
    const at = this.find(address);
    if (!at) return undefined;
    if (size === 8) {
      const lo = at.device.read(at.offset, 4) >>> 0;
      const hi = at.device.read(at.offset + 4, 4) >>> 0;
      return (BigInt(hi) << 32n) | BigInt(lo);
    }
    return BigInt(at.device.read(at.offset, size) >>> 0);
  }

  /** Writes; false if no device is there. */
  write(address: bigint, size: number, value: bigint): boolean {
    const at = this.find(address);
    if (!at) return false;
    if (size === 8) {
      at.device.write(at.offset, 4, Number(value & 0xffffffffn));
      at.device.write(at.offset + 4, 4, Number((value >> 32n) & 0xffffffffn));
    } else {
      at.device.write(at.offset, size, Number(value & 0xffffffffn));
    }
    return true;
  }
}
