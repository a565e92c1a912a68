/**
 * A flash bank of the virt board (QEMU's pflash_cfi01) as firmware sees it in read-array mode: its
 * contents read and execute as memory (the CPU reads them straight from the window, see the CPU
 * board's `rom` ranges), and its contents are loaded by the machine (-bios). The CFI command
 * interface is not modelled: a write is a command QEMU would reject in this mode too when it is
 * not one, and tsemu ignores every write, so the bank keeps reading as array data.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import type { MmioDevice } from './mmio';

export class Pflash implements MmioDevice {
  readonly name = 'cfi.pflash01';

  constructor(
    private readonly memory: GuestMemory,
    /** The bank's physical address, which is also where its bytes live in the window. */
    readonly base: number,
    readonly size: number,
  ) {}

  reset(): void {}

  /** A read the CPU did not take from the window directly (a debugger's): the array data. */
  read(offset: number, size: number): number {
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + this.memory.u8[this.base + offset + i]!;
    return value;
  }

  write(): void {}

  /** Replaces the start of the bank with `image` (the rest keeps its contents, as QEMU's ROM reload does). */
  load(image: Uint8Array): void {
    this.memory.writeBytes(this.base, image);
  }
}
