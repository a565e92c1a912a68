/**
 * Guest RAM as a device sees it for DMA: physical addresses straight into RAM (there is no IOMMU
 * on virt), reads as views of the bytes, writes that also discard any translated code there.
 */

export interface GuestRam {
  /** The bytes [pa, pa + length) of RAM (a view, not a copy); undefined unless all of it is RAM. */
  bytes(pa: bigint, length: number): Uint8Array | undefined;
  /** Copies `data` to RAM at `pa`; false (and nothing written) unless all of it is RAM. */
  write(pa: bigint, data: Uint8Array): boolean;
}
