/**
 * The tail of a segment's last file page, past its file data, reads as zero even beyond memsz, as
 * Linux's padzero leaves it: ld.so's start-up allocator hands out that tail expecting zeros (a
 * dynamic program crashed in ld.so when file bytes showed through there).
 */
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../src/memory/address-space';
import { GuestMemory } from '../../src/memory/guest-memory';
import { LOADER_TARGETS, loadElf, readElfImage } from '../../src/loader';

const LD_SO = '/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1';
const PAGE = 4096;

describe('segment tails', () => {
  it('zeroes a segment last file page from the end of its file data to the end of the page', () => {
    const image = readElfImage(LD_SO, LOADER_TARGETS.aarch64);
    const memory = new GuestMemory(image.littleEndian);
    const loaded = loadElf(new AddressSpace(memory), image, { target: LOADER_TARGETS.aarch64, argv: ['ld.so'], envp: [] });
    const withBss = image.segments.filter((s) => s.memsz > s.filesz && s.filesz > 0);
    expect(withBss.length).toBeGreaterThan(0);
    for (const seg of withBss) {
      const fileEnd = loaded.loadBias + seg.vaddr + seg.filesz;
      const pageEnd = Math.ceil(fileEnd / PAGE) * PAGE;
      const tail = memory.u8.subarray(fileEnd, pageEnd);
      expect(tail.every((b) => b === 0)).toBe(true);
    }
  });
});
